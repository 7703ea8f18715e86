// The editable glossary (corpus/glossary.json): abbreviations, synonyms and English question words.
import fs from "node:fs";
import { z } from "zod";
import { tokenize, type Token } from "./tokens.js";

const entry = z.object({
  forms: z.array(z.string().min(1)).min(1),
  expansion: z.string().min(1),
  caseSensitive: z.boolean().optional(),
});
export const glossarySchema = z.object({
  /** Chat spelling and teen code ("dc", "ko", "bn", "hkd"): rewritten in questions only, never in documents. */
  chat: z.array(z.object({ forms: z.array(z.string().min(1)).min(1), expansion: z.string() })).default([]),
  abbreviations: z.array(entry).default([]),
  synonyms: z.array(z.object({ forms: z.array(z.string().min(1)).min(2) })).default([]),
  english: z.array(entry).default([]),
  /** Everyday words for legal terms ("ly dị" → ly hôn, "sổ đỏ" → giấy chứng nhận quyền sử dụng đất): questions only. */
  everyday: z.array(entry).default([]),
});
export type GlossaryFile = z.infer<typeof glossarySchema>;

interface Form {
  tokens: Token[];
  caseSensitive: boolean;
  /**
   * A word typed with diacritics matches only as written, never the form's bare letters: English forms ("cap",
   * "do", "the") are Vietnamese syllables stripped of their marks, and "cấp" is not "cap".
   */
  marksAsWritten: boolean;
  /** What the match stands for. */
  expansions: Token[][];
}

export interface Expansion {
  start: number;
  length: number;
  phrases: Token[][];
}

export interface Glossary {
  /**
   * A question with chat spelling rewritten; a dropped word is kept where `phrase(a, b)` says it begins a phrase
   * with the next word ("nha nuoc" is "nhà nước", not the particle "nha") or, inside a sentence, ends one with the
   * previous word ("toi da bao nhieu": "tối đa", not the particle "dạ").
   */
  rewriteChat(text: string, phrase?: (a: string, b: string) => boolean): string;
  /** Replace abbreviations by their expansion (documents and questions alike). */
  expandAbbreviations(tokens: Token[]): Token[];
  /** Whether a diacritic-free word appears in any glossary form (so spelling repair leaves it alone). */
  knows(word: string): boolean;
  /** Extra phrases a question also means (synonyms, English words), with the span of tokens they stand for. */
  queryExpansions(tokens: Token[]): Expansion[];
}

function compile(entries: { forms: string[]; expansions: string[]; caseSensitive?: boolean; marksAsWritten?: boolean }[]): Form[] {
  const forms: Form[] = [];
  for (const e of entries) {
    const expansions = e.expansions.map((x) => tokenize(x));
    for (const f of e.forms) {
      const tokens = tokenize(f);
      if (tokens.length) forms.push({ tokens, caseSensitive: !!e.caseSensitive, marksAsWritten: !!e.marksAsWritten, expansions });
    }
  }
  // Longest forms first, so "Sở Kế hoạch và Đầu tư" wins over "kế hoạch".
  return forms.sort((a, b) => b.tokens.length - a.tokens.length);
}

/** Forms grouped by their first word (diacritic-free), so matching tries only plausible forms. */
function byFirstWord(forms: Form[]): (t: Token) => Form[] {
  const map = new Map<string, Form[]>();
  for (const f of forms) {
    const k = f.tokens[0]!.fold;
    map.set(k, [...(map.get(k) ?? []), f]);
  }
  return (t) => map.get(t.fold) ?? [];
}

function matchesAt(tokens: Token[], i: number, form: Form): boolean {
  if (i + form.tokens.length > tokens.length) return false;
  return form.tokens.every((ft, k) => {
    const t = tokens[i + k]!;
    if (k > 0 && t.brk) return false;
    if (form.caseSensitive) return t.orig === ft.orig;
    // An accented word must match accented; an unaccented one matches any accent.
    if (t.marked) return t.acc === ft.acc || (!ft.marked && !form.marksAsWritten && t.fold === ft.fold);
    return t.fold === ft.fold;
  });
}

export function createGlossary(file: Omit<GlossaryFile, "everyday"> & Partial<Pick<GlossaryFile, "everyday">>): Glossary {
  const everyday = file.everyday ?? [];
  const abbreviations = byFirstWord(compile(file.abbreviations.map((e) => ({ ...e, expansions: [e.expansion] }))));
  const synonyms = byFirstWord(
    compile(file.synonyms.flatMap((g) => g.forms.map((f) => ({ forms: [f], expansions: g.forms.filter((x) => x !== f) })))),
  );
  // English words and everyday words both stand for the documents' own terms, in questions only.
  const english = byFirstWord(
    compile([
      ...file.english.map((e) => ({ ...e, expansions: [e.expansion], marksAsWritten: true })),
      ...everyday.map((e) => ({ ...e, expansions: [e.expansion] })),
    ]),
  );

  const words = new Set(
    [...file.abbreviations, ...file.english, ...everyday, ...file.chat]
      .flatMap((e) => e.forms)
      .concat(file.synonyms.flatMap((g) => g.forms))
      .flatMap((f) => tokenize(f).map((t) => t.fold)),
  );
  const chat = new Map(file.chat.flatMap((e) => e.forms.map((f) => [f.normalize("NFC").toLowerCase(), e.expansion] as const)));
  const chatPhrases = chatPhraseRewriters(chat);
  return {
    knows: (w) => words.has(w),
    rewriteChat(typed, phrase) {
      if (!chat.size) return typed;
      // Forms of several words first ("bao nhiu"), then whole words typed in lower case only ("KH&ĐT", "KH và CN",
      // "TT" are abbreviations, not chat); a dropped word (vocative "ad", "ơi") leaves no double space, nor a space
      // before punctuation.
      const text = chatPhrases.reduce((t, [pattern, expansion]) => t.replace(pattern, expansion), typed);
      const out = text.replace(/[\p{L}\p{N}]+(?:&[\p{L}\p{N}]+)*/gu, (w, offset: number) => {
        const expansion = w === w.toLowerCase() ? chat.get(w) : undefined;
        if (expansion === undefined) return w;
        if (expansion !== "" || !phrase) return expansion;
        const next = /^\s+([\p{L}\p{N}]+)/u.exec(text.slice(offset + w.length))?.[1];
        const prev = /([\p{L}\p{N}]+)\s+$/u.exec(text.slice(0, offset))?.[1];
        // Only inside a sentence: at its end "nha", "a", "vay" are the particles whatever stands before them.
        return next && (phrase(w, next) || (prev && phrase(prev, w))) ? w : expansion;
      });
      return out
        .replace(/\s{2,}/g, " ")
        .replace(/ (?=[?.!,;:])/g, "")
        .trim();
    },
    expandAbbreviations(tokens) {
      const out: Token[] = [];
      for (let i = 0; i < tokens.length; ) {
        const form = abbreviations(tokens[i]!).find((f) => matchesAt(tokens, i, f));
        if (!form) {
          out.push(tokens[i]!);
          i++;
          continue;
        }
        const brk = tokens[i]!.brk;
        form.expansions[0]!.forEach((t, k) => out.push({ ...t, brk: k === 0 ? brk : false }));
        i += form.tokens.length;
      }
      return out;
    },
    queryExpansions(tokens) {
      const out: Expansion[] = [];
      for (const table of [synonyms, english]) {
        for (let i = 0; i < tokens.length; ) {
          const form = table(tokens[i]!).find((f) => matchesAt(tokens, i, f));
          if (!form) {
            i++;
            continue;
          }
          out.push({ start: i, length: form.tokens.length, phrases: form.expansions });
          i += form.tokens.length;
        }
      }
      return out;
    },
  };
}

export function loadGlossary(filePath: string): Glossary {
  const raw = JSON.parse(fs.readFileSync(filePath, "utf8")) as unknown;
  return createGlossary(glossarySchema.parse(raw));
}

/** A pattern per chat form of several words ("bao nhiu"), longest first, matching it typed in lower case as whole words. */
function chatPhraseRewriters(chat: Map<string, string>): [RegExp, string][] {
  const asPattern = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
  return [...chat.entries()]
    .filter(([form]) => /\s/.test(form.trim()))
    .sort((a, b) => b[0].length - a[0].length)
    .map(([form, expansion]) => [new RegExp(`(?<![\\p{L}\\p{N}])${asPattern(form.trim())}(?![\\p{L}\\p{N}])`, "gu"), expansion]);
}
