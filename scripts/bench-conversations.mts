// Follow-up memory cost per question: `npx tsx scripts/bench-conversations.mts` prints the mean time of one
// append (after an answer) and one read (before an answer) of the SQLite conversation store.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openSqliteConversationStore, type Turn } from "../src/chat/conversation-store.js";

const CONVERSATIONS = 500;
const OPERATIONS = 5000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-conversations-"));
const store = openSqliteConversationStore(path.join(dir, "conversations.sqlite"), { ttlMs: 30 * 60_000, maxTurns: 5 });
const turn: Turn = {
  question: "còn Sở Xây dựng thì sao?",
  standalone: "Sở Xây dựng phải làm gì trong kế hoạch?",
  topic: "Sở Xây dựng",
  agency: "Sở Xây dựng",
  docs: ["plan", "decree"],
  items: ["một câu trích dẫn dài ".repeat(5), "một câu trích dẫn khác ".repeat(5)],
};

async function timed(work: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < OPERATIONS; i++) await work(i);
  return (performance.now() - start) / OPERATIONS;
}

const append = await timed((i) => store.append(`telegram:${i % CONVERSATIONS}`, turn));
const read = await timed((i) => store.get(`telegram:${i % CONVERSATIONS}`));
store.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(
  `conversation store (${CONVERSATIONS} conversations, 5 turns each): append ${append.toFixed(3)} ms, read ${read.toFixed(3)} ms`,
);
