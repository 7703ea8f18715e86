// Document names of an index version: the corpus's name matcher, plus each document's title words for ranking.
import { DocumentNames } from "../corpus/names.js";
import type { Analyzer } from "../text/analyzer.js";
import type { DocumentMeta } from "../types.js";

export { type DocumentMention, nameKey } from "../corpus/names.js";

export class NameIndex extends DocumentNames {
  private readonly titleWords = new Map<string, Set<string>>();

  constructor(
    documents: DocumentMeta[],
    private readonly analyzer: Analyzer,
    missing: string[] = [],
  ) {
    super(documents, missing);
  }

  /** Folded words of a document's title, short title, number and aliases (made on first use, per version). */
  words(doc: DocumentMeta): Set<string> {
    let words = this.titleWords.get(doc.id);
    if (!words) {
      const text = [doc.title, doc.shortTitle, doc.number ?? "", ...doc.aliases].join(" . ");
      words = new Set(this.analyzer.documentTokens(text).map((t) => t.fold));
      this.titleWords.set(doc.id, words);
    }
    return words;
  }
}
