// Document names (số hiệu and aliases) looked up by the words of a question, not by scanning every document.
import type { Analyzer } from "../text/analyzer.js";
import { AGENCY_HEAD_WORDS } from "../text/lexicon.js";
import { fold } from "../text/vietnamese.js";
import type { DocumentMeta } from "../types.js";

export interface DocumentMention {
  ids: string[];
  /** Diacritic-free words of the names found ("ke", "hoach"): they select a document, they are not the topic. */
  words: Set<string>;
}

/** Diacritic-free words of a name or question, for whole-word matching ("Nghị quyết 57" → "nghi quyet 57"). */
export const nameKey = (text: string) =>
  fold(text)
    .replace(/[^\p{L}\p{N}/]+/gu, " ")
    .trim();

export class NameIndex {
  /** Name key → documents (in manifest order) that carry that name. */
  private readonly byName = new Map<string, number[]>();
  private readonly longest: number;
  private readonly titleWords = new Map<string, Set<string>>();
  private heldText: string | undefined;

  constructor(
    private readonly documents: DocumentMeta[],
    private readonly analyzer: Analyzer,
    /** Names of documents the corpus knows it lacks (manifest notInCorpus). */
    private readonly missing: string[] = [],
  ) {
    let longest = 0;
    documents.forEach((d, i) => {
      for (const name of [d.number ?? "", ...d.aliases]) {
        if (name.length < 4) continue;
        const key = nameKey(name);
        if (!key) continue;
        const list = this.byName.get(key) ?? [];
        if (!list.includes(i)) list.push(i);
        this.byName.set(key, list);
        longest = Math.max(longest, key.split(" ").length);
      }
    });
    this.longest = longest;
  }

  /**
   * Documents the text names by number or alias (whole words, diacritic-insensitive). A generic name ("kế
   * hoạch") yields to a more specific one that contains it, and a name without a number to one with a number.
   */
  mentioned(text: string): DocumentMention {
    const words = nameKey(text).split(" ").filter(Boolean);
    const matched = new Map<number, string[]>();
    for (let start = 0; start < words.length; start++) {
      if (start > 0 && AGENCY_HEAD_WORDS.includes(words[start - 1]!)) continue;
      for (let len = 1; len <= this.longest && start + len <= words.length; len++) {
        const key = words.slice(start, start + len).join(" ");
        for (const d of this.byName.get(key) ?? []) matched.set(d, [...(matched.get(d) ?? []), key]);
      }
    }
    const all = [...matched.values()].flat();
    const numbered = all.some((n) => /\d/.test(n));
    const specific = (n: string) => !all.some((other) => other !== n && ` ${other} `.includes(` ${n} `));
    const ids = [...matched]
      .filter(([, names]) => (!numbered || names.some((n) => /\d/.test(n))) && names.some(specific))
      .map(([d]) => d)
      .sort((a, b) => a - b)
      .map((d) => this.documents[d]!.id);
    // Every matched name's words select rather than describe, even the ones that lost ("kế hoạch" in "Kế hoạch 412").
    const nameWords = new Set(all.flatMap((n) => n.split(/[\s/]+/)));
    return { ids, words: nameWords };
  }

  /** Whether a name key occurs in any document's number or alias, or a known missing document's name. */
  holds(key: string): boolean {
    this.heldText ??= ` ${[...new Set([...this.documents.flatMap((d) => [d.number ?? "", ...d.aliases]), ...this.missing].map(nameKey))]
      .filter(Boolean)
      .join(" | ")} `;
    return this.heldText.includes(key);
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
