// The corpus vocabulary for typo repair: folded words with their document frequency, grouped by length.
// Written when a version is built, loaded with it.
import path from "node:path";
import { forEachLine, writeLines } from "./binary.js";

export interface Vocabulary {
  df: Map<string, number>;
  byLength: Map<number, string[]>;
}

const FILE = "vocabulary.txt";

/** Folded single words made of letters (no digits, no bigrams) from the lexical feature frequencies. */
export function writeVocabulary(dir: string, featureDf: Map<string, number>): void {
  function* lines() {
    for (const [key, df] of featureDf)
      if (key.startsWith("f:") && !key.includes("_") && /^\p{L}+$/u.test(key.slice(2))) yield `${key.slice(2)}\t${df}`;
  }
  writeLines(path.join(dir, FILE), lines());
}

export function readVocabulary(dir: string): Vocabulary {
  const df = new Map<string, number>();
  const byLength = new Map<number, string[]>();
  forEachLine(path.join(dir, FILE), (line) => {
    const [word, n] = line.split("\t");
    if (!word) return;
    df.set(word, Number(n));
    const list = byLength.get(word.length);
    if (list) list.push(word);
    else byLength.set(word.length, [word]);
  });
  return { df, byLength };
}
