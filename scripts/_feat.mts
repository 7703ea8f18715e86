import fs from "node:fs";
import { loadConfig } from "../src/config.js";
import { openIndex } from "../src/index/store.js";
import { retrieve } from "../src/retrieve/hybrid.js";
import { splitOf } from "../src/eval/legal.js";
import { decisionFeatures, answerProbability, answeredOnCoverage } from "../src/answer/decision.js";
import { readManifest } from "../src/corpus/manifest.js";
const config = loadConfig();
const index = await openIndex(config);
const decision = (readManifest(config.corpusDir) as any).profile?.decision;
const [file, split] = process.argv.slice(2);
for (const line of fs.readFileSync(file!, "utf8").split("\n").filter(Boolean)) {
  const q = JSON.parse(line);
  if (split && splitOf(String(q.id)) !== split) continue;
  const r = await retrieve(index, q.question, 10);
  const top = r.ranked[0];
  const gold = (q.gold ?? []).map((g: any) => `${g.doc}#D${g.article}`);
  const art = top ? `${top.section.doc}#${top.section.id.split(".")[0]}` : "-";
  const f = decisionFeatures(r);
  const p = decision ? answerProbability(decision, f) : 0;
  const cov = answeredOnCoverage(r, 0.58, true);
  console.log([q.id, gold.includes(art) ? "GOLD" : "miss", cov ? "COV" : "   ", p.toFixed(2), Object.entries(f).map(([k, v]) => `${k}=${(v as number).toFixed(2)}`).join(" ")].join(" "));
}
