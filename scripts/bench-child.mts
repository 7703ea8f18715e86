// One benchmark measurement in a fresh process (so its peak memory is its own); prints one JSON line.
// Usage: tsx scripts/bench-child.mts build|serve|legal|server|baselines CORPUS_DIR DATA_DIR
//        tsx scripts/bench-child.mts load URL (the HTTP load generator, in a process of its own)
import path from "node:path";
import { performance } from "node:perf_hooks";
import { answerQuestion } from "../src/answer/index.js";
import { loadConfig } from "../src/config.js";
import { loadCorpus } from "../src/corpus/load.js";
import { citationMatches, readEvalFile, type EvalItem } from "../src/eval/metrics.js";
import { buildVersion, currentVersion, embeddingsId, loadVersion, setCurrentVersion } from "../src/index/store.js";
import { silentLogger } from "../src/log.js";
import { startApp } from "../src/http/server.js";
import { stockBaseline } from "./bench-baselines.mjs";
import { defaultLegalDir, goldRank, readLegalQuestions } from "./bench-legal.mjs";

const root = path.resolve(import.meta.dirname, "..");
const [mode, corpusDir, dataDir] = process.argv.slice(2) as [string, string, string];
const env = { ...process.env, CORPUS_DIR: corpusDir, DATA_DIR: dataDir, LOG_LEVEL: "silent" };
// No rate limit for the load test; an ephemeral loopback port.
Object.assign(env, { RATE_LIMIT_PER_MINUTE: "100000000", PORT: "0", HOST: "127.0.0.1" });
const config = loadConfig(env, root);
const rssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
/** CPU milliseconds this process has used (user + system): unlike wall time, barely moved by other load. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
export const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

const devItems = () => readEvalFile(path.join(root, "test/dev.jsonl"));
const questions = () => [...devItems(), ...readEvalFile(path.join(root, "test/paraphrase.jsonl"))].map((i) => i.question);

/** Rank (1-based) of the first citation that matches the item's expected sections, or null. */
export function hitRank(item: EvalItem, cited: { doc: string; section: string }[]): number | null {
  const at = cited.findIndex((c) => item.expect.some((e) => citationMatches(c, e)));
  return at < 0 ? null : at + 1;
}

export function hitRates(items: EvalItem[], ranks: (number | null)[]): { hit1: number; hit5: number } {
  const scored = items.map((item, i) => ({ item, rank: ranks[i] })).filter((x) => x.item.expect.length > 0);
  const share = (k: number) => scored.filter((x) => x.rank !== null && x.rank! <= k).length / Math.max(1, scored.length);
  return { hit1: Number(share(1).toFixed(3)), hit5: Number(share(5).toFixed(3)) };
}

async function build() {
  const t = performance.now();
  const cpu = cpuMs();
  const version = await buildVersion(config, loadCorpus(config.corpusDir, embeddingsId(config)));
  setCurrentVersion(config.dataDir, version);
  return { ms: Math.round(performance.now() - t), cpuMs: Math.round(cpuMs() - cpu), peakRssMiB: rssMiB() };
}

async function serve() {
  let t = performance.now();
  const index = await loadVersion(config, currentVersion(config.dataDir)!);
  const loadMs = Math.round(performance.now() - t);
  const items = devItems();
  const ranks: (number | null)[] = [];
  for (const item of items) ranks.push(hitRank(item, (await answerQuestion(index, item.question)).citations));
  const latencies: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < 3; round++)
    for (const q of questions()) {
      t = performance.now();
      const c = cpuMs();
      await answerQuestion(index, q);
      cpu.push(cpuMs() - c);
      latencies.push(performance.now() - t);
    }
  const p = (x: number) => Number(pct(latencies, x).toFixed(1));
  const cpuP = { cpuP50: Number(pct(cpu, 50).toFixed(1)), cpuP95: Number(pct(cpu, 95).toFixed(1)) };
  const servingRssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const sizes = { units: index.meta.units, documents: index.documents.length };
  return { loadMs, ...sizes, p50: p(50), p95: p(95), ...cpuP, ...hitRates(items, ranks), servingRssMiB, peakRssMiB: rssMiB() };
}

/** POST /api/ask at a given concurrency: `total` questions, `concurrency` in flight at once. */
async function load(url: string, concurrency: number, total: number) {
  const qs = questions();
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const q = qs[next++ % qs.length]!;
      const t = performance.now();
      const body = JSON.stringify({ question: q });
      try {
        const res = await fetch(`${url}/api/ask`, { method: "POST", headers: { "content-type": "application/json" }, body });
        await res.text();
        if (!res.ok) failed++;
      } catch {
        failed++; // a reset connection is a failed request, not the end of the measurement
      }
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const p = (x: number) => Number(pct(latencies, x).toFixed(1));
  return { concurrency, requests: total, failed, p50: p(50), p95: p(95), perSecond: Math.round(total / seconds) };
}

/** The whole app on a loopback port until stdin closes; prints its URL (the load comes from another process). */
async function server() {
  const app = await startApp(config, silentLogger);
  process.stdout.write(`${JSON.stringify({ url: app.url })}\n`);
  await new Promise((resolve) => process.stdin.on("close", resolve).resume());
  await app.close();
  return { closed: true };
}

/** The load generator: POST /api/ask at concurrency 1, 16 and 64 against a server in another process. */
async function loadAll() {
  const out = [];
  for (const c of [1, 16, 64]) out.push(await load(corpusDir, c, Math.max(200, c * 8)));
  return out;
}

/**
 * Quality at scale on distinct documents: the legal benchmark's test questions over its laws (present in the
 * corpus next to the synthetic copies), answer hit@1 / hit@5 by the gold article and the wrong-law rate.
 */
async function legal() {
  const index = await loadVersion(config, currentVersion(config.dataDir)!);
  const present = new Set(index.documents.map((d) => d.id));
  const questions = readLegalQuestions(process.env.BENCH_LEGAL_DIR ?? defaultLegalDir(root), "test").filter((q) =>
    q.gold.every((g) => present.has(g.doc)),
  );
  let hit1 = 0;
  let hit5 = 0;
  let wrongLaw = 0;
  let abstained = 0;
  for (const q of questions) {
    const a = await answerQuestion(index, q.question);
    const rank = goldRank(q, a.citations);
    if (rank === 1) hit1++;
    if (rank !== null && rank <= 5) hit5++;
    if (a.abstained) abstained++;
    else if (a.citations[0] && !q.gold.some((g) => g.doc === a.citations[0]!.doc)) wrongLaw++;
  }
  const share = (n: number) => Number((n / Math.max(1, questions.length)).toFixed(3));
  return { questions: questions.length, hit1: share(hit1), hit5: share(hit5), wrongLaw: share(wrongLaw), abstained: share(abstained) };
}

const modes: Record<string, () => Promise<unknown>> = {
  build,
  serve,
  legal,
  server,
  load: loadAll,
  baselines: () => stockBaseline(corpusDir, devItems()),
};
const run = modes[mode];
if (!run) throw new Error(`unknown mode ${mode}`);
process.stdout.write(`${JSON.stringify(await run())}\n`);
process.exit(0);
