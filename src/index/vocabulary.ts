// The corpus vocabulary for typo repair: folded words with their document frequency, grouped by length.
// Written when a version is built, loaded with it.
import path from "node:path";
import { forEachLine, writeLines } from "./binary.js";
import type { FileCheck } from "./integrity.js";

export interface Vocabulary {
  df: Map<string, number>;
  byLength: Map<number, string[]>;
}

export const VOCABULARY_FILE = "vocabulary.txt";

/** Folded single words made of letters (no digits, no bigrams) from the lexical feature frequencies, in code
 * point order (the same file whichever way the postings were merged: repair takes the first of equal words). */
export function writeVocabulary(dir: string, featureDf: Map<string, number>): void {
  const words: string[] = [];
  for (const key of featureDf.keys()) if (key.startsWith("f:") && !key.includes("_") && /^\p{L}+$/u.test(key.slice(2))) words.push(key);
  words.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  writeLines(
    path.join(dir, VOCABULARY_FILE),
    words.map((key) => `${key.slice(2)}\t${featureDf.get(key)}`),
  );
}

export function readVocabulary(dir: string, check?: FileCheck): Vocabulary {
  const df = new Map<string, number>();
  const byLength = new Map<number, string[]>();
  forEachLine(
    path.join(dir, VOCABULARY_FILE),
    (line) => {
      const [word, n] = line.split("\t");
      if (!word) return;
      df.set(word, Number(n));
      const list = byLength.get(word.length);
      if (list) list.push(word);
      else byLength.set(word.length, [word]);
    },
    check,
  );
  return { df, byLength };
}
