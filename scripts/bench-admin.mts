// Benchmark (not a test): the corpus changes of a running server through `/admin` (upload one law, delete it,
// reindex) on a synthetic corpus of N× the shipped documents plus the legal benchmark's laws, with the server
// process's peak resident memory (VmHWM: serving index, build worker and the new version loaded for validation
// together). Usage: npx tsx scripts/bench-admin.mts [--scale 1000]
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../src/config.js";
import { loadCorpus } from "../src/corpus/load.js";
import { buildVersion, embeddingsId, setCurrentVersion } from "../src/index/store.js";
import { writeSyntheticCorpus } from "./bench-corpus.mjs";
import { defaultLegalDir, writeLaws } from "./bench-legal.mjs";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const scale = args.includes("--scale") ? Number(args[args.indexOf("--scale") + 1]) : 100;
const legalDir = process.env.BENCH_LEGAL_DIR ?? defaultLegalDir(root);
const HELD_BACK = "luat-57-2020-qh14";
const TOKEN = "bench-admin-token-0123456789abcdef";

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

const memory = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMiB: Math.round(kb("VmRSS") / 1024), peakMiB: Math.round(kb("VmHWM") / 1024) };
};

async function timed(label: string, pid: number, call: () => Promise<Response>) {
  const t = performance.now();
  const res = await call();
  const body = (await res.json()) as { version?: string; error?: string };
  const row = { step: label, status: res.status, seconds: Number(((performance.now() - t) / 1000).toFixed(1)), ...memory(pid) };
  console.error(JSON.stringify({ ...row, error: body.error }));
  return row;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-admin-${scale}x-`));
const corpusDir = path.join(dir, "corpus");
const dataDir = path.join(dir, "data");
try {
  fs.mkdirSync(path.join(corpusDir, "documents"), { recursive: true });
  const laws = await writeLaws(legalDir, corpusDir, [HELD_BACK]);
  const documents = writeSyntheticCorpus(path.join(root, "corpus"), corpusDir, scale, 0, laws);
  console.error(`${scale}×: ${documents} documents, building the serving version…`);
  const config = loadConfig({ CORPUS_DIR: corpusDir, DATA_DIR: dataDir, LOG_LEVEL: "silent" }, root);
  setCurrentVersion(dataDir, await buildVersion(config, loadCorpus(corpusDir, embeddingsId(config))));
  const port = await freePort();
  const env = {
    ...process.env,
    CORPUS_DIR: corpusDir,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    ADMIN_TOKEN: TOKEN,
    LOG_LEVEL: "warn",
  };
  const server = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`${url}/healthz`).catch(() => null))?.ok) break;
      if (i > 600) throw new Error("server did not start");
      await new Promise((r) => setTimeout(r, 500));
    }
    const auth = { authorization: `Bearer ${TOKEN}` };
    const bytes = fs.readFileSync(path.join(legalDir, "laws", `${HELD_BACK}.txt`));
    const rows = [{ step: "started", status: 200, seconds: 0, ...memory(server.pid!) }];
    rows.push(
      await timed("add", server.pid!, () =>
        fetch(`${url}/admin/documents?filename=${HELD_BACK}.txt&id=${HELD_BACK}`, { method: "POST", headers: auth, body: bytes }),
      ),
    );
    rows.push(await timed("remove", server.pid!, () => fetch(`${url}/admin/documents/${HELD_BACK}`, { method: "DELETE", headers: auth })));
    rows.push(await timed("reindex", server.pid!, () => fetch(`${url}/admin/reindex`, { method: "POST", headers: auth })));
    console.log(`/admin at ${scale}× (${documents} documents): server process VmRSS / VmHWM after each step`);
    console.log("| step | HTTP | wall | RSS | peak RSS so far |\n| --- | --- | --- | --- | --- |");
    for (const r of rows) console.log(`| ${r.step} | ${r.status} | ${r.seconds} s | ${r.rssMiB} MiB | ${r.peakMiB} MiB |`);
  } finally {
    server.kill("SIGTERM");
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
