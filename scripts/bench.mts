// Benchmark (not a test): on synthetic corpora of 1×, 10× and 100× the shipped documents (1000× with --full)
// plus the 17 laws of the public legal benchmark (distinct documents), build time and peak memory, disk, cold
// start, answer p50/p95, dev-set hits and the legal test split's hits at every scale, the corpus changes users
// run (`npm run corpus -- add / remove / reindex`, the real CLI in its own process), HTTP /api/ask at
// concurrency 1/16/64 (server and load generator in separate processes); and the stock LangChain pipeline and
// MiniSearch at 1×.
// Prints a report and writes bench/results.md. Usage: npm run bench [-- --full] [--scales 1,10] [--build-only]
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { spawn } from "node:child_process";
import { writeSyntheticCorpus } from "./bench-corpus.mjs";
import { defaultLegalDir, writeLaws } from "./bench-legal.mjs";

const root = path.resolve(import.meta.dirname, "..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const args = process.argv.slice(2);
const scalesArg = args.includes("--scales") ? args[args.indexOf("--scales") + 1]! : args.includes("--full") ? "1,10,100,1000" : "1,10,100";
const scales = scalesArg.split(",").map(Number);
const QUESTION = "Hạn báo cáo hằng năm là khi nào?";
/** Only build time, peak memory and disk (the 1000× run, which takes most of an hour here). */
const buildOnly = args.includes("--build-only");
/** Where the report goes (`--out FILE`, default bench/results.md). */
const outFile = args.includes("--out") ? args[args.indexOf("--out") + 1]! : "bench/results.md";

// biome-ignore lint/suspicious/noExplicitAny: figures parsed from a child process's JSON line, read field by field for the report
type Json = Record<string, any>;

function child(mode: string, corpusDir: string, dataDir: string): Json {
  const out = execFileSync(tsx, [path.join(root, "scripts/bench-child.mts"), mode, corpusDir, dataDir], {
    cwd: root,
    maxBuffer: 64 * 2 ** 20,
    env: { ...process.env, LOG_LEVEL: "silent" },
  });
  return JSON.parse(out.toString().trim().split("\n").pop()!) as Json;
}

function coldStart(corpusDir: string, dataDir: string, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const env = { ...process.env, CORPUS_DIR: corpusDir, DATA_DIR: dataDir, LOG_LEVEL: "silent" };
    execFileSync(tsx, ["src/cli/ask.ts", "--json", QUESTION], { cwd: root, env });
    times.push(performance.now() - t);
  }
  return Math.round(times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!);
}

const legalDir = process.env.BENCH_LEGAL_DIR ?? defaultLegalDir(root);
const withLaws = fs.existsSync(path.join(legalDir, "laws"));
/** The law left out of the corpus and added through the CLI (the smallest: the add measures the pipeline). */
const HELD_BACK = "luat-57-2020-qh14";

/** A corpus command as users run it (`npm run corpus -- …`), in its own process: wall time, CPU, peak RSS. */
function cliChange(args: string[], corpusDir: string, dataDir: string): Json {
  const env = { ...process.env, CORPUS_DIR: corpusDir, DATA_DIR: dataDir, LOG_LEVEL: "silent" };
  const t = performance.now();
  const usageHook = path.join(root, "scripts/bench-usage.mjs");
  const res = spawnSync(process.execPath, ["--import", "tsx", "--import", usageHook, "src/cli/corpus.ts", ...args], {
    cwd: root,
    env,
    maxBuffer: 256 * 2 ** 20,
  });
  const ms = Math.round(performance.now() - t);
  const usage = res.stderr
    .toString()
    .split("\n")
    .filter((l) => l.startsWith('{"benchUsage"'))
    .map((l) => (JSON.parse(l) as Json).benchUsage)
    .pop();
  if (res.status !== 0) console.error(`corpus ${args.join(" ")} failed (${res.status}): ${res.stderr.toString().slice(-2000)}`);
  return { ms, ok: res.status === 0, ...usage };
}

/** The app in one process, the load generator in another: the generator's work is not charged to the server. */
async function httpLoad(corpusDir: string, dataDir: string): Promise<Json> {
  const server = spawn(tsx, [path.join(root, "scripts/bench-child.mts"), "server", corpusDir, dataDir], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: "silent" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    server.stdout.once("data", (b: Buffer) => resolve((JSON.parse(b.toString().split("\n")[0]!) as Json).url as string));
    server.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  try {
    const out = execFileSync(tsx, [path.join(root, "scripts/bench-child.mts"), "load", url, dataDir], {
      cwd: root,
      maxBuffer: 64 * 2 ** 20,
    });
    return JSON.parse(out.toString().trim().split("\n").pop()!) as Json;
  } finally {
    server.stdin.end();
  }
}

const diskMiB = (dir: string) => Number(execFileSync("du", ["-sb", dir]).toString().split("\t")[0]) / 2 ** 20;

async function measureScale(scale: number): Promise<Json> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${scale}x-`));
  const corpusDir = path.join(dir, "corpus");
  const dataDir = path.join(dir, "data");
  try {
    const laws = (d: string) => (withLaws ? writeLaws(legalDir, d, [HELD_BACK]) : []);
    const documents = writeSyntheticCorpus(path.join(root, "corpus"), corpusDir, scale, 0, laws);
    console.error(`${scale}×: ${documents} documents, building…`);
    const build = child("build", corpusDir, dataDir);
    const disk = Math.round(diskMiB(path.join(dataDir, "index")));
    if (buildOnly) return { scale, documents, build, disk };
    const serve = child("serve", corpusDir, dataDir);
    const cold = coldStart(corpusDir, dataDir, scale >= 100 ? 1 : 3);
    console.error(JSON.stringify({ scale, build, disk, serve, cold }));
    const legal = withLaws ? child("legal", corpusDir, dataDir) : null;
    const heldBack = path.join(legalDir, "laws", `${HELD_BACK}.txt`);
    const add = withLaws ? cliChange(["add", heldBack, "--id", HELD_BACK, "--yes"], corpusDir, dataDir) : null;
    const remove = withLaws ? cliChange(["remove", HELD_BACK], corpusDir, dataDir) : null;
    const reindex = cliChange(["reindex"], corpusDir, dataDir);
    console.error(JSON.stringify({ scale, legal, add, remove, reindex }));
    const http = scale <= 100 ? await httpLoad(corpusDir, dataDir) : null;
    const row = { scale, documents, build, disk, serve, cold, legal, add, remove, reindex, http };
    console.error(JSON.stringify(row));
    return row;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const row = (cells: unknown[]) => `| ${cells.join(" | ")} |`;
const seconds = (ms: number, digits = 1) => `${(ms / 1000).toFixed(digits)} s`;

function scaleTable(rows: Json[]): string[] {
  const head = ["corpus", "documents", "units", "build (CPU)", "build peak RSS", "index on disk", "cold `ask`", "load", "serving RSS"];
  return [
    row([...head, "answer p50 / p95 (CPU)", "dev hit@1 / hit@5", "legal test hit@1 / hit@5 / wrong law"]),
    row(Array(12).fill("---")),
    ...rows.map((r) =>
      row([
        `${r.scale}×`,
        r.documents,
        r.serve.units,
        `${seconds(r.build.ms)} (${seconds(r.build.cpuMs)})`,
        `${r.build.peakRssMiB} MiB`,
        `${r.disk} MiB`,
        seconds(r.cold, 2),
        `${r.serve.loadMs} ms`,
        `${r.serve.servingRssMiB} MiB`,
        `${r.serve.p50} / ${r.serve.p95} ms (${r.serve.cpuP50} / ${r.serve.cpuP95} ms)`,
        `${r.serve.hit1} / ${r.serve.hit5}`,
        r.legal ? `${r.legal.hit1} / ${r.legal.hit5} / ${r.legal.wrongLaw} (${r.legal.questions} q.)` : "—",
      ]),
    ),
  ];
}

/** The corpus commands through the CLI: wall time (CPU) and peak RSS of the command's own process. */
function changeTable(rows: Json[]): string[] {
  const cell = (c: Json | null) =>
    c ? `${c.ok ? "" : "FAILED "}${seconds(c.ms)} (${seconds(c.cpuMs ?? 0)}), ${c.peakRssMiB ?? "?"} MiB` : "—";
  return [
    row(["corpus", "documents", "`corpus add` one law", "`corpus remove` it", "`corpus reindex`"]),
    row(Array(5).fill("---")),
    ...rows.map((r) => row([`${r.scale}×`, r.documents, cell(r.add), cell(r.remove), cell(r.reindex)])),
  ];
}

function httpTable(rows: Json[]): string[] {
  return [
    row(["corpus", "concurrency", "requests", "failed", "p50", "p95", "answers/s"]),
    row(Array(7).fill("---")),
    ...rows.flatMap((r) =>
      (r.http ?? []).map((h: Json) => row([`${r.scale}×`, h.concurrency, h.requests, h.failed, `${h.p50} ms`, `${h.p95} ms`, h.perSecond])),
    ),
  ];
}

function baselineTable(ours: Json | undefined, b: Json): string[] {
  const figures = (x: Json) => [x.hit1, x.hit5, `${x.p50} ms`, `${x.p95} ms`];
  const mini = b.minisearch.skipped
    ? row(["MiniSearch", "—", "—", "—", `— (${b.minisearch.skipped})`])
    : row(["MiniSearch (fuzzy 0.2, prefix)", ...figures(b.minisearch)]);
  return [
    row(["pipeline", "hit@1", "hit@5", "p50", "p95"]),
    row(Array(5).fill("---")),
    ...(ours ? [row(["this assistant (1×)", ...figures(ours)])] : []),
    row([`LangChain RecursiveCharacterTextSplitter (1000/200) + BM25Retriever, ${b.langchain.chunks} chunks`, ...figures(b.langchain)]),
    mini,
  ];
}

function report(rows: Json[], baselines: Json): string {
  return [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\` (scripts/bench.mts) on ${new Date().toISOString().slice(0, 16)} UTC, ${os.cpus().length} cores,`,
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. Synthetic corpora: the shipped documents plus copies with`,
    "new ids, titles, numbers and shuffled digits (scripts/bench-corpus.mts). Each measurement runs in a fresh",
    "process; the machine is shared (load average at the end of this run: " +
      os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(", ") +
      "),",
    "so wall times vary from run to run; CPU times in brackets are the process's own work. Design and budgets:",
    "[docs/index.md](../docs/index.md).",
    "",
    ...scaleTable(rows),
    "",
    "Corpus changes as staff run them (`npm run corpus -- …`: convert, stage, build, validate with the smoke",
    "questions, snapshot, journaled commit), each in a fresh process; wall time (CPU) and peak RSS:",
    "",
    ...changeTable(rows),
    "",
    "HTTP `POST /api/ask` (whole app: express, chat layer, answer), questions of the dev and paraphrase sets:",
    "",
    ...httpTable(rows),
    "",
    "Stock pipelines over all shipped documents, same dev questions (a chunk counts as a hit for the sections whose",
    "paragraphs it contains):",
    "",
    ...baselineTable(rows.find((r) => r.scale === 1)?.serve, baselines),
    "",
  ].join("\n");
}

const rows: Json[] = [];
for (const scale of scales) rows.push(await measureScale(scale));
if (buildOnly) {
  const lines = rows.map(
    (r) =>
      `- ${r.scale}×: ${r.documents} documents, build ${seconds(r.build.ms)} (CPU ${seconds(r.build.cpuMs ?? 0)}), ` +
      `peak RSS ${r.build.peakRssMiB} MiB, ${r.disk} MiB on disk`,
  );
  fs.writeFileSync(path.join(root, "bench/results-build.md"), ["# Build-only runs", "", ...lines, ""].join("\n"));
  console.log(lines.join("\n"));
  process.exit(0);
}
const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-base-"));
const baselines = child("baselines", path.join(root, "corpus"), baseDir);
fs.rmSync(baseDir, { recursive: true, force: true });
// HTTP /api/ask on one replica (SQLite) against two on PostgreSQL is measured separately: npm run bench:replicas.
const replicasNote = "\nReplicas (HTTP /api/ask, one on SQLite vs two on PostgreSQL, CPU per answer): [replicas.md](replicas.md).\n";
const text = report(rows, baselines) + replicasNote;
fs.mkdirSync(path.join(root, "bench"), { recursive: true });
fs.writeFileSync(path.resolve(root, outFile), text);
console.log(text);
