import { answerDuties } from "../src/duties/answer.js";
import { loadCorpusDuties } from "../src/duties/load.js";
const p = loadCorpusDuties("corpus");
for (const q of process.argv.slice(2)) {
  const a = answerDuties(q, p.duties, p.docs, { agencies: p.agencies });
  console.log("Q:", q, "\n", a?.answer, "\n--more--\n", a?.more?.text, "\n", a?.citations.map((c) => c.section), a?.more?.citations.map((c) => c.section), "\n=====");
}
