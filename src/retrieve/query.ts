// The question, analysed once: repaired tokens, folded and accented forms, intent, named documents, asks for
// dates or amounts. Everything downstream (duties, retrieval, embeddings, composition) reads this value and
// never re-tokenizes the question.
import { nameKey } from "../index/names.js";
import { agenciesOfIndex } from "../duties/agencies.js";
import { type DutyQuestion, readDutyQuestion } from "../duties/scope.js";
import type { LoadedIndex } from "../index/store.js";
import type { AnalyzedQuery } from "../text/analyzer.js";
import { corpusPhrase, isStopword, type Token } from "../text/tokens.js";
import {
  AMOUNT_ASKS,
  ASKS,
  ASKS_MARKED,
  CONDITIONS_ASK,
  cueIn,
  DATE_ASKS,
  EXCLUSION,
  INJECTION_PATTERN,
  OPINION_ASKS,
  ACTUAL_FIGURE_ASKS,
  YEAR_DONE_ASKS,
  CONTACT_ASKS,
  FILE_ASKS,
  RECIPIENT_ASKS,
  REPORT_WORD,
  LOCAL_WORDS,
  QUESTION_CUES,
  NOT_AMOUNT_AS_TYPED,
  RATE_PER_PERIOD,
  TOPIC_WORDS_IN_SMALL_TALK,
} from "../text/lexicon.js";
import { fold } from "../text/vietnamese.js";
import type { Citation, Intent } from "../types.js";
import { correctSpelling } from "./spelling.js";

export interface DocumentMention {
  ids: string[];
  /** Diacritic-free words of the names found ("ke", "hoach"): they select a document, they are not the topic. */
  words: Set<string>;
}

export interface Query {
  /** As asked (NFC, whitespace folded, pasted markup removed). */
  text: string;
  /** What is asked about: `text` without an exclusion ("Ngoài Sở X, …", "Trừ …, còn …"). */
  focus: string;
  /** The excluded phrase ("Sở X"), if any. */
  excluded: string | null;
  /** After typo repair against the corpus vocabulary: what is searched. */
  repaired: string;
  /** Diacritic-free words of `repaired`, single-spaced (for cue phrases). */
  folded: string;
  analyzed: AnalyzedQuery;
  /** Search features: `analyzed.features` without the words that only name a document. */
  features: Map<string, number>;
  intent: Intent;
  asksAmount: boolean;
  /** Asks for a list ("hồ sơ gồm những gì?", "what documents"): a list answers with its introduction. */
  asksList: boolean;
  /** What a "how much" asks the amount of: the topic words just before "bao nhiêu" ("doanh thu tăng trưởng"). */
  measured: Token[];
  /** Asks how long ("bao lâu", "mấy ngày"). */
  asksDuration: boolean;
  /** Asks which agency ("sở nào", "cơ quan nào", "which ministry"). */
  asksAgency: boolean;
  /** Points at the province's own plans without naming one ("của tỉnh", "địa phương"). */
  local: boolean;
  documents: DocumentMention;
  /** Documents named side by side and asked the same thing ("Luật … và Nghị định … có hiệu lực …?"), in order. */
  coordinated: string[];
  /** The question as the duty layer reads it (agencies asked about or excluded, plans named), read once here. */
  duty: DutyQuestion;
  /** Quotes that led earlier parts of the same question: a later part asks something else. */
  answered?: readonly Pick<Citation, "doc" | "section" | "quote">[];
  /**
   * Sections ("doc#D26.2") the conversation's previous answer cited, when a follow-up is asked near them: their
   * articles (Điều, Mục) rank higher (`nearPart`).
   */
  near?: readonly string[];
  /** Document numbers the question gives that the corpus does not hold ("Nghị định 13/2023/NĐ-CP"). */
  unknownNumbers: string[];
  /**
   * Topic words typed with diacritics that no document contains and the glossary does not translate ("kết hôn" asked
   * of documents that never say "hôn"): no section can hold the question's topic, whatever its other words match.
   */
  unseen: string[];
  /**
   * IDF-weighted share of the question's topic words that are `unseen` (each weighing as the rarest word): one
   * unseen word among many ("… các khoản nợ cũ của hộ …") weighs little, the head of a short question ("kết hôn") much.
   */
  unseenShare: number;
  /** Articles the question cites by number ("Điều 6 của Luật …", "dieu 6"): section ids D6. */
  articles: string[];
  /**
   * The sentences that ask, analysed alone, when the question first tells a situation ("Nhóm tôi vừa nghiệm thu đề
   * tài về giống ong … Vậy nhóm tác giả được chia bao nhiêu phần trăm lợi nhuận?"); undefined for a question that
   * is all asking.
   */
  asking?: AskingPart;
}

/** The sentences that ask, analysed alone, with the share of their topic that rests on words no document uses. */
export interface AskingPart {
  analyzed: AnalyzedQuery;
  unseenShare: number;
}

/** Diacritic-free words of a name or question, for whole-word matching ("Nghị quyết 57" → "nghi quyet 57"). */
export { nameKey };

const words = (text: string) =>
  fold(text)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/** Pasted markup is not part of the question ("<script>…</script> Sở Tài chính làm gì?"). */
export function cleanQuestion(raw: string): string {
  return raw
    .normalize("NFC")
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<\/?[a-z][^>]*>/gi, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function detectIntent(folded: string): Intent {
  if (cueIn(folded, QUESTION_CUES.documentFact)) return "document_fact";
  if (cueIn(folded, QUESTION_CUES.deadline)) return "deadline";
  if (cueIn(folded, QUESTION_CUES.responsibility)) return "responsibility";
  if (cueIn(folded, QUESTION_CUES.support)) return "support";
  return "general";
}

/** Requests to reveal secrets or configuration, or to override instructions. */
export function isInjection(question: string): boolean {
  return INJECTION_PATTERN.test(fold(question));
}

/** Asks the distribution list of a document ("nơi nhận"), not a reporting duty. */
export function asksRecipients(question: string): boolean {
  const w = words(question);
  return RECIPIENT_ASKS.test(w) && !REPORT_WORD.test(w);
}

/** Asks a figure of what was actually done or exists now, not a target or a rule. */
export function asksActualFigure(question: string, now = new Date()): boolean {
  const w = words(question);
  if (ACTUAL_FIGURE_ASKS.test(w)) return true;
  const year = YEAR_DONE_ASKS.exec(w)?.[1];
  // "năm 2035 … có được bao nhiêu" names a target still ahead.
  return !!year && Number(year) < now.getFullYear();
}

/** Asks for contact details (a phone number, an e-mail or street address, a site). */
export function asksContact(question: string): boolean {
  return CONTACT_ASKS.test(words(question));
}

/** Asks for a file, form or download link rather than what the documents say. */
export function asksFile(question: string): boolean {
  return FILE_ASKS.test(words(question));
}

/** Asks the assistant's own opinion or forecast rather than what the documents say. */
export function asksOpinion(question: string): boolean {
  return OPINION_ASKS.test(words(question));
}

/** A greeting or thanks without a question. */
export function isSmallTalk(question: string): boolean {
  const f = words(question);
  const n = f.split(" ").length;
  if (n > 5 || cueIn(f, TOPIC_WORDS_IN_SMALL_TALK)) return false;
  return QUESTION_CUES.smallTalk.some((g) => f === g || f.startsWith(`${g} `));
}

/** Whether the question mentions one of `names` (diacritic-insensitive, whole words). */
export function mentions(question: string, names: string[]): boolean {
  const q = ` ${nameKey(question)} `;
  return names.map(nameKey).some((f) => f.length > 0 && q.includes(` ${f} `));
}

/** Features of the question without those made only of words that name a document (they select it instead). */
function withoutNamingWords(index: LoadedIndex, features: Map<string, number>, mention: DocumentMention): Map<string, number> {
  if (!mention.words.size) return features;
  // Also the expanded forms of abbreviations in names ("KL 69" → "kết luận 69"; KL is case-sensitive).
  const spelled = [...mention.words].join(" ");
  const naming = new Set([
    ...mention.words,
    ...[spelled, spelled.toUpperCase()].flatMap((n) => index.analyzer.documentTokens(n).map((t) => t.fold)),
  ]);
  return new Map(
    [...features].filter(
      ([key]) =>
        !key
          .slice(2)
          .split("_")
          .every((w) => naming.has(fold(w))),
    ),
  );
}

/** "Ngoài Sở X, sở nào …?" → { focus: "sở nào …?", excluded: "Sở X" }: the excluded words must not steer the search. */
export function splitExclusion(text: string): { focus: string; excluded: string | null } {
  const m = EXCLUSION.exec(text);
  return m && m[2]!.length >= 8 ? { focus: m[2]!, excluded: m[1]! } : { focus: text, excluded: null };
}

/** Số hiệu as written in Vietnamese legal documents: "13/2023/NĐ-CP", "57-NQ/TW", "412/KH-UBND". */
const DOCUMENT_NUMBER = /\b\d{1,4}(?:\/\d{4})?[/-](?:[A-ZĐ][A-Za-zĐđ]{0,4}[-/])*[A-ZĐ][A-Za-zĐđ]{0,5}\d{0,2}\b/gu;

/** Document numbers in the question that no document of the corpus (nor a known missing one) carries. */
export function unknownDocumentNumbers(question: string, held: { holds(nameKey: string): boolean }): string[] {
  return [...question.matchAll(DOCUMENT_NUMBER)]
    .map((m) => m[0])
    .filter((n) => /\d/.test(n) && /[A-ZĐ]/.test(n) && !held.holds(nameKey(n)));
}

/** The same question scoped to other documents (a part that continues an earlier one, one of several named). */
export function withDocuments(query: Query, documents: DocumentMention): Query {
  return { ...query, documents, duty: { ...query.duty, named: documents.ids } };
}

/** One of the documents named side by side, asked alone: the other documents' names are not its topic. */
export function scopedTo(index: LoadedIndex, query: Query, id: string): Query {
  const nameWords = (d: string) => {
    const meta = index.document(d);
    return meta ? [...index.names.words(meta)] : [];
  };
  const own = new Set(nameWords(id));
  const others = new Set(query.coordinated.filter((d) => d !== id).flatMap(nameWords));
  const content = query.analyzed.content.filter((t) => own.has(t.fold) || !others.has(t.fold));
  return withDocuments({ ...query, analyzed: { ...query.analyzed, content } }, { ids: [id], words: query.documents.words });
}

/**
 * A word typed with a wrong or missing tone mark ("hỗ trơ" for "hỗ trợ"): unknown as typed, but its diacritic-free
 * form stands next to the same neighbour in the documents, so it is a known word, not one no document uses.
 */
function misaccented(index: LoadedIndex, tokens: readonly Token[], t: Token): boolean {
  const i = tokens.indexOf(t);
  const before = tokens[i - 1];
  const after = tokens[i + 1];
  // The neighbour must be a topic word the documents use as typed: "phở bò" folds like "Phó Bộ" but "phở" is unknown
  // too, and a function word stands beside anything ("năm ngoái có" folds like "… ngoài có …").
  const known = (n: Token | undefined) => !!n && n !== t && !isStopword(n) && index.lexical.df(`a:${n.acc}`) > 0;
  const pair = (a: Token | undefined, b: Token | undefined) => !!a && !!b && !b.brk && index.lexical.df(`f:${a.fold}_${b.fold}`) > 0;
  return (known(before) && pair(before, t)) || (known(after) && pair(t, after));
}

/** Articles cited by number in a question ("Điều 6", "điều 12a"), as section ids ("D6", "D12a"). */
export function citedArticles(folded: string): string[] {
  return [...new Set([...` ${folded} `.matchAll(/ dieu (\d+[a-z]?) /g)].map((m) => `D${m[1]}`))];
}

/** Topic words right before the amount asked ("Doanh thu tăng trưởng bao nhiêu" → doanh thu tăng trưởng). */
export function measuredWords(analyzed: AnalyzedQuery, most = defaultMeasuredWords): Token[] {
  const tokens = analyzed.tokens;
  const at = tokens.findIndex((_t, i) => AMOUNT_ASKS.some((ask) => ask.every((w, k) => tokens[i + k]?.fold === w)));
  const out: Token[] = [];
  for (let i = at - 1; i >= 0 && out.length < most && analyzed.content.includes(tokens[i]!); i--) {
    out.unshift(tokens[i]!);
    if (tokens[i]!.brk) break;
  }
  return out;
}

/** At most this many words before "bao nhiêu" name what is measured. */
const defaultMeasuredWords = 4;

/**
 * The sentences of a question told at length that ask something: those ending in "?", or else those holding an
 * interrogative; null when every sentence asks (or none does), so there is no situation to set apart.
 */
export function askingSentences(text: string): string | null {
  const sentences = text
    .split(SENTENCE_END)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
  if (sentences.length < 2) return null;
  const marked = sentences.filter((s) => s.endsWith("?"));
  const asking = marked.length ? marked : sentences.filter(asksSomething);
  return asking.length && asking.length < sentences.length ? asking.join(" ") : null;
}

/** Where the sentences that ask begin in a question told at length (`askingSentences`); 0 when every sentence asks. */
export function askingStart(text: string): number {
  const asking = askingSentences(text);
  const first = asking?.split(SENTENCE_END)[0];
  return first ? Math.max(0, text.indexOf(first)) : 0;
}

/** Where a sentence ends: after ".", "!", "?" or "…" followed by a space, or at a line break. */
const SENTENCE_END = /(?<=[.!?…])\s+|\n+/u;

/** Whether a sentence holds an interrogative, matched as typed when typed with diacritics. */
export function asksSomething(sentence: string): boolean {
  const lower = sentence.toLowerCase().replace(/[^\p{L}\p{N} ]+/gu, " ");
  return fold(lower) === lower ? ASKS.test(lower) : ASKS_MARKED.test(lower);
}

/** Analyse a question once, against the index version that will answer it. */
export function analyzeQuery(index: LoadedIndex, raw: string): Query {
  const { name, localWords } = index.profile.province;
  const localNames = [name, ...localWords].filter(Boolean);
  const text = cleanQuestion(raw);
  // A chat particle that opens a phrase of the corpus is a word ("nha nuoc" → "nhà nước").
  const { focus, excluded } = splitExclusion(index.analyzer.rewriteChat(text, corpusPhrase(index.lexical)));
  const repaired = correctSpelling(index, focus);
  const analyzed = index.analyzer.query(repaired);
  const folded = words(repaired);
  // Names are matched on the words as typed, with abbreviations spelled out ("Luật KH&CN" → "luật khoa học và
  // công nghệ"), and with synonyms and translations ("Resolution 57" → "nghị quyết 57").
  const spelled = analyzed.tokens.map((t) => t.orig).join(" ");
  const expanded = [repaired, spelled, analyzed.translated, ...analyzed.expansions.map((p) => p.map((t) => t.orig).join(" "))].join(" . ");
  const documents = index.names.mentioned(expanded);
  return {
    text,
    focus,
    excluded,
    repaired,
    folded,
    analyzed,
    features: withoutNamingWords(index, analyzed.features, documents),
    intent: detectIntent(folded),
    asksAmount: cueIn(` ${words(repaired.replace(NOT_AMOUNT_AS_TYPED, " "))} `.replace(DATE_ASKS, " "), QUESTION_CUES.amount),
    asksAgency: cueIn(folded, QUESTION_CUES.agency),
    asksDuration: cueIn(folded, QUESTION_CUES.duration) && !RATE_PER_PERIOD.test(repaired),
    measured: measuredWords(analyzed),
    asksList: cueIn(folded, QUESTION_CUES.list) || CONDITIONS_ASK.test(folded),
    local: cueIn(folded, [...LOCAL_WORDS, ...localNames.map(nameKey)]),
    documents,
    coordinated: index.names.coordinated(spelled).filter((id) => documents.ids.includes(id)),
    duty: readDutyQuestion(focus, index.documents, agenciesOfIndex(index), documents.ids),
    unknownNumbers: unknownDocumentNumbers(text, index.names),
    ...unseenWords(index, analyzed),
    articles: citedArticles(folded),
    asking: askingOnly(index, repaired),
  };
}

/** The analysis of the sentences of `repaired` that ask, when others only tell the situation. */
function askingOnly(index: LoadedIndex, repaired: string): AskingPart | undefined {
  const asking = askingSentences(repaired);
  if (!asking) return undefined;
  const analyzed = index.analyzer.query(asking);
  return { analyzed, unseenShare: unseenWords(index, analyzed).unseenShare };
}

/** Topic words typed with diacritics that no document contains and the glossary does not translate, and their share. */
function unseenWords(index: LoadedIndex, analyzed: AnalyzedQuery): Pick<Query, "unseen" | "unseenShare"> {
  const isUnseen = (t: Token) =>
    t.marked && !analyzed.alternatives.has(t) && index.lexical.df(`a:${t.acc}`) === 0 && !misaccented(index, analyzed.tokens, t);
  const unseen = analyzed.content.filter(isUnseen);
  const rarest = Math.log(1 + index.lexical.size / 0.5);
  const weight = (t: Token) =>
    unseen.includes(t) ? rarest : index.lexical.df(`f:${t.fold}`) > 0 ? index.lexical.idf(`f:${t.fold}`) : rarest;
  const total = analyzed.content.reduce((sum, t) => sum + weight(t), 0);
  return { unseen: unseen.map((t) => t.orig), unseenShare: total > 0 ? (unseen.length * rarest) / total : 0 };
}
