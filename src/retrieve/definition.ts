// "X là gì?", "thế nào là X?", "what is X?": a question that asks what a term means is answered by the sentence
// that defines it ("X là …", "X được hiểu là …"), not by another that only uses the term.
import type { AnalyzedQuery } from "../text/analyzer.js";
import { cueIn, DEFINITION_ASKS } from "../text/lexicon.js";
import { isStopword, type Token } from "../text/tokens.js";

/** Whether a question (diacritic-free words) asks what something is or means. */
export const asksDefinition = (folded: string): boolean => cueIn(folded, DEFINITION_ASKS);

/**
 * A term at the start of a sentence, a numbered clause or a lettered point (in a unit's text, after the headings
 * it is joined to with "|"), then "là" or "được hiểu là": the term is group 1 (markdown emphasis left out).
 */
const DEFINED_TERM = /(?:^|[.;:!?]\s+|[|…]\s*|\n\s*)(?:\d+\.\s*|[a-zđ]\)\s*)?\*?([^.;:!?\n*]{3,120}?)\*?\s*(?:được hiểu là|là)\s/giu;

/** The fewest topic words a defined term must have: one word ("là") would match any sentence. */
const MIN_TERM_WORDS = 2;

/** Every diacritic-free word the question says, with its abbreviations spelled out and its translations. */
export function questionWords(q: AnalyzedQuery): Set<string> {
  const all: Token[] = [...q.content, ...q.expansions.flat(), ...[...q.alternatives.values()].flat(2)];
  return new Set(all.map((t) => t.fold));
}

/** Whether `text` defines a term every topic word of which the question says. */
export function definesAskedTerm(text: string, asked: Set<string>, tokens: (text: string) => Token[]): boolean {
  for (const m of text.matchAll(DEFINED_TERM)) {
    const words = tokens(m[1]!).filter((t) => !isStopword(t));
    if (words.length >= MIN_TERM_WORDS && words.every((t) => asked.has(t.fold))) return true;
  }
  return false;
}
