// Split a question set into dev and test halves with a fixed seed, so tuning never sees the test items:
//   node scripts/split-eval.mjs SET.jsonl [--seed N] [--test FRACTION]  →  SET.dev.jsonl, SET.test.jsonl
// The same seed and file always give the same split (mulberry32 shuffle of the lines).
import fs from "node:fs";

const args = process.argv.slice(2);
const opt = (flag, fallback) => {
  const i = args.indexOf(flag);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
};
const file = args.find((a) => a.endsWith(".jsonl"));
if (!file) {
  console.error("Usage: node scripts/split-eval.mjs SET.jsonl [--seed N] [--test FRACTION]");
  process.exit(2);
}
let state = opt("--seed", 20) >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const lines = fs
  .readFileSync(file, "utf8")
  .split("\n")
  .filter((l) => l.trim());
const order = lines.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [order[i], order[j]] = [order[j], order[i]];
}
const testCount = Math.round(lines.length * opt("--test", 0.6));
const test = new Set(order.slice(0, testCount));
const pick = (inTest) => lines.filter((_, i) => test.has(i) === inTest).join("\n") + "\n";
const base = file.replace(/\.jsonl$/, "");
fs.writeFileSync(`${base}.dev.jsonl`, pick(false));
fs.writeFileSync(`${base}.test.jsonl`, pick(true));
console.log(`${base}.dev.jsonl: ${lines.length - testCount} items, ${base}.test.jsonl: ${testCount} items (seed ${opt("--seed", 20)})`);
