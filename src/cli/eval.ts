// `npm run eval -- --file FILE [--json]`: hit@1/3/5, must_include, abstention, false abstention, faithfulness.
import { openAssistant } from "../app.js";
import { loadConfig, secretsOf } from "../config.js";
import { aggregate, loadSourceTexts, readEvalFile, scoreItem, type EvalItem, type ItemResult, type Metrics } from "../eval/metrics.js";
import { createLogger, redact } from "../log.js";

async function main(argv: string[]): Promise<number> {
  const fileAt = argv.indexOf("--file");
  const file = fileAt >= 0 ? argv[fileAt + 1] : undefined;
  if (!file) {
    console.error("Usage: npm run eval -- --file FILE [--json]");
    return 2;
  }
  const config = loadConfig();
  const assistant = await openAssistant(config, createLogger("warn", secretsOf(config)));
  const items = readEvalFile(file);
  const sources = loadSourceTexts(config.corpusDir, assistant.documents());
  const results: ItemResult[] = [];
  let quotes = 0;
  for (const item of items) {
    const answer = await assistant.ask(item.question);
    quotes += answer.citations.length;
    results.push(scoreItem(item, answer, sources));
  }
  const metrics = aggregate(items, results, quotes);
  const byCategory = perCategory(items, results);
  if (argv.includes("--json")) {
    process.stdout.write(JSON.stringify(metrics) + "\n");
    return 0;
  }
  for (const r of results) {
    const problems = [
      r.shouldAbstain !== r.abstained ? (r.shouldAbstain ? "did not abstain" : "abstained") : "",
      !r.shouldAbstain && r.hitRank !== 1 ? `hit rank ${r.hitRank ?? "none"}` : "",
      r.missingIncludes.length ? `missing ${r.missingIncludes.join(", ")}` : "",
      r.forbidden.length ? `forbidden ${r.forbidden.join(", ")}` : "",
      r.unfaithful.length ? `unfaithful ${r.unfaithful.join(" / ")}` : "",
      r.leadHolds === false ? "lead lacks the fact" : "",
    ].filter(Boolean);
    if (problems.length) console.log(`${r.id} ${r.question}\n   ${problems.join("; ")}\n   cited: ${r.cited.join(", ") || "-"}`);
  }
  console.log(JSON.stringify(metrics, null, 1));
  if (byCategory.size > 1) for (const [cat, m] of byCategory) console.log(`${cat}: ${JSON.stringify(m)}`);
  return 0;
}

/** The same metrics per `cat` of the eval items. */
function perCategory(items: EvalItem[], results: ItemResult[]): Map<string, Metrics> {
  const cats = new Map<string, EvalItem[]>();
  for (const item of items) cats.set(item.cat ?? "-", [...(cats.get(item.cat ?? "-") ?? []), item]);
  const out = new Map<string, Metrics>();
  for (const [cat, group] of cats) {
    const ids = new Set(group.map((i) => i.id));
    const mine = results.filter((r) => ids.has(r.id));
    out.set(cat, aggregate(group, mine, mine.reduce((n, r) => n + r.cited.length, 0)));
  }
  return out;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`eval failed: ${redact(err.message)}`);
    process.exit(1);
  },
);
