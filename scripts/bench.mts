// Benchmark (not a test): index build time, answer latency p50/p95 from a loaded index, `ask` cold start.
// Usage: npm run bench
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { answerQuestion } from "../src/answer/index.js";
import { loadConfig } from "../src/config.js";
import { loadCorpus } from "../src/corpus/load.js";
import { readEvalFile } from "../src/eval/metrics.js";
import { buildVersion, embeddingsId, loadVersion, setCurrentVersion } from "../src/index/store.js";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" }, root);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

let t = performance.now();
const version = await buildVersion(config, loadCorpus(config.corpusDir, embeddingsId(config)));
const buildMs = performance.now() - t;
setCurrentVersion(config.dataDir, version);
t = performance.now();
const index = await loadVersion(config, version);
const loadMs = performance.now() - t;

const questions = [...readEvalFile(path.join(root, "test/dev.jsonl")), ...readEvalFile(path.join(root, "test/paraphrase.jsonl"))].map((i) => i.question);
for (const q of questions.slice(0, 5)) await answerQuestion(index, q); // warm-up
const latencies: number[] = [];
for (let round = 0; round < 5; round++)
  for (const q of questions) {
    const s = performance.now();
    await answerQuestion(index, q);
    latencies.push(performance.now() - s);
  }

const cold: number[] = [];
for (let i = 0; i < 3; i++) {
  const s = performance.now();
  execFileSync(path.join(root, "node_modules/.bin/tsx"), ["src/cli/ask.ts", "--json", "Hạn báo cáo hằng năm là khi nào?"], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" },
  });
  cold.push(performance.now() - s);
}
const mem = process.memoryUsage();
console.log(`sections indexed (paragraph units): ${index.units.length} from ${index.documents.length} documents`);
console.log(`index build: ${buildMs.toFixed(0)} ms (target < 5000 ms); load: ${loadMs.toFixed(0)} ms`);
console.log(`answer latency over ${latencies.length} answers: p50 ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms (target p50 < 20 ms)`);
console.log(`ask cold start (process spawn → JSON answer): median ${pct(cold, 50).toFixed(0)} ms (target < 2000 ms)`);
console.log(`memory: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
fs.rmSync(dataDir, { recursive: true, force: true });
