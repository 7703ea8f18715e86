// The decision to answer below the coverage threshold: a logistic model over what retrieval already knows (how much of the question the best
// section holds, how far it leads, whether the top sections agree, whether the question named the document …).
// Its weights are corpus data (`profile.decision` in manifest.json, fitted by scripts/fit-decision.mts on
// labelled questions); a corpus without them keeps the hand-set coverage threshold.
import type { Decision } from "../corpus/profile.js";
import type { RankedSection, Retrieval } from "../retrieve/hybrid.js";
import { articleKey } from "../types.js";

/** The features, by name: the model's weights are keyed by these names, so adding one never shifts the others. */
export const DECISION_FEATURES = [
  "coverage",
  "coverage_best3",
  "margin",
  "vector",
  "agree_doc",
  "agree_article",
  "named_match",
  "named_other",
  "content_words",
  "amount_ask",
] as const;
export type DecisionFeature = (typeof DECISION_FEATURES)[number];

const head = (r: RankedSection) => articleKey(r.section);

export function decisionFeatures(retrieval: Retrieval): Record<DecisionFeature, number> {
  const { query, ranked } = retrieval;
  const [top, second] = ranked;
  const top3 = ranked.slice(0, 3);
  const named = query.documents.ids;
  const share = (f: (r: RankedSection) => boolean) => (top3.length > 1 ? top3.slice(1).filter(f).length / (top3.length - 1) : 0);
  return {
    coverage: top?.coverage ?? 0,
    coverage_best3: Math.max(0, ...top3.map((r) => r.coverage)),
    margin: top && second && top.score > 0 ? (top.score - second.score) / top.score : top ? 1 : 0,
    vector: top?.vector ?? 0,
    agree_doc: top ? share((r) => r.section.doc === top.section.doc) : 0,
    agree_article: top ? share((r) => head(r) === head(top)) : 0,
    named_match: named.length && top && named.includes(top.section.doc) ? 1 : 0,
    named_other: named.length && top && !named.includes(top.section.doc) ? 1 : 0,
    content_words: Math.log(1 + query.analyzed.content.length),
    amount_ask: query.asksAmount ? 1 : 0,
  };
}

/** Probability that answering is right, from the model's weights (missing weights count 0). */
export function answerProbability(decision: Decision, features: Record<DecisionFeature, number>): number {
  let z = decision.bias;
  for (const name of DECISION_FEATURES) z += (decision.weights[name] ?? 0) * features[name];
  return 1 / (1 + Math.exp(-z));
}

/**
 * Share of a question's topic weight (`Query.unseenShare`) from which words no document uses keep it from being
 * answered on coverage alone. Chosen between the shipped sets' train items: "Đăng ký kết hôn cần giấy tờ gì?" (0.45,
 * "hôn" is its topic) stays held back; "Nếu gặp vướng mắc … báo cáo thế nào?" (0.33) and "Gặp khó khăn … báo cáo cho
 * ai?" (0.38) no longer are, nor is one everyday word in a long question ("… các khoản nợ cũ của hộ …").
 */
export const UNSEEN_SHARE = 0.4;

/**
 * The coverage rule: the best section holds enough of the question. With a fitted model, a question whose topic
 * rests on words no document uses is not answered on coverage alone (its other words can match a section about
 * something else, as "đăng ký … giấy tờ" does for "Đăng ký kết hôn cần giấy tờ gì?" in documents that never say
 * "hôn"): the model decides.
 */
export function answeredOnCoverage(retrieval: Retrieval, minCoverage: number, fitted = true): boolean {
  const top = retrieval.ranked[0];
  if (!top || (fitted && retrieval.query.unseenShare >= UNSEEN_SHARE)) return false;
  return top.coverage >= minCoverage || answeredOnAsking(retrieval);
}

/** The coverage rule read on the sentences that ask (`answeredOnAsking`). */
export interface AskingRule {
  /** The sentences that ask hold at least this many topic words (fewer stand on words like "làm sao … lối đi"). */
  minWords: number;
  /** The best section holds at least this share of their topic (IDF-weighted, as `coverage`). */
  coverage: number;
  /** … and at least this share of the whole question's, situation included. */
  situationFloor: number;
}

/**
 * Chosen on the train split of the real-user legal sets, with the questions of those sets asked of the shipped
 * documents (which do not answer them) as negatives and a wrong answer costing 5 refusals, as the fitted model's
 * operating point (README, "Round 8"). At the plain threshold (coverage 0.58, 3 words) the rule answered 12 more of
 * the 42 train questions of `test/legal-real3.jsonl`, 5 of them wrongly, and 7 of 204 questions asked where the
 * documents do not answer them; at 0.8 it answers 3 more, 2 of them rightly (and 2 of `test/legal-real2.jsonl`'s
 * train questions, both rightly), and none of those 204; on dev one more right and one of 91 such questions answered.
 */
export const ASKING_RULE: AskingRule = { minWords: 4, coverage: 0.8, situationFloor: 0.25 };

/**
 * A question told at length ("Nhóm tôi vừa nghiệm thu đề tài về giống ong … Vậy nhóm tác giả được chia bao
 * nhiêu phần trăm lợi nhuận?"): the situation's words are the asker's, not the law's, so the coverage rule reads
 * the sentences that ask, when they have topic words enough to stand alone and the best section still holds some of
 * the situation.
 */
export function answeredOnAsking(retrieval: Retrieval, rule = ASKING_RULE): boolean {
  const top = retrieval.ranked[0]!;
  const asking = retrieval.query.asking;
  if (!asking || asking.analyzed.content.length < rule.minWords || asking.unseenShare >= UNSEEN_SHARE) return false;
  return top.askingCoverage >= rule.coverage && top.coverage >= rule.situationFloor;
}

/**
 * Whether to answer: when the best section holds enough of the question (the coverage threshold), yes; below it,
 * the fitted model decides (everyday words the statute does not use leave coverage low on questions it answers).
 */
export function shouldAnswer(retrieval: Retrieval, decision: Decision | undefined, minCoverage: number): boolean {
  const top = retrieval.ranked[0];
  if (!top) return false;
  if (answeredOnCoverage(retrieval, minCoverage, !!decision)) return true;
  return !!decision && answerProbability(decision, decisionFeatures(retrieval)) >= decision.threshold;
}
