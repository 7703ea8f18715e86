// Typo repair against the corpus vocabulary: a word the corpus never uses is replaced by the most frequent
// corpus word one edit away ("ngiep" → "nghiep"), or split into two corpus words ("baocao" → "bao cao").
// The vocabulary is built with the index version and loaded with it.
import type { LoadedIndex, Vocabulary } from "../index/store.js";
import { tokenize } from "../text/tokens.js";
import { isVietnameseSyllable } from "../text/vietnamese.js";

/** Damerau–Levenshtein distance ≤ 1 (one substitution, insertion, deletion or swap). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length)
    return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function repair(word: string, v: Vocabulary, known: (w: string) => boolean): string | null {
  if (word.length < 4 || /\d/.test(word) || v.df.has(word) || known(word)) return null;
  let best: string | null = null;
  let bestDf = 0;
  for (const len of [word.length - 1, word.length, word.length + 1])
    for (const cand of v.byLength.get(len) ?? [])
      if ((v.df.get(cand) ?? 0) > bestDf && withinOneEdit(word, cand)) {
        best = cand;
        bestDf = v.df.get(cand)!;
      }
  if (best) return best;
  // Two words typed without a space.
  let split: string | null = null;
  let splitScore = 0;
  for (let i = 2; i <= word.length - 2; i++) {
    const a = word.slice(0, i);
    const b = word.slice(i);
    const score = Math.min(v.df.get(a) ?? (known(a) ? 1 : 0), v.df.get(b) ?? (known(b) ? 1 : 0));
    if (score > splitScore) {
      split = `${a} ${b}`;
      splitScore = score;
    }
  }
  return split;
}

/** Share of a question's words not shaped like Vietnamese syllables above which it is read as English. */
export const ENGLISH_SHARE = 0.4;

/**
 * The question with unknown words repaired; words that carry diacritics or are glossary words are kept, and so
 * are the non-Vietnamese words of a question written in English ("many" is not a typo of "mạnh").
 */
export function correctSpelling(index: LoadedIndex, question: string): string {
  const v = index.vocabulary;
  const known = (w: string) => index.analyzer.knows(w);
  const tokens = tokenize(question).filter((t) => !/\d/.test(t.fold));
  const foreign = tokens.filter((t) => !isVietnameseSyllable(t.fold)).length;
  const english = tokens.length > 0 && foreign / tokens.length >= ENGLISH_SHARE;
  let out = question;
  for (const t of tokenize(question)) {
    if (t.marked || (english && !isVietnameseSyllable(t.fold))) continue;
    const fixed = repair(t.fold, v, known);
    if (fixed) out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${t.orig}(?![\\p{L}\\p{N}])`, "u"), fixed);
  }
  return out;
}
