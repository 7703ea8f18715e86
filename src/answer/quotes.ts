// Choose the verbatim source text that answers: whole sentences, or for very long enumerations the run of
// clauses ("…; …") that holds the match. A quote is always a substring of the section's own text.
import { ownText } from "../sections/parse.js";
import type { Analyzer, AnalyzedQuery } from "../text/analyzer.js";
import { addFeatures, wordPairKeys } from "../text/tokens.js";
import type { Section } from "../types.js";

const LONG_SENTENCE = 420;
const NO_SPLIT_BEFORE = /(?:^|\s)(TP|Tp|TM|KT|TL|ThS|TS|PGS|GS|St|Q|v\.v)\.$/u;

export function splitSentences(paragraph: string): string[] {
  const out: string[] = [];
  let start = 0;
  const re = /[.!?…]["”»)]?\s+(?=["“«(]?[\p{Lu}\d])/gu;
  for (const m of paragraph.matchAll(re)) {
    const end = m.index + m[0].trimEnd().length;
    if (NO_SPLIT_BEFORE.test(paragraph.slice(start, end))) continue;
    out.push(paragraph.slice(start, end).trim());
    start = m.index + m[0].length;
  }
  const rest = paragraph.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

export interface ScoredQuote {
  text: string;
  score: number;
  /** Position in the section's own text; consecutive positions are neighbouring sentences. */
  position: number;
}

/** A window of an enumeration may run to this length to reach the clause the question qualifies. */
const QUALIFIED_WINDOW = 480;

/**
 * The window's end, moved on to a later clause holding a word pair of the question the window lacks ("… không quá 20
 * triệu đồng/năm đối với doanh nghiệp siêu nhỏ; không quá 50 triệu đồng/năm đối với doanh nghiệp nhỏ" asked by a
 * "DN nhỏ"), when the window stays within `QUALIFIED_WINDOW`.
 */
function withQualifyingClause(clauses: string[], from: number, to: number, pairsIn: (text: string) => Set<string>): number {
  const have = pairsIn(clauses.slice(from, to + 1).join(" "));
  for (let k = to + 1; k < clauses.length && clauses.slice(from, k + 1).join(" ").length <= QUALIFIED_WINDOW; k++)
    if ([...pairsIn(clauses[k]!)].some((p) => !have.has(p))) return k;
  return to;
}

/** A window that opens inside a list may reach back to the list's introduction within this length. */
const INTRODUCED_WINDOW = 640;

/**
 * The window's start, moved back to the introduction of the list it opens inside ("… liên kết nghiên cứu với các đối tác,
 * như: Trung tâm A; Viện B; các trường đại học …" quoted from "các trường …" loses what is done with them): a window that
 * opens with a lower-case clause continues the clauses before it, up to the one that introduces them (":").
 */
function withIntroduction(clauses: string[], from: number, to: number): number {
  if (!/^\p{Ll}/u.test(clauses[from]!)) return from;
  for (let k = from - 1; k >= 0 && clauses.slice(k, to + 1).join(" ").length <= INTRODUCED_WINDOW; k--)
    if (clauses[k]!.includes(":")) return k;
  return from;
}

/** Candidate quotes of a section, best first, scored by the query features they contain. */
export function rankQuotes(
  section: Section,
  analyzer: Analyzer,
  query: Pick<AnalyzedQuery, "features">,
  idf: (k: string) => number,
): ScoredQuote[] {
  const bagOf = (text: string) => {
    const bag = new Map<string, number>();
    addFeatures(bag, analyzer.documentTokens(text), { accented: true });
    return bag;
  };
  const scoreText = (text: string) => {
    const bag = bagOf(text);
    let s = 0;
    for (const [k, w] of query.features) if (bag.has(k)) s += w * idf(k) * (k.includes("_") ? 1.2 : 1) * (k.startsWith("a:") ? 0.4 : 1);
    return s;
  };
  // Word pairs of the question a text holds ("nghiep_nho": "doanh nghiệp nhỏ", not "doanh nghiệp siêu nhỏ").
  const pairs = wordPairKeys(query.features);
  const pairsIn = (text: string) => {
    const bag = bagOf(text);
    return new Set(pairs.filter((k) => bag.has(k)));
  };
  const units: string[] = [];
  for (const p of ownText(section)) {
    for (const sentence of splitSentences(p)) {
      if (sentence.length <= LONG_SENTENCE) {
        units.push(sentence);
        continue;
      }
      // A long enumeration: quote the best window of clauses, not the whole paragraph.
      const clauses = sentence.split(/(?<=;)\s+/u);
      const scored = clauses.map((c) => scoreText(c));
      const best = scored.indexOf(Math.max(...scored));
      let from = best;
      let to = best;
      while (to + 1 < clauses.length && clauses.slice(from, to + 2).join(" ").length <= 300 && scored[to + 1]! > 0) to++;
      while (from > 0 && clauses.slice(from - 1, to + 1).join(" ").length <= 300 && scored[from - 1]! > 0) from--;
      from = withIntroduction(clauses, from, to);
      to = withQualifyingClause(clauses, from, to, pairsIn);
      units.push(clauses.slice(from, to + 1).join(" "));
    }
  }
  return units.map((text, position) => ({ text, score: scoreText(text) - position * 1e-6, position })).sort((a, b) => b.score - a.score);
}
