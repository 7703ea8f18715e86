import path from "node:path";
import fs from "node:fs";
import { openAssistant } from "/work/wt/legal3/src/app.js";
import { buildLegalCorpus } from "/work/wt/legal3/src/cli/eval-legal.js";
import { readLaws, readLegalQuestions, splitOf, isGold } from "/work/wt/legal3/src/eval/legal.js";
import { retrieve } from "/work/wt/legal3/src/retrieve/hybrid.js";
import { decisionFeatures, answerProbability } from "/work/wt/legal3/src/answer/decision.js";
const file = process.argv[2]!; const split = process.argv[3];
const config = await buildLegalCorpus(readLaws("/work/shared/eval/legal/laws").files, "/tmp/legal3/work");
const a = await openAssistant(config);
const index = a.index();
for (const q of readLegalQuestions(file).filter((q) => !split || splitOf(q.id) === split)) {
  const r = await retrieve(index, q.question, 5);
  const f = decisionFeatures(r);
  const p = answerProbability(index.profile.decision!, f);
  const top = r.ranked[0];
  const gold = top && isGold({ doc: top.section.doc, section: top.section.id }, q.gold);
  const rank = r.ranked.findIndex((x) => isGold({ doc: x.section.doc, section: x.section.id }, q.gold));
  console.log(q.id, gold ? "G" : "-", rank, `p=${p.toFixed(2)}`, Object.entries(f).map(([k, v]) => `${k}=${v.toFixed(2)}`).join(" "), "|", r.query.analyzed.content.map((t) => t.orig).join(" "));
}
