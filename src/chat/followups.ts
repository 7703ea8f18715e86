// Reading an elliptic question with the previous turn ("còn Sở X thì sao?", "hạn khi nào?", "cái thứ 2"),
// by rules whose vocabulary lives in corpus/followups.json. The result is a stand-alone question.
import fs from "node:fs";
import { z } from "zod";
import { fold } from "../text/vietnamese.js";
import type { Turn } from "./conversation-store.js";

const lexiconSchema = z.object({
  swapPrefixes: z.array(z.string()),
  swapSuffixes: z.array(z.string()),
  aspectWords: z.array(z.string()),
  questionWords: z.array(z.string()),
  predicateMarkers: z.array(z.string()),
  ordinals: z.array(z.string()),
  ordinalWords: z.record(z.number().int().positive()),
  documentHint: z.string(),
  moreRequests: z.array(z.string()).default([]),
});

type Phrase = string[];

export interface FollowupLexicon {
  swapPrefixes: Phrase[];
  swapSuffixes: Phrase[];
  aspectWords: Phrase[];
  questionWords: Phrase[];
  predicateMarkers: Phrase[];
  ordinals: Phrase[];
  ordinalWords: Record<string, number>;
  documentHint: string;
  moreRequests: Phrase[];
}

/** Where agency names are in a text (character spans), e.g. from the agency catalogue. */
export type AgencyFinder = (text: string) => Array<{ start: number; end: number }>;

/** How a question was read: on its own, or as a follow-up by a rule, or rewritten by the model. */
export type ReadingKind = "new" | "aspect" | "swap" | "ordinal" | "model";

export interface Reading {
  kind: ReadingKind;
  standalone: string;
  topic: string;
}

export interface ReadOptions {
  agencies?: AgencyFinder;
  /** A name users type for a document id ("nghị định 80"), so a follow-up stays in that document. */
  documentName?: (id: string) => string | undefined;
}

const words = (s: string): Phrase => fold(s).split(/\s+/).filter(Boolean);
// Longest phrases first, so "như thế nào" wins over "thế nào".
const phrases = (list: string[]): Phrase[] =>
  list
    .map(words)
    .filter((p) => p.length)
    .sort((a, b) => b.length - a.length);

export function parseFollowupLexicon(json: unknown): FollowupLexicon {
  const raw = lexiconSchema.parse(json);
  return {
    swapPrefixes: phrases(raw.swapPrefixes),
    swapSuffixes: phrases(raw.swapSuffixes),
    aspectWords: phrases(raw.aspectWords),
    questionWords: phrases(raw.questionWords),
    predicateMarkers: phrases(raw.predicateMarkers),
    ordinals: phrases(raw.ordinals),
    ordinalWords: Object.fromEntries(Object.entries(raw.ordinalWords).map(([k, v]) => [fold(k), v])),
    documentHint: raw.documentHint,
    moreRequests: phrases(raw.moreRequests),
  };
}

export function loadFollowupLexicon(file: string): FollowupLexicon {
  return parseFollowupLexicon(JSON.parse(fs.readFileSync(file, "utf8")));
}

interface Word {
  f: string;
  start: number;
  end: number;
}

// Words keep inner "&", "/", ",", "." so "KH&CN", "15/3/2027" and "4,5" stay whole.
function tokens(text: string): Word[] {
  return [...text.matchAll(/[\p{L}\p{N}]+(?:[&/.,'-][\p{L}\p{N}]+)*/gu)].map((m) => ({
    f: fold(m[0]),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/** The phrase of `list` that starts at word i, as its length in words (0 when none). */
function phraseAt(ws: Word[], i: number, list: Phrase[]): number {
  const hit = list.find((p) => p.every((w, k) => ws[i + k]?.f === w));
  return hit?.length ?? 0;
}

const trimPunctuation = (s: string) => s.replace(/^[\s,;:.!?-]+|[\s,;:.!?-]+$/g, "");

/** The question without its question words and trailing predicate ("Sở Tài chính phải làm gì?" → "Sở Tài chính"). */
export function topicOf(question: string, lex: FollowupLexicon): string {
  const ws = tokens(question);
  const kept: Word[] = [];
  for (let i = 0; i < ws.length; ) {
    const n = phraseAt(ws, i, lex.questionWords);
    if (n) i += n;
    else kept.push(ws[i++]!);
  }
  while (kept.length > 1) {
    const tail = lex.predicateMarkers.find((p) => p.length < kept.length && p.every((w, k) => kept[kept.length - p.length + k]!.f === w));
    if (!tail) break;
    kept.length -= tail.length;
  }
  // Runs of adjacent kept words keep their own spelling and punctuation ("Sở KH&CN, Sở Tài chính").
  const runs: string[] = [];
  for (const [k, w] of kept.entries()) {
    const joined = k > 0 && ws.indexOf(w) === ws.indexOf(kept[k - 1]!) + 1;
    if (joined) runs[runs.length - 1] += question.slice(kept[k - 1]!.end, w.end);
    else runs.push(question.slice(w.start, w.end));
  }
  return trimPunctuation(runs.join(" "));
}

/** "còn gì nữa không?": the whole message asks for the rest of the last reply. */
export function asksForMore(question: string, lex: FollowupLexicon): boolean {
  const ws = tokens(question).map((w) => w.f);
  return lex.moreRequests.some((p) => p.length === ws.length && p.every((w, k) => w === ws[k]));
}

/** True when every word of the text belongs to `list` (and there is at least one). */
function onlyPhrases(ws: Word[], list: Phrase[]): boolean {
  if (!ws.length) return false;
  for (let i = 0; i < ws.length; ) {
    const n = phraseAt(ws, i, list);
    if (!n) return false;
    i += n;
  }
  return true;
}

/** "còn Sở X thì sao?" → "Sở X"; null when the question is not framed as a swap. */
function swapTarget(question: string, lex: FollowupLexicon): string | null {
  const ws = tokens(question);
  const pre = phraseAt(ws, 0, lex.swapPrefixes);
  if (!pre) return null;
  let end = ws.length;
  for (;;) {
    const suffix = lex.swapSuffixes.find((p) => p.length <= end - pre - 1 && p.every((w, k) => ws[end - p.length + k]!.f === w));
    if (!suffix) break;
    end -= suffix.length;
  }
  if (end <= pre) return null;
  return trimPunctuation(question.slice(ws[pre]!.start, ws[end - 1]!.end));
}

/** "cái thứ 2" → 2 (only when the whole question is that reference). */
function ordinalOf(question: string, lex: FollowupLexicon): number | null {
  const ws = tokens(question).map((w) => w.f);
  for (const pattern of lex.ordinals) {
    if (pattern.length !== ws.length) continue;
    let n: number | null = null;
    const ok = pattern.every((p, k) => {
      if (p !== "{n}") return p === ws[k];
      n = /^\d{1,2}$/.test(ws[k]!) ? Number(ws[k]) : (lex.ordinalWords[ws[k]!] ?? null);
      return n !== null;
    });
    if (ok && n) return n;
  }
  return null;
}

/** Put `target` where the previous question's subject was (an agency, the same head word, or its start). */
function swapInto(previous: string, target: string, lex: FollowupLexicon, agencies?: AgencyFinder): string {
  const [agencyHere] = agencies?.(previous) ?? [];
  if (agencyHere && agencies?.(target).length) return previous.slice(0, agencyHere.start) + target + previous.slice(agencyHere.end);
  const ws = tokens(previous);
  // The target's first two words (one if it has one) must recur: "doanh nghiệp nhỏ" is not in "Hộ kinh doanh".
  const head = tokens(target)
    .slice(0, 2)
    .map((w) => w.f);
  const at = ws.findIndex((_w, i) => head.every((f, k) => ws[i + k]?.f === f));
  const from = Math.max(at, 0);
  let to = from + (at >= 0 ? 1 : 0);
  while (to < ws.length && !phraseAt(ws, to, lex.predicateMarkers) && !phraseAt(ws, to, lex.questionWords)) to++;
  if (to >= ws.length || to === from) return `${target}: ${previous}`;
  return previous.slice(0, ws[from]!.start) + target + " " + previous.slice(ws[to]!.start);
}

function withDocument(text: string, previous: Turn, lex: FollowupLexicon, opts: ReadOptions): string {
  const name = previous.docs[0] ? opts.documentName?.(previous.docs[0]) : undefined;
  if (!name || fold(text).includes(fold(name))) return text;
  return `${text.replace(/[?.!\s]+$/, "")} ${lex.documentHint} ${name}?`;
}

/** The stand-alone reading of `question` after `previous` (the question itself when it needs no context). */
export function readFollowup(question: string, previous: Turn | undefined, lex: FollowupLexicon, opts: ReadOptions = {}): Reading {
  const fresh: Reading = { kind: "new", standalone: question, topic: topicOf(question, lex) || question };
  if (!previous) return fresh;
  const ordinal = ordinalOf(question, lex);
  const item = ordinal ? previous.items[ordinal - 1] : undefined;
  // The item's own words find its section; the previous topic would pull the answer back to the first item.
  if (item) return { kind: "ordinal", standalone: withDocument(item, previous, lex, opts), topic: previous.topic };
  const ws = tokens(question);
  if (ws.length <= 8 && onlyPhrases(ws, lex.aspectWords)) {
    const aspect = trimPunctuation(question);
    return { kind: "aspect", standalone: withDocument(`${previous.topic}: ${aspect}?`, previous, lex, opts), topic: previous.topic };
  }
  const target = swapTarget(question, lex);
  if (!target) return fresh;
  const standalone = swapInto(previous.standalone, target, lex, opts.agencies);
  return { kind: "swap", standalone, topic: topicOf(standalone, lex) || target };
}
