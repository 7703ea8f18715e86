// Print the ranking behind an answer: `npx tsx scripts/debug-retrieve.ts "câu hỏi"` (`K=40` for more than the 10 best).
import { loadConfig } from "../src/config.js";
import { openIndex } from "../src/index/store.js";
import { retrieve } from "../src/retrieve/hybrid.js";

const index = await openIndex(loadConfig());
const r = await retrieve(index, process.argv.slice(2).join(" "), Number(process.env.K ?? 10));
console.log("amount", r.query.asksAmount, "measured", r.query.measured.map((t) => t.fold).join(" "), "duration", r.query.asksDuration);
console.log("intent", r.query.intent, "hints", r.query.documents.ids, "content", r.query.analyzed.content.map((t) => t.fold).join(" "));
console.log([...r.query.features.entries()].map(([k, v]) => `${k}=${v}`).join(" "));
for (const x of r.ranked)
  console.log(
    x.score.toFixed(3),
    `lex=${x.lexical.toFixed(2)} vec=${x.vector.toFixed(2)} cov=${x.coverage.toFixed(2)}`,
    `${x.section.doc}#${x.section.id}`,
    index.unitText(x.unit).replace(/\n/g, " | ").slice(-120),
  );
