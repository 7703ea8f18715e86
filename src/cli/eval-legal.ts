// `npm run eval -- --legal DIR [--split train|dev|test|all] [--json] [--work DIR] [--misses N]`: the public
// legal benchmark. Copies the corpus folder to a temporary directory, adds every law of DIR/laws through the
// same operation as `npm run corpus -- add` (the operator states the id: the file name, which the questions
// use), removes the shipped documents with `corpus remove`, then asks DIR/questions.jsonl (read at run time,
// never copied into the repository) of the split and reports answer hit@1/hit@5, abstained-although-
// answerable and wrong-law rates beside a plain BM25 over articles on the same questions. A temporary
// DATA_DIR: the serving index is never touched. `--work DIR` keeps the built corpus there and reuses it;
// `--questions FILE` asks another set of questions over the same laws (e.g. test/legal-user.jsonl) instead,
// whole, or the part of it `--split` names.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Assistant } from "../answer/index.js";
import { corpusAdmin, openAssistant } from "../app.js";
import { loadConfig, secretsOf, type Config } from "../config.js";
import { EMPTY_PROFILE, readManifest, writeManifest } from "../corpus/manifest.js";
import {
  ArticleBm25,
  baselineAnswer,
  type LegalMetrics,
  type LegalQuestion,
  type LegalResult,
  legalMetrics,
  readLaws,
  readLegalQuestions,
  scoreLegal,
  type Split,
  SPLITS,
  splitOf,
} from "../eval/legal.js";
import { createLogger } from "../log.js";
import { retrieve } from "../retrieve/hybrid.js";

const flagValue = (argv: string[], flag: string) => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};

/** A corpus holding exactly the benchmark's laws, built through corpus add/remove in `dir`. */
export async function buildLegalCorpus(lawFiles: string[], dir: string): Promise<Config> {
  const base = loadConfig(process.env);
  const corpusDir = path.join(dir, "corpus");
  const config = loadConfig({ ...process.env, CORPUS_DIR: corpusDir, DATA_DIR: path.join(dir, "data") });
  if (fs.existsSync(path.join(dir, "built"))) return withCurrentData(base.corpusDir, corpusDir, config);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(base.corpusDir, corpusDir, { recursive: true });
  const shipped = readManifest(corpusDir).documents.map((d) => d.id);
  const admin = corpusAdmin(config);
  for (const file of lawFiles) {
    const id = path.basename(file).replace(/\.[^.]+$/, "");
    await admin.add({ bytes: fs.readFileSync(file), fileName: path.basename(file), overrides: { id } });
  }
  for (const id of shipped) await admin.remove(id);
  fs.writeFileSync(path.join(dir, "built"), new Date().toISOString());
  return config;
}

/**
 * A kept corpus takes the current glossary and decision model of the configured corpus (what tuning changes);
 * the laws stay as added. The index is rebuilt on open when they differ (the corpus hash covers them).
 */
function withCurrentData(from: string, to: string, config: Config): Config {
  fs.copyFileSync(path.join(from, "glossary.json"), path.join(to, "glossary.json"));
  const manifest = readManifest(to);
  const decision = readManifest(from).profile?.decision;
  const profile = { ...(manifest.profile ?? EMPTY_PROFILE), decision };
  if (JSON.stringify(profile) !== JSON.stringify(manifest.profile)) writeManifest(to, { ...manifest, profile });
  return config;
}

export interface LegalRun {
  split: string;
  items: number;
  answer: LegalMetrics;
  /** The assistant's own ranking: the first ranked section is the gold article (before any decision to answer). */
  ranking_hit1: number;
  bm25: LegalMetrics;
  /** Seconds to build the corpus (0 when reused) and to ask the questions. */
  build_s: number;
  ask_s: number;
  results: LegalResult[];
}

async function ask(assistant: Assistant, questions: LegalQuestion[]): Promise<{ results: LegalResult[]; rankingHits: number }> {
  const results: LegalResult[] = [];
  let rankingHits = 0;
  for (const q of questions) {
    results.push(scoreLegal(q, await assistant.ask(q.question)));
    const top = (await retrieve(assistant.index(), q.question, 1)).ranked[0];
    if (
      top &&
      scoreLegal(q, { abstained: false, citations: [{ doc: top.section.doc, section: top.section.id, title: "", quote: "" }] }).hitRank ===
        1
    )
      rankingHits++;
  }
  return { results, rankingHits };
}

export async function runLegalBenchmark(dir: string, split: Split | "all", workDir?: string, questionFile?: string): Promise<LegalRun> {
  const laws = readLaws(path.join(dir, "laws"));
  const all = readLegalQuestions(questionFile ?? path.join(dir, "questions.jsonl"));
  // Another question file over the same laws is asked whole unless a split is asked for (same seeded splitter, by id).
  const questions = split === "all" ? all : all.filter((q) => splitOf(q.id) === split);
  const work = workDir ? path.resolve(workDir) : fs.mkdtempSync(path.join(os.tmpdir(), "eval-legal-"));
  try {
    const t0 = Date.now();
    const reused = fs.existsSync(path.join(work, "built"));
    const config = await buildLegalCorpus(laws.files, work);
    const t1 = Date.now();
    const assistant = await openAssistant(config, createLogger("warn", secretsOf(config)));
    const { results, rankingHits } = await ask(assistant, questions);
    const bm25 = new ArticleBm25(laws.articles);
    const baseline = questions.map((q) => scoreLegal(q, baselineAnswer(bm25, q.question)));
    return {
      split,
      items: questions.length,
      answer: legalMetrics(results),
      ranking_hit1: Math.round((rankingHits / Math.max(1, questions.length)) * 1000) / 1000,
      bm25: legalMetrics(baseline),
      build_s: reused ? 0 : Math.round((t1 - t0) / 100) / 10,
      ask_s: Math.round((Date.now() - t1) / 100) / 10,
      results,
    };
  } finally {
    if (!workDir) fs.rmSync(work, { recursive: true, force: true });
  }
}

function printRun(run: LegalRun, questions: Map<string, LegalQuestion>, misses: number): void {
  const shown = run.results.filter((r) => r.hitRank !== 1).slice(0, misses);
  for (const r of shown) {
    const q = questions.get(r.id)!;
    const gold = q.gold.map((g) => `${g.doc}#D${g.article}`).join(", ");
    const refusal = r.pointed ? "abstained, pointing to a gold article" : r.pointers ? "abstained, pointing elsewhere" : "abstained";
    console.log(`${r.id} ${q.question}\n   gold ${gold}; ${r.abstained ? refusal : `cited ${r.cited.slice(0, 3).join(", ")}`}`);
  }
  console.log(`split ${run.split}: ${run.items} questions (build ${run.build_s} s, ask ${run.ask_s} s)`);
  console.log("| run | hit@1 | hit@5 | abstained although answerable | wrong law |");
  console.log("|---|---|---|---|---|");
  for (const [name, m] of [
    ["assistant (answer)", run.answer],
    ["plain BM25 over articles", run.bm25],
  ] as const)
    console.log(`| ${name} | ${m["hit@1"]} | ${m["hit@5"]} | ${m.abstained} | ${m.wrong_law} |`);
  console.log(`assistant ranking hit@1 (first ranked section, before the decision to answer): ${run.ranking_hit1}`);
  const { refused_with_pointers: pointers, pointers_hold_gold: gold } = run.answer;
  console.log(`refused with the nearest parts named: ${pointers} of the questions; a gold article among them: ${gold}`);
}

export async function legalMain(argv: string[]): Promise<number> {
  const dir = flagValue(argv, "--legal")!;
  const questionFile = flagValue(argv, "--questions");
  // The benchmark's own questions default to its test split; another file to all of it.
  const split = (flagValue(argv, "--split") ?? (questionFile ? "all" : "test")) as Split | "all";
  if (![...SPLITS, "all"].includes(split)) {
    console.error("--split must be train, dev, test or all");
    return 2;
  }
  const run = await runLegalBenchmark(dir, split, flagValue(argv, "--work"), questionFile);
  if (argv.includes("--json")) {
    const { results: _results, ...figures } = run;
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return 0;
  }
  const questions = new Map(readLegalQuestions(questionFile ?? path.join(dir, "questions.jsonl")).map((q) => [q.id, q]));
  printRun(run, questions, Number(flagValue(argv, "--misses") ?? 0));
  return 0;
}
