// Benchmark (not a test): the corpus changes of a running server through `/admin` (upload one law, delete it,
// reindex) on a synthetic corpus of N× the shipped documents plus the legal benchmark's laws, with the server
// process's peak resident memory (VmHWM) and the peak of the server and its child processes together (sampled:
// a change builds and validates in a child process). Usage: npx tsx scripts/bench-admin.mts [--scale 1000]
// [--work DIR]: keep the corpus and its serving version in DIR and reuse them on the next run (the steps end
// with the corpus they started with).
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
const work = args.includes("--work") ? path.resolve(args[args.indexOf("--work") + 1]!) : undefined;
const legalDir = process.env.BENCH_LEGAL_DIR ?? defaultLegalDir(root);
const HELD_BACK = "luat-57-2020-qh14";
const TOKEN = "bench-admin-token-0123456789abcdef";
const SETTLE_MS = 5000;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

const statusKb = (pid: number, key: string) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
};

/** The pid and its descendants (the child processes a change runs in). */
function tree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i]!) ?? []));
  return out;
}

/** Peak of the summed RSS of the server and its descendants, sampled every 100 ms. */
let treePeakKb = 0;
function sampleTree(pid: number): NodeJS.Timeout {
  return setInterval(() => {
    let kb = 0;
    for (const p of tree(pid)) {
      try {
        kb += statusKb(p, "VmRSS");
      } catch {
        // exited meanwhile
      }
    }
    treePeakKb = Math.max(treePeakKb, kb);
  }, 100);
}

const memory = (pid: number) => ({
  rssMiB: Math.round(statusKb(pid, "VmRSS") / 1024),
  peakMiB: Math.round(statusKb(pid, "VmHWM") / 1024),
  treePeakMiB: Math.round(treePeakKb / 1024),
});

async function timed(label: string, pid: number, call: () => Promise<Response>) {
  const t = performance.now();
  const res = await call();
  const body = (await res.json()) as { version?: string; error?: string };
  const row = {
    step: label,
    status: res.status,
    seconds: Number(((performance.now() - t) / 1000).toFixed(1)),
    ...memory(pid),
    settledMiB: 0,
  };
  // The replaced version is released a moment after the switch (collected once answers let go of it).
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  row.settledMiB = memory(pid).rssMiB;
  console.error(JSON.stringify({ ...row, error: body.error }));
  return row;
}

const dir = work ?? fs.mkdtempSync(path.join(os.tmpdir(), `bench-admin-${scale}x-`));
const corpusDir = path.join(dir, "corpus");
const dataDir = path.join(dir, "data");
try {
  let documents: number;
  if (work && fs.existsSync(path.join(dataDir, "index", "CURRENT"))) {
    documents = fs.readdirSync(path.join(corpusDir, "documents")).length;
    console.error(`${scale}×: reusing ${dir} (${documents} documents)`);
  } else {
    fs.mkdirSync(path.join(corpusDir, "documents"), { recursive: true });
    const laws = await writeLaws(legalDir, corpusDir, [HELD_BACK]);
    documents = writeSyntheticCorpus(path.join(root, "corpus"), corpusDir, scale, 0, laws);
    console.error(`${scale}×: ${documents} documents, building the serving version…`);
    const config = loadConfig({ CORPUS_DIR: corpusDir, DATA_DIR: dataDir, LOG_LEVEL: "silent" }, root);
    setCurrentVersion(dataDir, await buildVersion(config, loadCorpus(corpusDir, embeddingsId(config))));
  }
  if (args.includes("--prepare-only")) process.exit(0);
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
  const sampler = sampleTree(server.pid!);
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`${url}/healthz`).catch(() => null))?.ok) break;
      if (i > 600) throw new Error("server did not start");
      await new Promise((r) => setTimeout(r, 500));
    }
    const auth = { authorization: `Bearer ${TOKEN}` };
    const bytes = fs.readFileSync(path.join(legalDir, "laws", `${HELD_BACK}.txt`));
    const rows = [{ step: "started", status: 200, seconds: 0, ...memory(server.pid!), settledMiB: memory(server.pid!).rssMiB }];
    rows.push(
      await timed("add", server.pid!, () =>
        fetch(`${url}/admin/documents?filename=${HELD_BACK}.txt&id=${HELD_BACK}`, { method: "POST", headers: auth, body: bytes }),
      ),
    );
    rows.push(await timed("remove", server.pid!, () => fetch(`${url}/admin/documents/${HELD_BACK}`, { method: "DELETE", headers: auth })));
    rows.push(await timed("reindex", server.pid!, () => fetch(`${url}/admin/reindex`, { method: "POST", headers: auth })));
    console.log(
      `/admin at ${scale}× (${documents} documents): server process VmRSS / VmHWM after each step, and the peak of the server with its child processes`,
    );
    console.log(
      `| step | HTTP | wall | RSS | RSS ${SETTLE_MS / 1000} s later | server peak RSS so far | server + children peak so far |\n| --- | --- | --- | --- | --- | --- | --- |`,
    );
    for (const r of rows)
      console.log(
        `| ${r.step} | ${r.status} | ${r.seconds} s | ${r.rssMiB} MiB | ${r.settledMiB} MiB | ${r.peakMiB} MiB | ${r.treePeakMiB} MiB |`,
      );
  } finally {
    clearInterval(sampler);
    server.kill("SIGTERM");
  }
} finally {
  if (!work) fs.rmSync(dir, { recursive: true, force: true });
}
