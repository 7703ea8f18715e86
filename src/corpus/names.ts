// Document names (số hiệu and aliases) looked up by the words of a question, not by scanning every document.
// Plain corpus data: the duty layer and the index both read names through this one matcher.
import { AGENCY_HEAD_WORDS, NAME_COORDINATORS } from "../text/lexicon.js";
import { fold } from "../text/vietnamese.js";
import type { DocumentMeta } from "../types.js";

export interface DocumentMention {
  ids: string[];
  /** Diacritic-free words of the names found ("ke", "hoach"): they select a document, they are not the topic. */
  words: Set<string>;
}

/**
 * Diacritic-free words of a name or question, for whole-word matching ("Nghị quyết 57" → "nghi quyet 57"). An
 * ampersand inside initials joins them, as people write them either way ("Luật KH&CN" is "luật KHCN").
 */
export const nameKey = (text: string) =>
  fold(text)
    .replace(/(?<=\p{L})\s*&\s*(?=\p{L})/gu, "")
    .replace(/[^\p{L}\p{N}/]+/gu, " ")
    .trim();

/** A name of this many words names its document even beside a numbered name; shorter ones are generic. */
const DESCRIPTIVE_NAME_WORDS = 5;

/**
 * Whether the word at `i` is an agency's head noun opening its name ("Sở Kế hoạch …" names an agency, not a
 * plan), rather than the last word of another agency's name ("Sở Nội vụ Kế hoạch 95": "vụ" closes "Sở Nội vụ"), or
 * the word "số" before a document's number.
 */
function opensAgencyName(words: string[], i: number): boolean {
  if (i < 0 || !AGENCY_HEAD_WORDS.includes(words[i]!)) return false;
  // "số 12-KL/TW" folds like "sở 12 …": no agency's name is a number.
  if (/^\d/.test(words[i + 1] ?? "")) return false;
  return !words.slice(Math.max(0, i - 2), i).some((w) => AGENCY_HEAD_WORDS.includes(w));
}

export class DocumentNames {
  /** Name key → documents (in manifest order) that carry that name. */
  private readonly byName = new Map<string, number[]>();
  private readonly longest: number;
  private heldText: string | undefined;

  constructor(
    protected readonly documents: DocumentMeta[],
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
    const matched = new Map<number, string[]>();
    for (const m of this.matches(nameKey(text).split(" ").filter(Boolean))) matched.set(m.doc, [...(matched.get(m.doc) ?? []), m.key]);
    const all = [...matched.values()].flat();
    const numbered = all.some((n) => /\d/.test(n));
    const specific = (n: string) => !all.some((other) => other !== n && ` ${other} `.includes(` ${n} `));
    // "Kế hoạch 412" wins over "kế hoạch"; a long descriptive name ("Luật Hỗ trợ doanh nghiệp nhỏ và vừa") holds.
    const holds = (n: string) => !numbered || /\d/.test(n) || n.split(" ").length >= DESCRIPTIVE_NAME_WORDS;
    const ids = [...matched]
      .filter(([, names]) => names.some(holds) && names.some(specific))
      .map(([d]) => d)
      .sort((a, b) => a - b)
      .map((d) => this.documents[d]!.id);
    // Every matched name's words select rather than describe, even the ones that lost ("kế hoạch" in "Kế hoạch 412").
    const nameWords = new Set(all.flatMap((n) => n.split(/[\s/]+/)));
    return { ids, words: nameWords };
  }

  /** Every name occurrence in a list of words: document (by position in `documents`), name key, word span. */
  private matches(words: string[]): { doc: number; key: string; start: number; end: number }[] {
    const out: { doc: number; key: string; start: number; end: number }[] = [];
    for (let start = 0; start < words.length; start++) {
      if (opensAgencyName(words, start - 1)) continue;
      for (let len = 1; len <= this.longest && start + len <= words.length; len++) {
        const key = words.slice(start, start + len).join(" ");
        for (const doc of this.byName.get(key) ?? []) out.push({ doc, key, start, end: start + len });
      }
    }
    return out;
  }

  /**
   * Documents named side by side and asked one question ("Luật … và Nghị định … có hiệu lực từ ngày nào?"),
   * in the order named; empty unless two or more are joined only by "và", "and", "hoặc" ….
   */
  coordinated(text: string): string[] {
    const ids = new Set(this.mentioned(text).ids);
    if (ids.size < 2) return [];
    const words = nameKey(text).split(" ").filter(Boolean);
    const spans = this.matches(words).filter((m) => ids.has(this.documents[m.doc]!.id));
    // Each named document's longest name, in question order.
    const longest = new Map<number, { start: number; end: number }>();
    for (const m of spans) {
      const best = longest.get(m.doc);
      if (!best || m.end - m.start > best.end - best.start) longest.set(m.doc, m);
    }
    const ordered = [...longest].sort(([, a], [, b]) => a.start - b.start);
    const joined = ordered.slice(1).every(([, span], i) => {
      const gap = words.slice(ordered[i]![1].end, span.start);
      return gap.length >= 1 && gap.length <= 2 && gap.every((w) => NAME_COORDINATORS.includes(w));
    });
    return joined ? ordered.map(([d]) => this.documents[d]!.id) : [];
  }

  /** Whether a name key occurs in any document's number or alias, or a known missing document's name. */
  holds(key: string): boolean {
    this.heldText ??= ` ${[...new Set([...this.documents.flatMap((d) => [d.number ?? "", ...d.aliases]), ...this.missing].map(nameKey))]
      .filter(Boolean)
      .join(" | ")} `;
    return this.heldText.includes(key);
  }
}
