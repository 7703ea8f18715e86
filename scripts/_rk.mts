import { openAssistant } from "/work/main/src/app.js";
import { loadConfig } from "/work/main/src/config.js";
import { retrieve } from "/work/main/src/retrieve/hybrid.js";
const a = await openAssistant(loadConfig({ ...process.env, LOG_LEVEL: "silent" }, "/work/main"));
for (const q of process.argv.slice(2)) {
  const r = await retrieve(a.index(), q);
  console.log(q);
  for (const x of r.ranked.slice(0, 8)) console.log("  ", x.section.doc, x.section.id, x.score.toFixed(3), "cov", x.coverage.toFixed(2), "title", x.title.toFixed(2), "lex", x.lexical.toFixed(2));
}
