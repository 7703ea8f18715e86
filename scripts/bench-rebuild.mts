// Benchmark (not a test): how long a corpus change takes on the shipped corpus (target < 5 s), and how many
// questions a serving process answers while it rebuilds. Works on temporary copies; the corpus is untouched.
// Usage: npm run bench:rebuild
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../src/config.js";
import { readSmokeQuestions } from "../src/admin/validate.js";
import { corpusAdmin, openAssistant } from "../src/app.js";
import { planDocx } from "../test/corpus/fixtures.js";

const root = path.resolve(import.meta.dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-rebuild-"));
fs.cpSync(path.join(root, "corpus"), path.join(tmp, "corpus"), { recursive: true });
const config = loadConfig(
  { ...process.env, CORPUS_DIR: path.join(tmp, "corpus"), DATA_DIR: path.join(tmp, "data"), LOG_LEVEL: "silent" },
  root,
);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const assistant = await openAssistant(config);
const SMOKE = readSmokeQuestions(config.corpusDir)[0]!;
const documents = assistant.documents().length;
const sections = assistant.index().sections.length;

/** Run `work` while a client asks a question every 5 ms; count answers, failures and latency. */
async function underLoad(work: () => Promise<unknown>) {
  const latencies: number[] = [];
  let failures = 0;
  // Longest wait between two answers: what a user asking at the worst moment waits (event-loop stalls).
  let stall = 0;
  let last = performance.now();
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const t = performance.now();
      try {
        const a = await assistant.ask(SMOKE.question);
        if (a.abstained || !a.citations.some((c) => c.doc === SMOKE.doc && c.section === SMOKE.section)) failures++;
      } catch {
        failures++;
      }
      latencies.push(performance.now() - t);
      stall = Math.max(stall, performance.now() - last);
      last = performance.now();
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const t = performance.now();
  await work();
  const ms = performance.now() - t;
  stop = true;
  await loop;
  return { ms, answered: latencies.length, failures, p50: pct(latencies, 50), p95: pct(latencies, 95), stall };
}

const onSwitch = (index: Parameters<typeof assistant.swap>[0]) => assistant.swap(index);
const cli = corpusAdmin(config, { onSwitch }); // as `npm run corpus`: builds in-process
const server = corpusAdmin(config, { onSwitch, worker: true }); // as the bot/HTTP: builds in a worker thread

const rows: Array<[string, Awaited<ReturnType<typeof underLoad>>]> = [];
rows.push(["reindex, in-process (CLI)", await underLoad(() => cli.reindex())]);
rows.push(["reindex, worker thread (server)", await underLoad(() => server.reindex())]);
const docx = await planDocx();
rows.push(["add DOCX, worker thread (server)", await underLoad(() => server.add({ bytes: docx, fileName: "ke-hoach.docx" }))]);
rows.push(["rollback (server)", await underLoad(() => server.rollback())]);

console.log(
  `Shipped corpus: ${documents} documents, ${sections} sections; embeddings ${config.EMBEDDINGS_PROVIDER}; ${os.cpus().length} CPUs`,
);
console.log("change                               time     answered during  failures  answer p50 / p95   longest wait");
for (const [name, r] of rows)
  console.log(
    `${name.padEnd(36)} ${s(r.ms).padStart(7)}  ${String(r.answered).padStart(15)}  ${String(r.failures).padStart(8)}  ` +
      `${r.p50.toFixed(0)} / ${r.p95.toFixed(0)} ms`.padEnd(18) +
      `${r.stall.toFixed(0)} ms`,
  );
const worst = Math.max(...rows.map(([, r]) => r.ms));
console.log(`target: every change < 5 s → ${worst < 5000 ? "OK" : "NOT MET"} (slowest ${s(worst)})`);
fs.rmSync(tmp, { recursive: true, force: true });
