// Benchmark (not a test): on synthetic corpora of 1×, 10× and 100× the shipped documents (1000× with --full),
// build time and peak memory, disk, cold start, answer p50/p95 and dev-set hits, adding one document, HTTP
// /api/ask at concurrency 1/16/64; and the stock LangChain pipeline (and MiniSearch if installed) at 1×.
// Prints a report and writes bench/results.md. Usage: npm run bench [-- --full] [--scales 1,10]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { writeSyntheticCorpus } from "./bench-corpus.mjs";

const root = path.resolve(import.meta.dirname, "..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const args = process.argv.slice(2);
const scalesArg = args.includes("--scales") ? args[args.indexOf("--scales") + 1]! : args.includes("--full") ? "1,10,100,1000" : "1,10,100";
const scales = scalesArg.split(",").map(Number);
const QUESTION = "Hạn báo cáo hằng năm là khi nào?";

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
    execFileSync(tsx, ["src/cli/ask.ts", "--json", QUESTION], { cwd: root, env: { ...process.env, CORPUS_DIR: corpusDir, DATA_DIR: dataDir, LOG_LEVEL: "silent" } });
    times.push(performance.now() - t);
  }
  return Math.round(times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!);
}

const diskMiB = (dir: string) => Number(execFileSync("du", ["-sb", dir]).toString().split("\t")[0]) / 2 ** 20;

function measureScale(scale: number): Json {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${scale}x-`));
  const corpusDir = path.join(dir, "corpus");
  const dataDir = path.join(dir, "data");
  try {
    const documents = writeSyntheticCorpus(path.join(root, "corpus"), corpusDir, scale);
    console.error(`${scale}×: ${documents} documents, building…`);
    const build = child("build", corpusDir, dataDir);
    const disk = Math.round(diskMiB(path.join(dataDir, "index")));
    const serve = child("serve", corpusDir, dataDir);
    const cold = coldStart(corpusDir, dataDir, scale >= 100 ? 1 : 3);
    const add = child("add", corpusDir, dataDir);
    const http = scale <= 100 ? child("http", corpusDir, dataDir) : null;
    const row = { scale, documents, build, disk, serve, cold, add, http };
    console.error(JSON.stringify(row));
    return row;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report(rows: Json[], baselines: Json): string {
  const lines = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\` (scripts/bench.mts) on ${new Date().toISOString().slice(0, 16)} UTC, ${os.cpus().length} cores,`,
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. Synthetic corpora: the shipped documents plus copies with new`,
    "ids, titles, numbers and shuffled digits (scripts/bench-corpus.mts). Each measurement runs in a fresh process;",
    "the machine is shared, so figures vary from run to run. Design and budgets: [docs/index.md](../docs/index.md).",
    "",
    "| corpus | documents | units | build | build peak RSS | index on disk | cold `ask` | load | serving RSS | answer p50 / p95 | dev hit@1 / hit@5 | add one document |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.scale}× | ${r.documents} | ${r.serve.units} | ${(r.build.ms / 1000).toFixed(1)} s | ${r.build.peakRssMiB} MiB | ${r.disk} MiB | ` +
        `${(r.cold / 1000).toFixed(2)} s | ${r.serve.loadMs} ms | ${r.serve.servingRssMiB} MiB | ${r.serve.p50} / ${r.serve.p95} ms | ` +
        `${r.serve.hit1} / ${r.serve.hit5} | ${(r.add.ms / 1000).toFixed(1)} s |`,
    ),
    "",
    "HTTP `POST /api/ask` (whole app: express, chat layer, answer), questions of the dev and paraphrase sets:",
    "",
    "| corpus | concurrency | requests | failed | p50 | p95 | answers/s |",
    "|---|---|---|---|---|---|---|",
    ...rows.flatMap((r) => (r.http ?? []).map((h: Json) => `| ${r.scale}× | ${h.concurrency} | ${h.requests} | ${h.failed} | ${h.p50} ms | ${h.p95} ms | ${h.perSecond} |`)),
    "",
    "Stock pipelines over all shipped documents, same dev questions (a chunk counts as a hit for the sections whose",
    "paragraphs it contains):",
    "",
    "| pipeline | hit@1 | hit@5 | p50 | p95 |",
    "|---|---|---|---|---|",
    `| this assistant (1×) | ${rows[0]?.serve.hit1} | ${rows[0]?.serve.hit5} | ${rows[0]?.serve.p50} ms | ${rows[0]?.serve.p95} ms |`,
    `| LangChain RecursiveCharacterTextSplitter (1000/200) + BM25Retriever, ${baselines.langchain.chunks} chunks | ${baselines.langchain.hit1} | ${baselines.langchain.hit5} | ${baselines.langchain.p50} ms | ${baselines.langchain.p95} ms |`,
    baselines.minisearch.skipped
      ? `| MiniSearch | — | — | — | — (${baselines.minisearch.skipped}; the project may not add packages) |`
      : `| MiniSearch (fuzzy 0.2, prefix) | ${baselines.minisearch.hit1} | ${baselines.minisearch.hit5} | ${baselines.minisearch.p50} ms | ${baselines.minisearch.p95} ms |`,
    "",
  ];
  return lines.join("\n");
}

const rows = scales.map(measureScale);
const baselines = child("baselines", path.join(root, "corpus"), fs.mkdtempSync(path.join(os.tmpdir(), "bench-base-")));
const text = report(rows, baselines);
fs.mkdirSync(path.join(root, "bench"), { recursive: true });
fs.writeFileSync(path.join(root, "bench/results.md"), text);
console.log(text);
