// The phrases a follow-up is framed with ("còn Sở X thì sao?", "ý tôi là A chứ không phải B", "văn bản đó",
// "cái thứ 2"), from corpus/followups.json, and the rewrites they allow. Which reading of a turn is answered is
// chosen by measuring the answers (readings.ts), not here.
import fs from "node:fs";
import { z } from "zod";
import { type CorpusPhrase, isStopword, tokenize } from "../text/tokens.js";
import { askingStart } from "../retrieve/query.js";
import { ENGLISH_MARKERS } from "../text/lexicon.js";
import { fold } from "../text/vietnamese.js";

const lexiconSchema = z.object({
  swapPrefixes: z.array(z.string()),
  swapSuffixes: z.array(z.string()),
  fillers: z.array(z.string()).default([]),
  questionWords: z.array(z.string()),
  predicateMarkers: z.array(z.string()),
  objectMarkers: z.array(z.string()).default([]),
  corrections: z.array(z.string()).default([]),
  correctionOpeners: z.array(z.string()).default([]),
  openedCorrections: z.array(z.string()).default([]),
  correctionClosers: z.array(z.string()).default([]),
  shorthand: z.record(z.string()).default({}),
  topicSwitches: z.array(z.string()).default([]),
  documentNouns: z.array(z.string()).default([]),
  documentReferences: z.array(z.string()).default([]),
  topicNouns: z.array(z.string()).default([]),
  topicReferences: z.array(z.string()).default([]),
  pronouns: z.array(z.string()).default([]),
  agencyReferences: z.array(z.string()).default([]),
  ordinals: z.array(z.string()),
  listReferences: z.array(z.string()).default([]),
  ordinalWords: z.record(z.number().int().positive()),
  documentHint: z.string(),
  moreRequests: z.array(z.string()).default([]),
  questionHeads: z.array(z.string()).default([]),
  locationAsks: z.array(z.string()).default([]),
});

type Phrase = string[];

export interface FollowupLexicon {
  swapPrefixes: Phrase[];
  swapSuffixes: Phrase[];
  fillers: Phrase[];
  questionWords: Phrase[];
  predicateMarkers: Phrase[];
  objectMarkers: Phrase[];
  /** Patterns with {a} (what was meant) and optionally {b} (what was said). */
  corrections: Phrase[];
  /** Words that may open a correction before its pattern ("nhầm, ý em là …", "sorry, i meant …"). */
  correctionOpeners: Phrase[];
  /** Patterns that are a correction only after an opener ("à không, mình hỏi {a}"; alone they open a new question). */
  openedCorrections: Phrase[];
  /** Particles that close a correction and are not part of what was meant ("… UBND các huyện cơ"). */
  correctionClosers: Phrase[];
  /** Chat shorthand read as the word it stands for when matching phrases ("k phải" is "không phải"), folded. */
  shorthand: Record<string, string>;
  topicSwitches: Phrase[];
  /** "{doc} đó" expanded over documentNouns: phrases that point at the previous answer's document. */
  documentReferences: Phrase[];
  /** The kinds of document a reference may name ("kết luận", "nghị định"), folded. */
  documentNouns: string[];
  pronouns: Phrase[];
  agencyReferences: Phrase[];
  /** "{topic} đó" expanded over topicNouns: phrases that point at what the previous answer said ("khoản hỗ trợ đó"). */
  topicReferences: Phrase[];
  ordinals: Phrase[];
  /** Words that point at the list the previous answer showed ("trong danh sách đó", "in that list"). */
  listReferences: Phrase[];
  ordinalWords: Record<string, number>;
  documentHint: string;
  moreRequests: Phrase[];
  /** The words that make a sentence a question ("gì", "nào", "bao nhiêu", "đâu"): a reading asking more is a splice. */
  questionHeads: Phrase[];
  /** Phrases that ask where something stands in its document ("nằm ở mục nào", "which section"). */
  locationAsks: Phrase[];
}

/** Where agency names are in a text (character spans), e.g. from the agency catalogue. */
export type AgencyFinder = (text: string) => Array<{ start: number; end: number }>;

/**
 * How a question was read: on its own; with the previous topic; in the previous document; with an entity of the
 * previous question swapped; as a correction of it; with a reference to the previous answer resolved; as the
 * n-th item of the previous answer; or rewritten by the model.
 */
export type ReadingKind = "new" | "topic" | "document" | "near" | "swap" | "correction" | "reference" | "ordinal" | "location" | "model";

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

// Lexicon words as written (lower case): a word typed with diacritics must match them as typed ("vay" is not "vậy").
const words = (s: string): Phrase => s.normalize("NFC").toLowerCase().split(/\s+/).filter(Boolean);
// Longest phrases first, so "như thế nào" wins over "thế nào".
const phrases = (list: string[]): Phrase[] =>
  list
    .map(words)
    .filter((p) => p.length)
    .sort((a, b) => b.length - a.length);

export function parseFollowupLexicon(json: unknown): FollowupLexicon {
  const raw = lexiconSchema.parse(json);
  const expand = (patterns: string[], slot: string, nouns: string[]) =>
    patterns.flatMap((p) => (p.includes(slot) ? nouns.map((n) => p.replace(slot, n)) : [p]));
  const documentReferences = expand(raw.documentReferences, "{doc}", raw.documentNouns);
  return {
    swapPrefixes: phrases(raw.swapPrefixes),
    swapSuffixes: phrases(raw.swapSuffixes),
    fillers: phrases(raw.fillers),
    questionWords: phrases(raw.questionWords),
    predicateMarkers: phrases(raw.predicateMarkers),
    objectMarkers: phrases(raw.objectMarkers),
    corrections: phrases(raw.corrections),
    correctionOpeners: phrases(raw.correctionOpeners),
    openedCorrections: phrases(raw.openedCorrections),
    correctionClosers: phrases(raw.correctionClosers),
    shorthand: Object.fromEntries(Object.entries(raw.shorthand).map(([k, v]) => [fold(k), v.normalize("NFC").toLowerCase()])),
    topicSwitches: phrases(raw.topicSwitches),
    documentReferences: phrases(documentReferences),
    documentNouns: raw.documentNouns.map((n) => fold(n.normalize("NFC").toLowerCase())),
    pronouns: phrases(raw.pronouns),
    agencyReferences: phrases(raw.agencyReferences),
    topicReferences: phrases(expand(raw.topicReferences, "{topic}", raw.topicNouns)),
    ordinals: phrases(raw.ordinals),
    listReferences: phrases(raw.listReferences),
    ordinalWords: Object.fromEntries(Object.entries(raw.ordinalWords).map(([k, v]) => [fold(k), v])),
    documentHint: raw.documentHint,
    moreRequests: phrases(raw.moreRequests),
    questionHeads: phrases(raw.questionHeads),
    locationAsks: phrases(raw.locationAsks),
  };
}

export function loadFollowupLexicon(file: string): FollowupLexicon {
  return parseFollowupLexicon(JSON.parse(fs.readFileSync(file, "utf8")));
}

interface Word {
  f: string;
  /** As typed, lower case. */
  l: string;
  /** The text it comes from was typed with diacritics (so a bare word is bare on purpose). */
  marked: boolean;
  start: number;
  end: number;
  /** Punctuation stands between this word and the one before ("DN nhỏ, muốn thuê …"): a clause may end there. */
  afterPunctuation: boolean;
}

/**
 * A lexicon word matches by its folded form in a text typed without diacritics, and as written in one typed with
 * them: in "Hợp tác xã vay vốn …" the bare "vay" (loan) is not the particle "vậy"; in "hop tac xa vay von" it may be.
 */
/**
 * A typed word is the lexicon's word: the same letters, with its diacritics when the question has any. A word that
 * carries diacritics itself is read as typed: "ít" (few) is not the pronoun "it", "thế" not "the".
 */
const same = (lexiconWord: string, typed: Word | undefined): boolean => {
  if (!typed || typed.f !== fold(lexiconWord)) return false;
  if (typed.l !== typed.f) return typed.l === lexiconWord;
  return !typed.marked || typed.l === lexiconWord || fold(lexiconWord) === lexiconWord;
};

// Words keep inner "&", "/", ",", "." so "KH&CN", "15/3/2027" and "4,5" stay whole.
function tokens(text: string): Word[] {
  const marked = fold(text) !== text.normalize("NFC").toLowerCase();
  let end = 0;
  return [...text.matchAll(/[\p{L}\p{N}]+(?:[&/.,'-][\p{L}\p{N}]+)*/gu)].map((m) => {
    const afterPunctuation = /[,;:.!?()]/.test(text.slice(end, m.index));
    end = m.index + m[0].length;
    return { f: fold(m[0]), l: m[0].normalize("NFC").toLowerCase(), marked, start: m.index, end, afterPunctuation };
  });
}

/** The phrase of `list` that starts at word i, as its length in words (0 when none). */
function phraseAt(ws: Word[], i: number, list: Phrase[]): number {
  const hit = list.find((p) => p.every((w, k) => same(w, ws[i + k])));
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
    const tail = lex.predicateMarkers.find((p) => p.length < kept.length && p.every((w, k) => same(w, kept[kept.length - p.length + k])));
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
  const ws = tokens(question);
  return lex.moreRequests.some((p) => p.length === ws.length && p.every((w, k) => same(w, ws[k])));
}

/** The phrase of `list` that ends at word `end` (exclusive), as its length in words (0 when none). */
function phraseBefore(ws: Word[], end: number, list: Phrase[], min = 0): number {
  return list.find((p) => p.length <= end - min && p.every((w, k) => same(w, ws[end - p.length + k])))?.length ?? 0;
}

/**
 * "còn Sở X thì sao?", "Sở X thì sao?", "what about X?" → "X", with `framed` true; a turn with no frame gives
 * itself without its fillers ("VietGap?"), `framed` false. Null when nothing is left.
 */
export function swapTarget(question: string, lex: FollowupLexicon): { target: string; framed: boolean } | null {
  const ws = tokens(question);
  let start = phraseAt(ws, 0, lex.swapPrefixes);
  let end = ws.length;
  let framed = start > 0;
  for (let n = phraseBefore(ws, end, lex.swapSuffixes, start + 1); n; n = phraseBefore(ws, end, lex.swapSuffixes, start + 1)) {
    end -= n;
    framed = true;
  }
  for (let n = phraseAt(ws, start, lex.fillers); n && start + n < end; n = phraseAt(ws, start, lex.fillers)) start += n;
  if (end <= start) return null;
  // "còn theo kế hoạch thì các sở báo cáo trước ngày nào?" asks a question of its own: nothing to swap in.
  if (ws.slice(start, end).some((_w, i) => phraseAt(ws, start + i, lex.questionWords))) return null;
  return { target: trimPunctuation(question.slice(ws[start]!.start, ws[end - 1]!.end)), framed };
}

/** The turn opens as a continuation ("còn …", "thế còn …", "what about …"), whatever it asks after that. */
export function opensAsContinuation(question: string, lex: FollowupLexicon): boolean {
  return phraseAt(tokens(question), 0, lex.swapPrefixes) > 0;
}

/** The turn without the fillers that open or close it ("vậy hạn gửi là ngày nào?" → "hạn gửi là ngày nào"). */
export function withoutFillers(question: string, lex: FollowupLexicon): string {
  const ws = tokens(question);
  let start = 0;
  let end = ws.length;
  for (let n = phraseAt(ws, start, lex.fillers); n && start + n < end; n = phraseAt(ws, start, lex.fillers)) start += n;
  for (let n = phraseBefore(ws, end, lex.fillers, start + 1); n; n = phraseBefore(ws, end, lex.fillers, start + 1)) end -= n;
  if (end <= start) return trimPunctuation(question);
  return trimPunctuation(question.slice(ws[start]!.start, ws[end - 1]!.end).replace(/\?+$/, ""));
}

/** What was meant without the particle that closes a correction ("UBND các huyện cơ" → "UBND các huyện"). */
function withoutClosers(meant: string, lex: FollowupLexicon): string {
  const ws = tokens(meant);
  const n = phraseBefore(ws, ws.length, lex.correctionClosers, 1);
  return trimPunctuation(n ? meant.slice(0, ws[ws.length - n - 1]!.end) : meant);
}

/** "chuyện khác: ai ký …?" → "ai ký …?" (the context is dropped); null when the turn does not switch topic. */
export function topicSwitch(question: string, lex: FollowupLexicon): string | null {
  const ws = tokens(question);
  // The cue may follow a particle or a request to ask ("à hỏi cái khác", "cho chị hỏi chuyện khác: …").
  for (let at = 0; at <= Math.min(SWITCH_CUE_LATEST, ws.length - 1); at++) {
    const n = phraseAt(ws, at, lex.topicSwitches);
    if (n) return ws[at + n] ? question.slice(ws[at + n]!.start).trim() : "";
  }
  return null;
}

/** The latest word a topic-switch cue may start at: after "cho chị hỏi" it still opens the turn. */
const SWITCH_CUE_LATEST = 3;

/** Match a pattern with {a}/{b} slots against the whole turn; the slots' text as typed. */
function matchSlots(question: string, ws: Word[], pattern: Phrase): Record<string, string> | null {
  const go = (pi: number, wi: number, out: Record<string, string>): Record<string, string> | null => {
    if (pi === pattern.length) return wi === ws.length ? out : null;
    const p = pattern[pi]!;
    if (!/^\{[ab]\}$/.test(p)) return same(p, ws[wi]) ? go(pi + 1, wi + 1, out) : null;
    for (let end = wi + 1; end <= ws.length; end++) {
      const found = go(pi + 1, end, { ...out, [p.slice(1, 2)]: question.slice(ws[wi]!.start, ws[end - 1]!.end) });
      if (found) return found;
    }
    return null;
  };
  return go(0, 0, {});
}

/**
 * "ý tôi là A chứ không phải B" → { meant: "A", said: "B" }; "ý tôi là A" → { meant: "A" }; null otherwise. The
 * pattern may follow an opener ("nhầm, ý em là A"), chat shorthand is read out ("k phải B, ý mình là A"), and the
 * fillers that close a turn are not part of A ("mình hỏi UBND các huyện cơ").
 */
export function correctionOf(question: string, lex: FollowupLexicon): Correction | null {
  const ws = tokens(question).map((w) => (lex.shorthand[w.f] ? { ...w, f: fold(lex.shorthand[w.f]!), l: lex.shorthand[w.f]! } : w));
  // Openers may follow one another ("à nhầm, …", "à xin lỗi, …"): the correction may start after any of them.
  const starts = [0];
  for (let n = phraseAt(ws, 0, lex.correctionOpeners); n > 0; n = phraseAt(ws, starts.at(-1)!, lex.correctionOpeners))
    starts.push(starts.at(-1)! + n);
  for (const from of starts.reverse())
    for (const pattern of from ? [...lex.corrections, ...lex.openedCorrections] : lex.corrections) {
      const m = matchSlots(question, ws.slice(from), pattern);
      // "… chứ không phải 2 năm, vậy còn đủ điều kiện không?": the said value ends at the punctuation, and what
      // follows asks again in the corrected context.
      const [said, asked] = m?.b ? splitAsked(m.b, lex) : [];
      // "… chứ không phải khởi nghiệp sáng tạo vậy tư vấn … bao nhiêu?": asking in the same breath, the turn is a new
      // question that mentions a correction, not a correction.
      if (said && !asked && asksItself(said, lex)) continue;
      if (m?.a) return { meant: withoutClosers(m.a, lex), ...(said ? { said } : {}), ...(asked ? { asked } : {}) };
    }
  return null;
}

/** A correction: what was meant, what was said instead (when the turn says it), and a question asked after it. */
export interface Correction {
  meant: string;
  said?: string;
  /** "…, vậy còn đủ điều kiện không?", "What's the small enterprise threshold then?" after the corrected value. */
  asked?: string;
}

/** The said value up to the first punctuation, and what follows it when that asks a question of its own. */
function splitAsked(b: string, lex: FollowupLexicon): [string, string | undefined] {
  const cut = /[,.;?!]\s+(?=\S)/.exec(b);
  const asked = cut ? trimPunctuation(b.slice(cut.index + cut[0].length)) : "";
  // Chat shorthand ("đủ đk ko") and English contractions ("What's") read as the words they stand for.
  const spelled = asked.replace(/'s\b/gi, " is").replace(/[\p{L}\p{N}]+/gu, (w) => lex.shorthand[fold(w)] ?? w);
  if (!cut || !asked || !(asksItself(spelled, lex) || /\?\s*$/.test(b))) return [trimPunctuation(b), undefined];
  return [trimPunctuation(b.slice(0, cut.index)), asked];
}

/** How many questions `text` asks: its question heads ("… về đâu … cho cơ quan nào?" asks two). */
export function questionCount(text: string, lex: FollowupLexicon): number {
  const ws = tokens(text);
  let count = 0;
  for (let i = 0; i < ws.length; ) {
    const n = phraseAt(ws, i, lex.questionHeads);
    count += n > 0 ? 1 : 0;
    i += Math.max(1, n);
  }
  return count;
}

/**
 * Whether `text` asks something itself: it holds a question word ("… thì sở nào làm", "… bao nhiêu"). A word typed
 * in capitals is an abbreviation, not a question word ("không phải AI, ý mình hỏi …": AI is no "ai?").
 */
export function asksItself(text: string, lex: FollowupLexicon): boolean {
  const ws = tokens(text);
  const capitals = (w: Word) => /^\p{Lu}{2,}$/u.test(text.slice(w.start, w.end));
  // A question head ("gì", "bao nhiêu") asks wherever it stands; "không", "chưa" only as the closing words ("máy
  // bay không người lái" asks nothing).
  const asks = (i: number) => phraseAt(ws, i, lex.questionHeads) > 0 || (phraseAt(ws, i, lex.questionWords) > 0 && onlyAsks(ws, i, lex));
  return ws.some((w, i) => !capitals(w) && asks(i));
}

/** Where the word sequence `phrase` stands in `text` (diacritics and case ignored), as a character span. */
export function findPhrase(text: string, phrase: string): { start: number; end: number } | null {
  const ws = tokens(text);
  const ps = tokens(phrase).map((w) => w.f);
  if (!ps.length) return null;
  const i = ws.findIndex((_w, k) => ps.every((f, j) => ws[k + j]?.f === f));
  return i < 0 ? null : { start: ws[i]!.start, end: ws[i + ps.length - 1]!.end };
}

const splice = (text: string, span: { start: number; end: number }, by: string) => text.slice(0, span.start) + by + text.slice(span.end);

/**
 * `said` replaced by `meant` in `text` ("… đến năm 2045 …", "năm 2030", "2045" → "… đến năm 2030 …": words
 * the meant value repeats from just before the said one are not doubled); null when `said` is not in `text`.
 */
export function replacePhrase(text: string, said: string, meant: string): string | null {
  const span = findPhrase(text, said);
  if (!span) return null;
  const ws = tokens(text);
  const mine = tokens(meant);
  const at = ws.findIndex((w) => w.start === span.start);
  let from = at;
  // The meant value's last word stands for the said one; the words before it may already be in the text.
  for (let j = 1; j < mine.length && at - j >= 0 && ws[at - j]!.f === mine[mine.length - 1 - j]!.f; j++) from = at - j;
  // …or its first words are ("đề tài cấp bộ" for "cấp quốc gia" in "… một đề tài cấp quốc gia"): not said twice.
  if (from === at) from = at - repeatedOpening(ws.slice(0, at), mine);
  // …or they open the phrase the said value ends ("chi phí đi thi …" for "thiết bị" in "chi phí dùng trang thiết bị").
  if (from === at) from = openingBefore(text, ws, at, mine) ?? at;
  return splice(text, { start: ws[from]!.start, end: span.end }, meant);
}

/** Words that may stand between the meant value's opening words and the said value in one phrase. */
const PHRASE_GAP = 3;

/** Where `meant`'s first two or more words stand a few words before `at`, in the same phrase (no break between). */
function openingBefore(text: string, ws: Word[], at: number, meant: Word[]): number | undefined {
  for (let start = at - 2; start >= Math.max(0, at - 2 - PHRASE_GAP); start--) {
    if (/[,.;:?!]/.test(text.slice(ws[start]!.end, ws[at]!.start))) return undefined;
    const k = meant.findIndex((w, i) => ws[start + i]?.f !== w.f || start + i >= at);
    if ((k < 0 ? meant.length : k) >= 2) return start;
  }
  return undefined;
}

/** How many of `meant`'s first words (all but its last) end `before`, the longest such run. */
function repeatedOpening(before: Word[], meant: Word[]): number {
  for (let k = Math.min(meant.length - 1, before.length); k > 0; k--)
    if (meant.slice(0, k).every((w, i) => w.f === before[before.length - k + i]!.f)) return k;
  return 0;
}

/** A reference in the turn to the previous answer: its document ("văn bản đó", "it") or its agency ("cơ quan đó"). */
export function referenceIn(
  question: string,
  lex: FollowupLexicon,
): { start: number; end: number; to: "document" | "agency"; pronoun: boolean } | null {
  const ws = tokens(question);
  // An English reference read in a Vietnamese turn typed without diacritics is a Vietnamese word: "them" is "thêm".
  const english = ws.some((w) => ENGLISH_MARKERS.has(w.l));
  const fits = (p: Phrase) => english || !p.every((w) => /^[a-z']+$/.test(w));
  for (let i = 0; i < ws.length; i++) {
    for (const [list, to, pronoun] of [
      [lex.documentReferences, "document", false],
      [lex.agencyReferences, "agency", false],
      [lex.pronouns, "document", true],
    ] as const) {
      const n = phraseAt(ws, i, list.filter(fits));
      if (n) return { start: ws[i]!.start, end: ws[i + n - 1]!.end, to, pronoun };
    }
  }
  return null;
}

/** The reference replaced by what it stands for ("nghị định đó thay thế văn bản nào?" → "Nghị định 80 thay thế …"). */
export function resolveReference(question: string, ref: { start: number; end: number }, name: string): string {
  return splice(question, ref, name);
}

/** The longest run of consecutive indices in an ascending list (the first of equal ones). */
function longestRun(indices: number[]): number[] {
  let best: number[] = [];
  let run: number[] = [];
  for (const i of indices) {
    run = run.length && run.at(-1) === i - 1 ? [...run, i] : [i];
    if (run.length > best.length) best = run;
  }
  return best;
}

/** Where a phrase of a question ends: its end, punctuation, a question word ("mấy năm"), or a predicate marker. */
const phraseEnds = (ws: Word[], i: number, lex: FollowupLexicon) =>
  i >= ws.length || ws[i]!.afterPunctuation || !!phraseAt(ws, i, lex.questionWords) || !!phraseAt(ws, i, lex.predicateMarkers);

/**
 * The part of the previous question a swapped-in target most likely stands for: the agency it named, for an
 * agency; else the longest run of words the two share, with the rest of its phrase when the target goes on past
 * them ("lệ phí môn bài" for "lệ phí đăng ký doanh nghiệp"); else one shared head word the target gives another
 * modifier ("DN siêu nhỏ" for "DN vừa"), the modifier being the words after the head that run on as phrases of the
 * corpus. Null: none found.
 */
export function swappedPart(
  previous: string,
  target: string,
  lex: FollowupLexicon,
  agencies?: AgencyFinder,
  phrase?: CorpusPhrase,
): { start: number; end: number } | null {
  const [agencyHere] = agencies?.(previous) ?? [];
  if (agencyHere && agencies?.(target).length) return agencyHere;
  const ws = tokens(previous);
  const mine = tokens(target);
  const run = longestRun(sharedWords(ws, mine, lex));
  let to = (run.at(-1) ?? -1) + 1;
  // The rest of the phrase goes too when the target goes on past the shared words; when both end on them ("quy mô
  // nhỏ" for "quy mô siêu nhỏ"), what follows ("thuê phần mềm") is the rest of the question.
  if (run.length > 1) while (ws[to - 1]!.f !== mine.at(-1)!.f && !phraseEnds(ws, to, lex)) to++;
  else if (run.length !== 1 || !phrase || mine.length < 2 || mine[0]!.f !== ws[run[0]!]!.f) return null;
  else {
    // The head's modifier: its first word, and the words that run on from it as the corpus's phrases. A lone word
    // ("DN nhỏ thuê …") cannot be told from a verb, so a modifier of one word must end the phrase.
    const runsOn = (k: number) => k < ws.length && !phraseEnds(ws, k, lex) && phrase(ws[k - 1]!.f, ws[k]!.f);
    if (phraseEnds(ws, to, lex)) return null;
    to++;
    if (!runsOn(to) && !phraseEnds(ws, to, lex)) return null;
    while (runsOn(to)) to++;
  }
  const start = run[0]! - repeatedOpening(ws.slice(0, run[0]), mine);
  return { start: ws[start]!.start, end: ws[to - 1]!.end };
}

/**
 * The previous question an agency is swapped into: its sentences that ask, when they name an agency. The situation
 * told before them is the asker's own ("mình là phó phòng … huyện A"): kept, it pulls the answer back to that office.
 */
function askedOf(previous: string, target: string, agencies?: AgencyFinder): string {
  if (!agencies?.(target).length) return previous;
  const from = askingStart(previous);
  return from && agencies(previous).some((a) => a.start >= from) ? previous.slice(from) : previous;
}

/** The previous question with `target` in the part it most likely stands for (`swappedPart`); null: none found. */
export function likelySwap(
  previous: string,
  target: string,
  lex: FollowupLexicon,
  agencies?: AgencyFinder,
  phrase?: CorpusPhrase,
): string | null {
  const asked = askedOf(previous, target, agencies);
  const part = swappedPart(asked, target, lex, agencies, phrase);
  return part && splice(asked, part, target);
}

/**
 * The indices of the previous question's words the target also says (question words and function words aside: "em",
 * "chị" in "Chào em, chị là …" and "… tính sao em" say nothing of where the target belongs).
 */
function sharedWords(ws: Word[], mine: Word[], lex: FollowupLexicon): number[] {
  const own = new Set(mine.map((w) => w.f));
  const shared = (w: Word, i: number) => own.has(w.f) && !phraseAt(ws, i, lex.questionWords) && !tokenize(w.l).every(isStopword);
  return ws.map((w, i) => (shared(w, i) ? i : -1)).filter((i) => i >= 0);
}

/**
 * The previous question with `target` put in place of one of its parts, each way that keeps a readable
 * sentence: the part it most likely stands for (`swappedPart`); the words it shares with the target ("trong
 * nước" → "đi nước ngoài"); the object after its last object marker ("… để | xây dựng tiêu chuẩn cơ sở"); its
 * subject (up to the predicate).
 */
export function swapVariants(
  previous: string,
  target: string,
  lex: FollowupLexicon,
  agencies?: AgencyFinder,
  phrase?: CorpusPhrase,
): string[] {
  const out: string[] = [];
  previous = askedOf(previous, target, agencies);
  const [agencyHere] = agencies?.(previous) ?? [];
  // The agency's part first, then the shared words' (both when both are found).
  for (const likely of [likelySwap(previous, target, lex, agencies, phrase), likelySwap(previous, target, lex, undefined, phrase)])
    if (likely) out.push(likely);
  const ws = tokens(previous);
  const mine = tokens(target);
  // The words the target opens with may already stand before the replaced span ("cho tàu cá hoạt động | ở vùng
  // khơi" with "tàu cá hoạt động ở vùng hồ chứa"): the span starts at them, so they are not said twice.
  const put = (from: number, end: number) => {
    const start = from - repeatedOpening(ws.slice(0, from), mine);
    out.push(splice(previous, { start: ws[start]!.start, end }, target));
  };
  const shared = sharedWords(ws, mine, lex);
  if (shared.length) {
    let from = shared[0]!;
    if (from > 0 && phraseBefore(ws, from, lex.objectMarkers)) from -= phraseBefore(ws, from, lex.objectMarkers);
    put(from, ws[shared.at(-1)!]!.end);
  }
  for (let i = ws.length - 1; i > 0; i--) {
    const n = phraseAt(ws, i, lex.objectMarkers);
    if (!n || i + n >= ws.length) continue;
    let to = i + n;
    while (to < ws.length && !phraseAt(ws, to, lex.questionWords)) to++;
    if (to === i + n) break;
    // With its marker ("trong nước" → "abroad") and without ("để | xây dựng …" → "để | hệ thống …").
    put(i, ws[to - 1]!.end);
    put(i + n, ws[to - 1]!.end);
    break;
  }
  // Its subject, when it is one sentence: a question told after a situation opens with the situation's ("Hi, I'm
  // advising …", "Chào em, chị là …"), and the subject of the sentence that asks is not found by where it starts.
  let to = 0;
  while (!phraseEnds(ws, to, lex)) to++;
  if (to > 0 && to < ws.length && !askingStart(previous)) out.push(splice(previous, { start: 0, end: ws[to - 1]!.end }, target));
  // An agency swapped for an agency replaces it: a reading that keeps the old one beside the new ("Tỉnh đoàn có
  // trách nhiệm gì trong Hiệp hội …?") asks about the old agency still.
  const old = agencyHere && agencies?.(target).length ? previous.slice(agencyHere.start, agencyHere.end) : undefined;
  return [...new Set(out)].filter((v, i) => i === 0 || !old || !v.includes(old));
}

/** Joins the previous document's name to a turn that names none ("… theo Nghị định 80/2021/NĐ-CP?"). */
export function withDocument(text: string, name: string | undefined, lex: FollowupLexicon): string {
  if (!name || fold(text).includes(fold(name))) return text;
  return `${text.replace(/[?.!\s]+$/, "")} ${lex.documentHint} ${name}?`;
}

/** Words a location ask may carry besides its phrase and still ask about the previous answer ("ý đó … của kế hoạch"). */
const LOCATION_OWN_WORDS = 3;

/**
 * "cái đó nằm ở mục nào của kế hoạch?", "which section is that in?": the turn asks where what the previous answer
 * quoted stands in its document — it points back at it, or says nothing of its own beside the kind of document.
 * "Luật quy định chi 2% ngân sách ở điều nào?" names its own topic: it is a question, answered with its article.
 */
export function asksLocation(question: string, lex: FollowupLexicon): boolean {
  const ws = tokens(question);
  const at = ws.findIndex((_, i) => phraseAt(ws, i, lex.locationAsks) > 0);
  if (at < 0) return false;
  if (pointsBack(question, lex) || referenceIn(question, lex)) return true;
  const n = phraseAt(ws, at, lex.locationAsks);
  const rest = topicOf(`${question.slice(0, ws[at]!.start)} ${question.slice(ws[at + n - 1]!.end)}`, lex);
  // The kind of document it is in ("… của kế hoạch") is no topic of its own.
  const words = tokens(rest).map((w) => w.f);
  const nouns = lex.documentNouns.map((d) => d.split(" "));
  let own = 0;
  for (let i = 0; i < words.length; ) {
    const noun = nouns.find((d) => d.every((x, k) => words[i + k] === x));
    i += noun?.length ?? 1;
    if (!noun) own++;
  }
  return own <= LOCATION_OWN_WORDS;
}

/** Whether the turn points at what the previous answer said ("khoản hỗ trợ đó", "chỉ tiêu này", "that target"). */
export function pointsBack(question: string, lex: FollowupLexicon): boolean {
  const ws = tokens(question);
  return ws.some((_, i) => phraseAt(ws, i, lex.topicReferences) > 0);
}

/**
 * "cái thứ 2" → 2: the whole question is an ordinal; or one pointed at the list the previous answer showed, where the
 * items may be named by their noun ("quyền thứ 4 trong ds đó là gì?", "cái thứ 2 trong danh sách đó"). A weekday
 * ("thứ 4 tuần sau") points at no list.
 */
export function ordinalOf(question: string, lex: FollowupLexicon): number | null {
  const ws = tokens(question);
  const listed = beforeListReference(ws, lex);
  // "cái thứ 2 là gì ạ?": the question words and particles after the ordinal ask nothing more.
  const said = listed ?? ws.slice(0, asksNothingFrom(ws, lex));
  for (const pattern of lex.ordinals) {
    const n = pattern.length === said.length ? ordinalIn(pattern, said, lex) : null;
    if (n) return n;
  }
  // The items named by their noun, of one or two words ("quyền thứ 4", "điều kiện thứ hai").
  const named = listed && listed.length >= 3 && listed.length <= 4 ? listed.slice(-3) : null;
  return named ? ordinalIn(["{w}", "thứ", "{n}"], named, lex) : null;
}

/** The words that name a part of the previous answer's article: a clause (khoản 3) or a point (điểm b). */
const PART_WORDS: Record<string, "clause" | "point"> = { khoan: "clause", clause: "clause", diem: "point", point: "point" };

/**
 * "khoản 3 đó áp dụng cho ai?", "điểm b nói gì?": the clause or point of the previous answer's article the turn
 * names by its label, when it names no article ("khoản 3 Điều 20" is a reference of its own) and only one part.
 */
export function partReferenceOf(question: string): { part: "clause" | "point"; label: string } | null {
  const ws = tokens(question);
  if (ws.some((w) => w.f === "dieu" || w.f === "article")) return null;
  const found = ws.flatMap((w, i) => {
    const part = PART_WORDS[w.f];
    const label = ws[i + 1]?.l;
    if (!part || !label) return [];
    const ok = part === "clause" ? /^\d{1,2}$/.test(label) : /^[a-zđ]$/.test(label);
    return ok ? [{ part, label }] : [];
  });
  return found.length === 1 ? found[0]! : null;
}

/**
 * "dk thứ 2 áp dụng cho loại hình nào?": a turn that opens with a numbered item ("{noun} thứ {n}") and asks something
 * of it; the number and what is asked, else null.
 */
export function itemAskedOf(question: string, lex: FollowupLexicon): { n: number; asked: string } | null {
  const ws = tokens(question);
  const n = ws.length > 3 ? ordinalIn(["{w}", "thứ", "{n}"], ws.slice(0, 3), lex) : null;
  return n ? { n, asked: question.slice(ws[3]!.start).trim() } : null;
}

/** The number a pattern's {n} takes in `ws` ({w}: any one word), null when the words do not match it. */
function ordinalIn(pattern: Phrase, ws: Word[], lex: FollowupLexicon): number | null {
  let n: number | null = null;
  const ok = pattern.every((p, k) => {
    if (p === "{w}") return true;
    if (p !== "{n}") return same(p, ws[k]);
    const f = ws[k]!.f;
    n = /^\d{1,2}$/.test(f) ? Number(f) : (lex.ordinalWords[f] ?? null);
    return n !== null;
  });
  return ok ? n : null;
}

/** The words before a reference to the previous list that only question words and particles follow, else null. */
function beforeListReference(ws: Word[], lex: FollowupLexicon): Word[] | null {
  for (let i = 1; i < ws.length; i++) {
    const n = phraseAt(ws, i, lex.listReferences);
    if (n && onlyAsks(ws, i + n, lex)) return ws.slice(phraseAt(ws, 0, lex.fillers), i);
  }
  return null;
}

/** Whether the words from `from` on are only question words and particles ("là gì ạ"), or none. */
function onlyAsks(ws: Word[], from: number, lex: FollowupLexicon): boolean {
  let j = from;
  while (j < ws.length) {
    const k = phraseAt(ws, j, lex.questionWords) || phraseAt(ws, j, lex.fillers);
    if (!k) return false;
    j += k;
  }
  return true;
}

/** Where the closing question words and particles of `ws` begin (its length when there are none). */
function asksNothingFrom(ws: Word[], lex: FollowupLexicon): number {
  for (let i = 1; i < ws.length; i++) if (onlyAsks(ws, i, lex)) return i;
  return ws.length;
}
