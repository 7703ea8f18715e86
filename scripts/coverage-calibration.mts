// Prints the best section's coverage per eval question, to place MIN_COVERAGE between answerable and not.
import { loadConfig } from "../src/config.js";
import { readEvalFile } from "../src/eval/metrics.js";
import { openIndex } from "../src/index/store.js";
import { retrieve } from "../src/retrieve/hybrid.js";

const index = await openIndex(loadConfig());
for (const file of process.argv.slice(2))
  for (const item of readEvalFile(file)) {
    const r = await retrieve(index, item.question, 1);
    console.log((r.ranked[0]?.coverage ?? 0).toFixed(2), item.should_abstain ? "ABSTAIN" : "answer ", item.question);
  }
