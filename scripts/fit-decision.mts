// Fits the decision to answer (src/answer/decision.ts): a logistic regression over retrieval features, on
// labelled questions split by the benchmark's seeded splitter (src/eval/legal.ts): fit on train, operating point
// on dev from a stated cost, figures on test. The coverage threshold still answers what it answered; the model decides on the questions below it. Labels: a question the documents answer is a positive (the legal
// benchmark's questions over its 17 laws; the answerable items of test/dev.jsonl and test/paraphrase.jsonl over
// the shipped corpus); an item marked should_abstain is a negative. Held-out sets of our own
// (test/legal-user.jsonl, test/near-topic.jsonl) are only reported.
// Usage: npx tsx scripts/fit-decision.mts LEGAL_DIR [--work DIR] [--without FEATURE] [--skip SET] [--everyday] [--conversations] [--write]   (--write stores it in corpus/manifest.json)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { answeredOnCoverage, DECISION_FEATURES, type DecisionFeature, decisionFeatures } from "../src/answer/decision.js";
import { MIN_COVERAGE } from "../src/answer/compose.js";
import { openAssistant } from "../src/app.js";
import { buildLegalCorpus } from "../src/cli/eval-legal.js";
import { loadConfig } from "../src/config.js";
import { readManifest, writeManifest } from "../src/corpus/manifest.js";
import { readEvalFile } from "../src/eval/metrics.js";
import { readConversationFile, splitOf as conversationSplit } from "../src/eval/conversations.js";
import { isGold, type LegalQuestion, readLaws, readLegalQuestions, type Split, splitOf } from "../src/eval/legal.js";
import type { LoadedIndex } from "../src/index/store.js";
import { retrieve } from "../src/retrieve/hybrid.js";
import { isInjection, isSmallTalk } from "../src/retrieve/query.js";

/** Answering a question the documents do not answer costs this many refusals of an answerable one. */
const WRONG_ANSWER_COST = 5;
const L2 = 1e-3;

interface Sample {
  set: string;
  id: string;
  split: Split | "held-out";
  x: number[];
  y: 0 | 1;
  /** Answered by the coverage rule whatever the model says. */
  gated: boolean;
}

const root = path.resolve(import.meta.dirname, "..");
const [legalDir, ...rest] = process.argv.slice(2);
if (!legalDir) throw new Error("usage: npx tsx scripts/fit-decision.mts LEGAL_DIR [--work DIR] [--write]");
const workArg = rest.includes("--work") ? rest[rest.indexOf("--work") + 1] : undefined;
/** `--without FEATURE` (repeatable): leave a feature out of the model (its weight stays 0). */
const without = new Set(rest.flatMap((a, i) => (rest[i - 1] === "--without" ? [a] : [])));
/**
 * `--skip SET` (repeatable): leave a labelled set out of fitting and choosing, to measure what it adds. The everyday
 * set is left out unless `--everyday` is given: with it the model answered no more everyday questions on dev and
 * refused more ALQAC ones (README, "The decision to answer"), so the shipped model is fitted without it.
 */
/** Our everyday and real-user questions over the laws, and the same asked of the shipped documents (`--everyday`). */
const REAL_SETS = fs
  .readdirSync(path.join(root, "test"))
  .filter((f) => /^legal-real\d*\.jsonl$/.test(f))
  .map((f) => f.replace(/\.jsonl$/, ""))
  .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
const elsewhere = (set: string) => `${set}-elsewhere`;
const SITUATIONAL_SETS = ["everyday", ...REAL_SETS, elsewhere("everyday"), ...REAL_SETS.map(elsewhere)];
const skipped = new Set([
  ...rest.flatMap((a, i) => (rest[i - 1] === "--skip" ? [a] : [])),
  ...(rest.includes("--everyday") ? [] : SITUATIONAL_SETS),
  ...(rest.includes("--conversations") ? [] : ["conversations"]),
]);
for (const name of without) if (!(DECISION_FEATURES as readonly string[]).includes(name)) throw new Error(`unknown feature: ${name}`);

/**
 * `--label correct`: a question over the laws is a positive only when the best-ranked section is in a gold article
 * (answering it is right), not merely when the laws answer it. Default `answerable`.
 */
const labelCorrect = rest.includes("--label") && rest[rest.indexOf("--label") + 1] === "correct";

async function samples(
  index: LoadedIndex,
  set: string,
  items: { id: string; question: string; y: 0 | 1; gold?: LegalQuestion["gold"] }[],
  heldOut = false,
): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const item of items) {
    // Injections and greetings are answered before retrieval: not the model's decision.
    if (isInjection(item.question) || isSmallTalk(item.question)) continue;
    const retrieval = await retrieve(index, item.question);
    if (!retrieval.ranked.length) continue;
    const f = decisionFeatures(retrieval);
    out.push({
      set,
      id: item.id,
      split: heldOut ? "held-out" : splitOf(`${set}:${item.id}`),
      x: DECISION_FEATURES.map((n) => (without.has(n) ? 0 : f[n])),
      y:
        labelCorrect && item.gold && item.y === 1
          ? isGold({ doc: retrieval.ranked[0]!.section.doc, section: retrieval.ranked[0]!.section.id }, item.gold)
            ? 1
            : 0
          : item.y,
      gated: answeredOnCoverage(retrieval, MIN_COVERAGE),
    });
  }
  return out;
}

/** A question file of our own over the benchmark's laws: every question is answerable (a positive). */
const ownLegalItems = (file: string) =>
  readLegalQuestions(path.join(root, file)).map((q) => ({ id: q.id, question: q.question, y: 1 as const, gold: q.gold }));

/**
 * The turns of our conversation sets that stand alone (first turns, topic switches, out-of-scope turns), over the
 * shipped documents, in the split of their conversation: situations told at length the way people open a chat.
 * Sets without a split of their own (tuning, aspect, corrections) count as train; the held-out set is never read.
 */
function conversationTurns(): { id: string; question: string; y: 0 | 1; split: Split }[] {
  const out: { id: string; question: string; y: 0 | 1; split: Split }[] = [];
  const fresh = fs
    .readdirSync(path.join(root, "test"))
    .filter((f) => /^conversations(-fresh\d*)?\.jsonl$/.test(f))
    .map((f) => [f.replace(/\.jsonl$/, ""), true] as const);
  const whole = ["conversations-tuning", "conversations-aspect", "conversations-corrections"].map((f) => [f, false] as const);
  for (const [file, split] of [...fresh, ...whole]) {
    const conversations = readConversationFile(path.join(root, `test/${file}.jsonl`));
    const splits = conversationSplit(conversations.map((c) => c.id));
    for (const c of conversations)
      c.turns.forEach((t, i) => {
        if (t.kind !== "first" && t.kind !== "switch" && t.kind !== "oos") return;
        out.push({
          id: `${file}:${c.id}.${i + 1}`,
          question: t.question,
          y: t.should_abstain ? 0 : 1,
          split: split ? splits.get(c.id)! : "train",
        });
      });
  }
  return out;
}

const negatives = (file: string) => ownLegalItems(file).map((q) => ({ ...q, y: 0 as const }));

/** Samples of every real-user set, each under the name and with the items `of` gives it. */
async function situational(
  index: LoadedIndex,
  of: (set: string) => [string, ReturnType<typeof ownLegalItems> | ReturnType<typeof negatives>],
): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const set of REAL_SETS) {
    const [name, items] = of(set);
    out.push(...(await samples(index, name, items)));
  }
  return out;
}

const shippedItems = (file: string) =>
  readEvalFile(path.join(root, file)).map((i) => ({ id: i.id, question: i.question, y: (i.should_abstain ? 0 : 1) as 0 | 1 }));

async function conversationSamples(shipped: LoadedIndex): Promise<Sample[]> {
  const turns = conversationTurns();
  const split = new Map(turns.map((t) => [t.id, t.split]));
  const out = await samples(shipped, "conversations", turns);
  for (const s of out) s.split = split.get(s.id)!;
  return out;
}

async function collect(): Promise<Sample[]> {
  const shipped = (await openAssistant(loadConfig({ ...process.env, LOG_LEVEL: "silent" }, root))).index();
  const work = workArg ?? fs.mkdtempSync(path.join(os.tmpdir(), "fit-decision-"));
  const legalConfig = await buildLegalCorpus(readLaws(path.join(legalDir!, "laws")).files, path.resolve(work));
  const legal = (await openAssistant(legalConfig)).index();
  const legalItems = readLegalQuestions(path.join(legalDir!, "questions.jsonl")).map((q) => ({
    id: q.id,
    question: q.question,
    y: 1 as const,
    gold: q.gold,
  }));
  const all = [
    ...(await samples(shipped, "dev", shippedItems("test/dev.jsonl"))),
    ...(await samples(shipped, "paraphrase", shippedItems("test/paraphrase.jsonl"))),
    ...(await samples(legal, "alqac", legalItems)),
    // The same questions asked of the shipped documents, which do not answer them: long, formal negatives, so
    // the model cannot learn "long questions are answerable" from formal positives and short chat negatives.
    ...(await samples(
      shipped,
      "alqac-elsewhere",
      legalItems.map((q) => ({ ...q, y: 0 as const })),
    )),
    // Everyday and real users' questions over the same laws (colloquial words, situations told in two or three
    // sentences, chat spelling), split by the same seeded splitter: the formal ALQAC positives alone leave the model
    // refusing what everyday words leave at low coverage.
    ...(await samples(legal, "everyday", ownLegalItems("test/legal-everyday.jsonl"))),
    ...(await situational(legal, (set) => [set, ownLegalItems(`test/${set}.jsonl`)])),
    // Both asked of the shipped documents, which do not answer them: everyday and told-situation negatives, so the
    // model cannot learn "colloquial questions are answerable" from these positives alone.
    ...(await samples(shipped, elsewhere("everyday"), negatives("test/legal-everyday.jsonl"))),
    ...(await situational(shipped, (set) => [elsewhere(set), negatives(`test/${set}.jsonl`)])),
    ...(await conversationSamples(shipped)),
    ...(await samples(shipped, "near-topic", shippedItems("test/near-topic.jsonl"), true)),
    ...(await samples(legal, "legal-user", ownLegalItems("test/legal-user.jsonl"), true)),
  ];
  // The ALQAC split must be the benchmark's own (by question id alone).
  for (const s of all) if (["alqac", "alqac-elsewhere", ...SITUATIONAL_SETS].includes(s.set)) s.split = splitOf(s.id);
  return all;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Batch gradient descent on the cost-weighted log loss with a small L2 penalty. */
function fitModel(train: Sample[]): { w: number[]; b: number } {
  const d = DECISION_FEATURES.length;
  const pos = train.filter((s) => s.y === 1).length;
  const neg = train.length - pos;
  // Each class weighs as much in total as its cost says, however many examples it has.
  const weight = (s: Sample) => (s.y === 1 ? 1 / pos : WRONG_ANSWER_COST / neg);
  let w = new Array<number>(d).fill(0);
  let b = 0;
  for (let it = 0; it < 20000; it++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    for (const s of train) {
      const p = sigmoid(b + s.x.reduce((a, v, k) => a + v * w[k]!, 0));
      const g = (p - s.y) * weight(s);
      for (let k = 0; k < d; k++) gw[k]! += g * s.x[k]!;
      gb += g;
    }
    w = w.map((v, k) => v - 0.5 * (gw[k]! + L2 * v));
    b -= 0.5 * gb;
  }
  return { w, b };
}

const probability = (m: { w: number[]; b: number }, s: Sample) =>
  s.gated ? 1 : sigmoid(m.b + s.x.reduce((a, v, k) => a + v * m.w[k]!, 0));

/**
 * `--per-set`: each labelled set weighs the same in the cost, as its rates (refused share of its answerable
 * questions, answered share of its negatives), whatever its size: a set's size says how many questions we wrote,
 * not how often people ask them. Without it every question weighs the same.
 */
const perSet = rest.includes("--per-set");

/** The threshold with the least cost on these samples (refusing an answerable: 1, answering a negative: the cost). */
function operatingPoint(m: { w: number[]; b: number }, dev: Sample[]): number {
  const groups = perSet ? [...new Set(dev.map((s) => `${s.set}:${s.y}`))].map((k) => dev.filter((s) => `${s.set}:${s.y}` === k)) : [dev];
  let best = { t: 0.5, cost: Infinity };
  for (let t = 0.02; t < 0.99; t += 0.01) {
    const cost = groups.reduce((sum, group) => {
      const c = group.reduce((acc, s) => {
        const answers = probability(m, s) >= t;
        return acc + (s.y === 1 && !answers ? 1 : 0) + (s.y === 0 && answers ? WRONG_ANSWER_COST : 0);
      }, 0);
      return sum + (perSet ? c / group.length : c);
    }, 0);
    if (cost < best.cost) best = { t, cost };
  }
  return Math.round(best.t * 100) / 100;
}

function report(name: string, m: { w: number[]; b: number }, t: number, set: Sample[]): string {
  const pos = set.filter((s) => s.y === 1);
  const neg = set.filter((s) => s.y === 0);
  const refused = pos.filter((s) => probability(m, s) < t).length;
  const declined = neg.filter((s) => probability(m, s) < t).length;
  const r = (a: number, n: number) => (n ? (a / n).toFixed(3) : "—");
  return `| ${name} | ${pos.length} | ${r(refused, pos.length)} | ${neg.length} | ${r(declined, neg.length)} |`;
}

const all = await collect();
const by = (split: string, set?: string) => all.filter((s) => s.split === split && (set ? s.set === set : !skipped.has(s.set)));
// The model decides only below the coverage threshold: it is fitted and its operating point chosen there.
const model = fitModel(by("train").filter((s) => !s.gated));
// Per set, its rates are over all its questions (those the coverage rule answers too); otherwise below the rule only.
const threshold = operatingPoint(
  model,
  by("dev").filter((s) => perSet || !s.gated),
);
const coverageOnly = { w: DECISION_FEATURES.map((n) => (n === "coverage" ? 1 : 0)), b: 0 };
console.log(
  `weights: ${DECISION_FEATURES.map((n, k) => `${n} ${model.w[k]!.toFixed(3)}`).join(", ")}; bias ${model.b.toFixed(3)}; threshold ${threshold}`,
);
console.log("| set | answerable | refused although answerable | not answerable | declined |\n|---|---|---|---|---|");
const sets: [string, Sample[]][] = [
  ["dev: ALQAC", by("dev", "alqac")],
  ["dev: shipped (dev + paraphrase)", [...by("dev", "dev"), ...by("dev", "paraphrase")]],
  ["dev: ALQAC asked of the shipped documents", by("dev", "alqac-elsewhere")],
  ["dev: everyday", by("dev", "everyday")],
  ...REAL_SETS.map((set): [string, Sample[]] => [`dev: ${set}`, by("dev", set)]),
  [
    "dev: everyday and real users asked of the shipped documents",
    SITUATIONAL_SETS.filter((set) => set.endsWith("-elsewhere")).flatMap((set) => by("dev", set)),
  ],
  ["train: conversations' stand-alone turns", by("train", "conversations")],
  ["dev: conversations' stand-alone turns", by("dev", "conversations")],
  ["test: ALQAC", by("test", "alqac")],
  ["test: shipped (dev + paraphrase)", [...by("test", "dev"), ...by("test", "paraphrase")]],
  ["test: ALQAC asked of the shipped documents", by("test", "alqac-elsewhere")],
  ["test: everyday", by("test", "everyday")],
  ["test: real users", by("test", "legal-real")],
  ["held-out: legal-user", by("held-out", "legal-user")],
  ["held-out: near-topic", by("held-out", "near-topic")],
];
// The model corpus/manifest.json ships now, to compare a refit with.
const shippedDecision = readManifest(path.join(root, "corpus")).profile?.decision;
for (const [name, set] of sets) {
  console.log(report(`${name} (model)`, model, threshold, set));
  if (shippedDecision) {
    const shippedModel = { w: DECISION_FEATURES.map((n) => shippedDecision.weights[n] ?? 0), b: shippedDecision.bias };
    console.log(report(`${name} (shipped model)`, shippedModel, shippedDecision.threshold, set));
  }
  // The hand-set rule alone (the model never answers).
  console.log(report(`${name} (coverage ≥ ${MIN_COVERAGE} only)`, { w: coverageOnly.w, b: -1e9 }, 0.5, set));
}
if (rest.includes("--write")) {
  const manifest = readManifest(path.join(root, "corpus"));
  const weights = Object.fromEntries(DECISION_FEATURES.map((n, k) => [n, Math.round(model.w[k]! * 1000) / 1000])) as Record<
    DecisionFeature,
    number
  >;
  const left = without.size ? ` without ${[...without].join(", ")}` : "";
  const note = `scripts/fit-decision.mts${left}: logistic regression fitted on the train split (ALQAC train + shipped dev/paraphrase train items; should_abstain = negative), the model decides below coverage ${MIN_COVERAGE} only; threshold at the least cost on dev with a wrong answer costing ${WRONG_ANSWER_COST} refusals.`;
  manifest.profile = { ...manifest.profile!, decision: { weights, bias: Math.round(model.b * 1000) / 1000, threshold, note } };
  writeManifest(path.join(root, "corpus"), manifest);
  console.log("written to corpus/manifest.json (profile.decision)");
}
