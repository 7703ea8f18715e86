// Coordinate ascent over the ranking knobs of src/retrieve/ranking.ts on the legal benchmark's train split
// (Anserini style: every change measured against the defaults on a fixed split; dev is only reported, test never
// read). Prints the ranking hit@1 (first ranked section in the gold article) per knob value.
// Usage: npx tsx scripts/tune-ranking.mts LEGAL_DIR --work DIR
import path from "node:path";
import { openAssistant } from "../src/app.js";
import { buildLegalCorpus } from "../src/cli/eval-legal.js";
import { isGold, readLaws, readLegalQuestions, splitOf } from "../src/eval/legal.js";
import { retrieve } from "../src/retrieve/hybrid.js";
import { defaultRankingOptions, type RankingOptions } from "../src/retrieve/ranking.js";

const [legalDir, , work] = process.argv.slice(2);
const config = await buildLegalCorpus(readLaws(path.join(legalDir!, "laws")).files, path.resolve(work!));
const index = (await openAssistant(config)).index();
const questions = readLegalQuestions(path.join(legalDir!, "questions.jsonl"));
const train = questions.filter((q) => splitOf(q.id) === "train");
const dev = questions.filter((q) => splitOf(q.id) === "dev");

async function hit1(qs: typeof questions, o: RankingOptions): Promise<number> {
  let hits = 0;
  for (const q of qs) {
    const top = (await retrieve(index, q.question, 1, o)).ranked[0];
    if (top && isGold({ doc: top.section.doc, section: top.section.id }, q.gold)) hits++;
  }
  return Math.round((hits / qs.length) * 1000) / 1000;
}

const grid: Partial<Record<keyof RankingOptions, number[]>> = {
  lexicalWeight: [0.6, 0.75, 0.9],
  titleMatch: [0.2, 0.35, 0.6, 1.0],
  coverageFloor: [0.3, 0.5, 0.7],
  candidates: [40, 80],
  namedDocument: [1.5, 2.5],
};
let best = { ...defaultRankingOptions };
let bestScore = await hit1(train, best);
console.log(`defaults: train ${bestScore}, dev ${await hit1(dev, best)}`);
for (let round = 0; round < 2; round++) {
  for (const [knob, values] of Object.entries(grid) as [keyof RankingOptions, number[]][]) {
    for (const v of values) {
      const o = { ...best, [knob]: v, ...(knob === "lexicalWeight" ? { vectorWeight: 1 - v } : {}) };
      const s = await hit1(train, o);
      console.log(`  ${knob}=${v}: train ${s}`);
      if (s > bestScore) [best, bestScore] = [o, s];
    }
  }
}
const changed = Object.entries(best).filter(([k, v]) => defaultRankingOptions[k as keyof RankingOptions] !== v);
console.log(`best: ${JSON.stringify(Object.fromEntries(changed))}: train ${bestScore}, dev ${await hit1(dev, best)}`);
