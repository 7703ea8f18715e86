// `npm run eval -- --file FILE [--json] [--by-doc] [--corpus DIR] [--add PLAN_FILE …] [--primary ID]`:
// hit@1/3/5, must_include, abstention, false abstention, faithfulness, lead and reply length; with --by-doc the
// same figures per document an item is about. --corpus evaluates another corpus folder; --add copies the corpus
// to a temporary folder and adds each file through the same operation as `npm run corpus -- add` (so a question
// set about a new plan runs against a corpus that holds it); --primary then gives that document the primary role.
// With --corpus or --add the index is built in a temporary DATA_DIR: the serving version is never touched.
// `--conversations FILE [--split train|dev|test]`: each conversation asked turn by turn through the same
// follow-up layer as the channels; first-turn and follow-up pass rates and whole conversations right.
// `--legal DIR` runs the public legal benchmark instead (src/cli/eval-legal.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { corpusAdmin, openAssistant } from "../app.js";
import { agencySpans, type Assistant } from "../answer/index.js";
import { createQuestionRewriter } from "../answer/llm.js";
import { openConversations } from "../chat/conversation.js";
import { openSqliteConversationStore } from "../chat/conversation-store.js";
import { conversationMetrics, readConversationFile, scoreTurn, splitOf, type Split, type TurnResult } from "../eval/conversations.js";
import { loadConfig, secretsOf, type Config } from "../config.js";
import { aggregate, groupedMetrics, itemDocument, loadSourceTexts, readEvalFile, scoreItem, type ItemResult } from "../eval/metrics.js";
import { createLogger, redact } from "../log.js";
import { legalMain } from "./eval-legal.js";

const USAGE =
  "Usage: npm run eval -- --file FILE [--json] [--by-doc] [--corpus DIR] [--add PLAN_FILE …] [--primary ID]\n" +
  "       npm run eval -- --conversations FILE [--split train|dev|test] [--json]\n" +
  "       npm run eval -- --legal DIR [--split train|dev|test|all] [--json] [--work DIR] [--misses N] [--questions FILE]";

const valuesOf = (argv: string[], flag: string) => argv.flatMap((a, i) => (a === flag && argv[i + 1] ? [argv[i + 1]!] : []));

/** The config to evaluate: the configured corpus, or a temporary copy/another folder with its own DATA_DIR. */
async function evalConfig(argv: string[], temp: string[]): Promise<Config> {
  const corpus = valuesOf(argv, "--corpus")[0];
  const adds = valuesOf(argv, "--add");
  const base = loadConfig(corpus ? { ...process.env, CORPUS_DIR: path.resolve(corpus) } : process.env);
  if (!corpus && !adds.length) return base;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eval-"));
  temp.push(dir);
  const corpusDir = path.join(dir, "corpus");
  fs.cpSync(base.corpusDir, corpusDir, { recursive: true });
  const config = loadConfig({ ...process.env, CORPUS_DIR: corpusDir, DATA_DIR: path.join(dir, "data") });
  const admin = corpusAdmin(config);
  for (const file of adds) await admin.add({ bytes: fs.readFileSync(file), fileName: path.basename(file) });
  for (const id of valuesOf(argv, "--primary")) await admin.update(id, { role: "primary" });
  return config;
}

async function run(assistant: Assistant, config: Config, file: string): Promise<{ results: ItemResult[]; quotes: number }> {
  const items = readEvalFile(file);
  const sources = loadSourceTexts(config.corpusDir, assistant.documents());
  const results: ItemResult[] = [];
  let quotes = 0;
  for (const item of items) {
    const answer = await assistant.ask(item.question);
    quotes += answer.citations.length;
    results.push(scoreItem(item, answer, sources));
  }
  return { results, quotes };
}

function printProblems(results: ItemResult[]): void {
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
}

/** Every conversation of the split, turn by turn, in a fresh conversation of its own (memory only). */
async function runConversations(assistant: Assistant, config: Config, file: string, split?: Split): Promise<TurnResult[]> {
  const all = readConversationFile(file);
  const splits = splitOf(all.map((c) => c.id));
  const chosen = split ? all.filter((c) => splits.get(c.id) === split) : all;
  const log = createLogger("warn", secretsOf(config));
  const store = openSqliteConversationStore(":memory:", { ttlMs: 3_600_000, maxTurns: config.CONVERSATION_MAX_TURNS });
  const rewriter = config.ANSWER_MODE === "llm" ? createQuestionRewriter(config, log) : undefined;
  const conversations = openConversations(config, { agencies: agencySpans(config.corpusDir, log), rewriter, log, store });
  const sources = loadSourceTexts(config.corpusDir, assistant.documents());
  const results: TurnResult[] = [];
  try {
    for (const c of chosen)
      for (const [i, turn] of c.turns.entries()) {
        const answer = await conversations.answer(c.id, turn.question, assistant);
        results.push(scoreTurn(c.id, i, turn, answer, sources));
      }
  } finally {
    conversations.close();
  }
  return results;
}

function printTurnProblems(results: TurnResult[]): void {
  // A turn that passes is listed too when its lead says the documents do not state what they do state, or when it
  // switches topic but was read with the previous one (issue 19 counts it even when the answer happens to be right).
  const carried = (x: TurnResult) => x.kind === "switch" && x.resolved !== undefined;
  for (const r of results.filter((x) => !x.pass || (x.item.unstated && !x.item.shouldAbstain) || carried(x))) {
    const it = r.item;
    const problems = [
      it.shouldAbstain !== it.abstained ? (it.shouldAbstain ? "did not abstain" : "abstained") : "",
      !it.shouldAbstain && (it.hitRank ?? 99) > 5 ? `hit rank ${it.hitRank ?? "none"}` : "",
      it.missingIncludes.length ? `missing ${it.missingIncludes.join(", ")}` : "",
      it.forbidden.length ? `forbidden ${it.forbidden.join(", ")}` : "",
      !it.shouldAbstain && it.unstated ? "lead says not stated" : "",
      carried(r) ? "switch read with the previous topic" : "",
    ].filter(Boolean);
    const read = r.resolved ? `\n   read as${r.shown ? "" : " (not shown)"}: ${r.resolved}` : "";
    console.log(
      `${it.id} [${r.kind}] ${r.question}${read}\n   ${problems.join("; ")}\n   cited: ${it.cited.slice(0, 5).join(", ") || "-"}`,
    );
  }
}

async function conversationsMain(argv: string[], file: string): Promise<number> {
  const split = valuesOf(argv, "--split")[0];
  if (split && !["train", "dev", "test"].includes(split)) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const assistant = await openAssistant(config, createLogger("warn", secretsOf(config)));
  const results = await runConversations(assistant, config, file, split as Split | undefined);
  const metrics = { split: split ?? "all", ...conversationMetrics(results) };
  if (argv.includes("--json")) {
    process.stdout.write(JSON.stringify(metrics) + "\n");
    return 0;
  }
  printTurnProblems(results);
  console.log(JSON.stringify(metrics, null, 1));
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const conversationFile = valuesOf(argv, "--conversations")[0];
  if (conversationFile) return conversationsMain(argv, conversationFile);
  if (argv.includes("--legal")) return legalMain(argv);
  const file = valuesOf(argv, "--file")[0];
  if (!file) {
    console.error(USAGE);
    return 2;
  }
  const temp: string[] = [];
  try {
    const config = await evalConfig(argv, temp);
    const assistant = await openAssistant(config, createLogger("warn", secretsOf(config)));
    const items = readEvalFile(file);
    const { results, quotes } = await run(assistant, config, file);
    const metrics = aggregate(items, results, quotes);
    const byDoc = argv.includes("--by-doc") ? groupedMetrics(items, results, itemDocument) : undefined;
    if (argv.includes("--json")) {
      process.stdout.write(JSON.stringify(byDoc ? { ...metrics, by_doc: Object.fromEntries(byDoc) } : metrics) + "\n");
      return 0;
    }
    printProblems(results);
    console.log(JSON.stringify(metrics, null, 1));
    const byCategory = groupedMetrics(items, results, (i) => i.cat ?? "-");
    if (byCategory.size > 1) for (const [cat, m] of byCategory) console.log(`${cat}: ${JSON.stringify(m)}`);
    if (byDoc) for (const [doc, m] of byDoc) console.log(`doc ${doc}: ${JSON.stringify(m)}`);
    return 0;
  } finally {
    for (const dir of temp) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`eval failed: ${redact(err.message)}`);
    process.exit(1);
  },
);
