// Benchmark (not a test): the staff console's costs on the shipped corpus — a staged upload preview (built in a
// worker thread while questions keep coming), a question answered from the staged version, and the question log
// (writes, and grouping of unanswered questions at 10,000 logged questions). Works on temporary copies.
// Usage: npm run bench:console
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { answerQuestion } from "../src/answer/index.js";
import { corpusAdmin, openAssistant } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { openQuestionLog } from "../src/console/questions.js";
import { answerOf } from "../src/types.js";
import { planDocx, PLAN_QUESTION } from "../test/corpus/fixtures.js";

const root = path.resolve(import.meta.dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-console-"));
fs.cpSync(path.join(root, "corpus"), path.join(tmp, "corpus"), { recursive: true });
const config = loadConfig(
  { ...process.env, CORPUS_DIR: path.join(tmp, "corpus"), DATA_DIR: path.join(tmp, "data"), LOG_LEVEL: "silent" },
  root,
);
const ms = (x: number) => `${x.toFixed(0)} ms`;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

const assistant = await openAssistant(config);
const admin = corpusAdmin(config, { worker: true });
const bytes = await planDocx();

// Preview while a client asks every 5 ms: answers keep flowing, none fails.
let stop = false;
let answered = 0;
let longest = 0;
const client = (async () => {
  let last = performance.now();
  while (!stop) {
    await assistant.ask("Hạn báo cáo hằng năm là khi nào?");
    answered++;
    longest = Math.max(longest, performance.now() - last);
    last = performance.now();
    await new Promise((r) => setTimeout(r, 5));
  }
})();
const rss0 = process.memoryUsage().rss;
let t = performance.now();
const { staged } = await admin.stage({ bytes, fileName: "ke-hoach-15.docx" });
const stageMs = performance.now() - t;
const rssStaged = process.memoryUsage().rss - rss0;
stop = true;
await client;
t = performance.now();
const a = await answerQuestion(staged.index, PLAN_QUESTION.question);
const askMs = performance.now() - t;
staged.discard();

const log = openQuestionLog(path.join(tmp, "data", "questions.sqlite"));
const topics = ["học phí", "vé máy bay", "căn cước", "thời tiết", "lương giáo viên", "giá xăng", "bóng đá", "xe buýt"];
t = performance.now();
for (let i = 0; i < 10_000; i++) {
  const q = `${topics[i % topics.length]} ${i % 3 === 0 ? "năm nay" : "tháng này"} thế nào ${i % 50}`;
  await log.record({
    channel: i % 2 ? "web" : "telegram",
    userId: String(i % 700),
    answer: answerOf({ question: q, answer: "…", abstained: i % 4 === 0, mode: "extractive", citations: [] }),
  });
}
const writeMs = performance.now() - t;
t = performance.now();
const groups = await log.unanswered();
const groupMs = performance.now() - t;
t = performance.now();
await log.stats();
const statsMs = performance.now() - t;
await log.close();
fs.rmSync(tmp, { recursive: true, force: true });

console.log(`staged preview of a DOCX (worker thread)   ${ms(stageMs)}  (+${mib(rssStaged)} resident while staged)`);
console.log(`  questions answered meanwhile              ${answered}, longest wait ${ms(longest)}`);
console.log(
  `question answered from the staged version  ${ms(askMs)}  (${a.citations[0]?.doc ?? "no citation"} ${a.citations[0]?.section ?? ""})`,
);
console.log(`question log: 10,000 writes                ${ms(writeMs)}  (${(writeMs / 10).toFixed(2)} ms per 1,000)`);
console.log(`unanswered groups over 2,500 abstentions   ${ms(groupMs)}  (${groups.length} groups)`);
console.log(`usage stats over 10,000 questions          ${ms(statsMs)}`);
process.exit(0);
