// Which reading of a turn to answer, chosen by measuring the answers. Each turn gets candidate readings — on its
// own; with the previous topic (history-weighted expansion, as conversational search does); in the previous
// document; with an entity swapped; as a correction; with a reference to the previous answer resolved — each
// candidate is answered, and the one whose answer best covers what was typed now, and the reading as a whole,
// and agrees with the documents of the previous turn, wins. A turn that switches topic drops the context.
import { UNSTATED_PREFIX } from "../answer/unstated.js";
import { corpusPhrase, isStopword, tokenize, type Token } from "../text/tokens.js";
import { romanToInt } from "../sections/parse.js";
import { fold } from "../text/vietnamese.js";
import type { Answer } from "../types.js";
import type { Turn } from "./conversation-store.js";
import {
  asksItself,
  correctionOf,
  type Correction,
  itemAskedOf,
  opensAsContinuation,
  partReferenceOf,
  pointsBack,
  ordinalOf,
  replacePhrase,
  referenceIn,
  resolveReference,
  swapTarget,
  likelySwap,
  swapVariants,
  topicOf,
  topicSwitch,
  withDocument,
  withoutFillers,
  type AgencyFinder,
  type FollowupLexicon,
  type Reading,
  type ReadingKind,
} from "./followups.js";

/** Named weights of the choice between readings (defaults tuned on the train/dev conversations only). */
export const readingOptions = {
  /** Weight of the share of the turn's own words (IDF-weighted) that the answer's leading quote states. */
  focus: 1,
  /** Weight of the share of the whole reading's words that the reply states. */
  coverage: 0.5,
  /** Weight of the answer citing first a document the previous turn was answered from. */
  agreement: 0.3,
  /** Weight of the answer citing first a part (Điều, Mục) the previous turn cited. */
  sectionAgreement: 0.2,
  /**
   * Weight of the answer citing first the part next to one the previous turn cited (Điều 27 after Điều 26, Mục IV
   * after Mục III): a follow-up often asks the detail the next article gives (the rate after the principles).
   */
  neighbourAgreement: 0.1,
  /**
   * How much a turn's word found only in the headings above the leading quote ("Điều 27. Nội dung hỗ trợ lãi
   * suất", "2. Tầm nhìn đến năm 2045") counts toward `focus` (1: as if the quote stated it; 0: quotes only).
   */
  headingFocus: 0.5,
  /** Bonus of the turn read on its own: context must earn its place (not for a thin turn, see `thinWords`). */
  ownPrior: 0.15,
  /** A turn with at most this many topic syllables ("điều kiện để được hỗ trợ là gì?": 4) says too little to get `ownPrior`. */
  thinWords: 4,
  /** Bonus of a reading the user signalled ("còn X thì sao?", "ý tôi là …", "văn bản đó"). */
  signalled: 0.25,
  /** A contextual reading whose lead states less than this share of the turn's own words is not taken. */
  minFocus: 0.5,
  /**
   * Taken off a reading whose reply says the documents do not state the value asked ("Văn bản không nêu …"): another
   * reading whose quote states it ("trong thời hạn 05 năm" for "trong bao lâu") answers the turn.
   */
  unstated: 0.5,
  /**
   * A turn with at least this many topic syllables (question words not counted) whose reply quotes state
   * `standAloneFocus` of them stands alone: its other readings are not asked.
   */
  standAloneWords: 5,
  standAloneFocus: 0.8,
  /**
   * … unless it has at most `genericWords` topic words, every one rarer than no section in twenty (IDF below
   * `genericIdf`): "có cần điều kiện gì mới được hỗ trợ không" names no topic of its own.
   */
  genericWords: 6,
  genericIdf: 3,
  /**
   * A turn of `standAloneWords` or more that is not answered on its own is read in context only when a reading is
   * answered from the previous answer's article by a quote stating this share of the turn's words (above 1: never).
   */
  unansweredFocus: 0.6,
};
export type ReadingOptions = typeof readingOptions;

/** What measuring needs from the serving index: its analyzer (synonyms, abbreviations) and word weights. */
export interface Vocabulary {
  analyzer: {
    query(text: string): { content: Token[]; alternatives: Map<Token, Token[][]> };
    documentTokens(text: string): Token[];
    rewriteChat(text: string, phrase?: (word: string, next: string) => boolean): string;
  };
  lexical: { idf(feature: string): number; df(feature: string): number };
}

export interface ReadContext {
  lexicon: FollowupLexicon;
  agencies?: AgencyFinder;
  /** A name users type for a document id ("Nghị định 80/2021/NĐ-CP"). */
  documentName: (id: string) => string | undefined;
  vocabulary?: Vocabulary;
  options?: ReadingOptions;
  /** The headings above a cited section, root first (what its quote is about); none when unknown. */
  headings?: (doc: string, section: string) => string[];
  /**
   * The documents a text names ("NQ 57", "Luật KH&CN 2013"): their ids and the diacritic-free words of the names
   * found; none when unknown.
   */
  namedDocuments?: (text: string) => { ids: string[]; words: Set<string> };
  /** The text of the n-th item (1-based) of a section's list (its children, in the document's order); none when unknown. */
  listItem?: (doc: string, list: string, n: number) => string | undefined;
  /** The own text of a section by its id ("D30.3"); none when unknown. */
  sectionText?: (doc: string, id: string) => string | undefined;
}

interface Candidate extends Reading {
  /** What the user typed now that the answer must state (the swapped-in entity, the meant value, the turn). */
  own: string;
  signalled: boolean;
  /** What the reply should cover: a rewrite itself, else the previous topic and the turn. */
  scope: string;
  /** A correction whose said value was found and replaced, or a year put in place of the previous question's: the user
   * said what to read, so it is measured even when the turn would stand alone. */
  exact?: boolean;
  /** Asked near these sections of the previous answer (their articles rank higher): the turn goes on from there. */
  near?: readonly string[];
}

export interface Measured {
  reading: Reading;
  answer: Answer;
  score: number;
}

/** A measured candidate (what was typed now is known: `own`). */
interface Scored extends Measured {
  reading: Candidate;
}

const candidate = (
  kind: ReadingKind,
  standalone: string,
  own: string,
  signalled: boolean,
  lex: FollowupLexicon,
  scope = standalone,
): Candidate => ({ kind, standalone, topic: topicOf(standalone, lex) || standalone, own, signalled, scope });

/**
 * The names the previous turn gives a follow-up: its document's as users name it, and the agency it was about or
 * answered with. A turn (`typed`) that names
 * another document asks that one: the previous document's name would pull the reading back to it ("còn NQ 57 đặt
 * mục tiêu … bao nhiêu" after a question on Nghị quyết 20 is not "… theo Nghị quyết 20?").
 */
function previousNames(previous: Turn, ctx: ReadContext, typed: string) {
  const named = ctx.namedDocuments?.(typed).ids ?? [];
  const elsewhere = named.length > 0 && !named.some((id) => previous.docs.includes(id));
  return { doc: previous.docs[0] && !elsewhere ? ctx.documentName(previous.docs[0]) : undefined, agency: previous.agency, elsewhere };
}

/** The text is one agency's name and nothing else ("Hiệp hội Doanh nghiệp tỉnh", "Sở KH&ĐT"). */
function isAgencyAlone(text: string, ctx: ReadContext): boolean {
  const spans = ctx.agencies?.(text) ?? [];
  if (spans.length !== 1) return false;
  const rest = text.slice(0, spans[0]!.start) + text.slice(spans[0]!.end);
  return tokenize(rest).every((t) => isStopword(t));
}

/** The swapped-in text names a document and the previous question named none. */
function namesOnlyNow(target: string, previous: Turn, ctx: ReadContext): boolean {
  const names = ctx.namedDocuments;
  return !!names && names(target).ids.length > 0 && names(previous.standalone).ids.length === 0;
}

/**
 * The document a reference names by its kind ("kết luận đó" after an answer from a plan quoting "Kết luận số 12-KL/TW
 * …"): one the previous question or answer names whose name starts with that kind, when the previous answer's own
 * document is of another kind. A reference by a general noun ("văn bản đó") names no kind.
 */
function namedByKind(reference: string, previous: Turn, ctx: ReadContext): string | undefined {
  const said = fold(reference);
  const kind = ctx.lexicon.documentNouns.find((n) => said.startsWith(`${n} `) || said.endsWith(` ${n}`));
  const ofKind = (id: string) => !!kind && fold(ctx.documentName(id) ?? "").startsWith(kind);
  if (!kind || (previous.docs[0] && ofKind(previous.docs[0]))) return undefined;
  const named = ctx.namedDocuments?.([previous.standalone, ...previous.items].join(" . ")).ids ?? [];
  const id = named.find(ofKind);
  return id ? ctx.documentName(id) : undefined;
}

/**
 * "quyền thứ 4 trong danh sách đó", "cái thứ 2": when the reply quoted one list — a clause and the points under it, or
 * clauses of one article, each labelled with its own number — the n-th item of that list in the document's order
 * (what the labels count, even where the reply skipped some); otherwise the caller counts the quotes shown.
 */
function listedItem(previous: Turn, n: number, ctx: ReadContext): string | undefined {
  const [lead, ...rest] = previous.sections ?? [];
  if (!lead || !ctx.listItem) return undefined;
  const [doc, id] = lead.split("#") as [string, string];
  const parent = id.includes(".") ? id.slice(0, id.lastIndexOf(".")) : undefined;
  const under = (list: string) => rest.every((s) => s.startsWith(`${doc}#${list}.`));
  const list = under(id) ? id : parent && under(parent) ? parent : undefined;
  return list ? ctx.listItem(doc, list, n) : undefined;
}

/** The n-th item of the previous answer: of the list it quoted, else its n-th quote. */
const previousItem = (previous: Turn, n: number, ctx: ReadContext) => listedItem(previous, n, ctx) ?? previous.items[n - 1];

/**
 * "khoản 3 đó …", "điểm b …": the clause of the article the previous answer led with, or the point of its clause,
 * with the section's id (the answer is asked near it).
 */
function namedPart(question: string, previous: Turn, ctx: ReadContext): { at: string; text: string } | undefined {
  const ref = partReferenceOf(question);
  const lead = previous.sections?.[0];
  if (!ref || !lead || !ctx.sectionText) return undefined;
  const [doc, id] = lead.split("#") as [string, string];
  const levels = id.split(".");
  // Articles are "D<n>", their clauses "D<n>.<k>" (src/sections): a plan's parts have no khoản.
  if (!/^D\d+$/.test(levels[0]!)) return undefined;
  const parent = ref.part === "clause" ? levels[0] : levels.length >= 2 ? levels.slice(0, 2).join(".") : undefined;
  const target = parent && `${parent}.${ref.label}`;
  const text = target ? ctx.sectionText(doc, target) : undefined;
  return target && text ? { at: `${doc}#${target}`, text } : undefined;
}

/** The latest answered turn: what a follow-up goes on from (an unanswered one gives no context). */
export const lastAnswered = (turns: Turn[]): Turn | undefined => [...turns].reverse().find((t) => !t.unanswered);

/**
 * Readings that put a typed entity into the previous question (swap) or the meant value in place of the said
 * one, in the latest turn that said it ("ý tôi là A chứ không phải B" may correct a question two turns back).
 */
function structural(question: string, turns: Turn[], ctx: ReadContext): Candidate[] {
  const lex = ctx.lexicon;
  const previous = lastAnswered(turns)!;
  const out: Candidate[] = [];
  const correction = correctionOf(question, lex);
  if (correction) {
    const said = correction.said;
    // The latest turn that said it, an unanswered one too (a correction often follows a refusal).
    const latest = [...turns].reverse();
    const replacedIn = said ? latest.map((t) => replacePhrase(t.standalone, said, correction.meant)) : [];
    const replaced = replacedIn.find((r) => r !== null);
    if (correction.asked) return askedAfterCorrection({ meant: correction.meant, asked: correction.asked }, replaced ?? null, lex);
    // Where the said value stands is known: that is the reading, unless the meant value asks a question of its own
    // ("không phải thủ tục thành lập, ý mình là hướng dẫn thuế thì sở nào làm"). Otherwise the meant value is swapped in.
    if (replaced) out.push({ ...candidate("correction", replaced, correction.meant, true, lex), exact: true });
    // The previous question corrected is asked in the articles its answer came from too ("DN vừa theo nghị định 80?"
    // read near the consultancy clauses says little of what it asked), all their clauses alike: the corrected
    // value is answered by another clause than the one the previous answer quoted.
    const articles = [...new Set((previous.sections ?? []).map(part))];
    const inPrevious = !!replaced && replacedIn[latest.indexOf(previous)] === replaced;
    if (inPrevious && articles.length && !previousNames(previous, ctx, correction.meant).elsewhere)
      out.push({ ...candidate("correction", replaced, correction.meant, true, lex), exact: true, near: articles });
    const saidIn = replaced ? latest[replacedIn.indexOf(replaced)] : undefined;
    // Put in a question that was not answered, it may still not be: what was meant is also read restated.
    const inUnanswered = !!saidIn?.unanswered;
    // Said in an earlier question than the last answered one ("DN nhỏ" two turns back, the thread since on
    // consultancy): what the user meant holds for the question asked last ("cty mình là DN vừa" applies to it), which
    // the user signalled rather than the earlier question, answered already — when the last question says enough to
    // be one of its own ("trong đó xã hội đóng góp bao nhiêu?" goes on from the earlier one, which is corrected).
    const ownQuestion = topicWords(topicOf(previous.standalone, lex)) > (ctx.options ?? readingOptions).thinWords;
    if (saidIn && !saidIn.unanswered && latest.indexOf(saidIn) > latest.indexOf(previous) && ownQuestion) {
      out[0] = { ...out[0]!, signalled: false };
      out.push(
        candidate("correction", `${previous.standalone.replace(/[?.!\s]+$/, "")}, ${correction.meant}?`, correction.meant, true, lex),
      );
    }
    if (replaced && !asksItself(correction.meant, lex) && !inUnanswered) return out;
    const swapped = replaced ? [] : swapVariants(previous.standalone, correction.meant, lex, ctx.agencies);
    for (const v of swapped) out.push(candidate("correction", v, correction.meant, true, lex));
    // An agency alone ("ý em là Hiệp hội Doanh nghiệp tỉnh chứ không phải báo đài") is put in the previous question:
    // read alone, its name asks nothing, and any quote naming it covers it whole.
    if (swapped.length && isAgencyAlone(correction.meant, ctx)) return out;
    // "Sai rồi, tôi hỏi trách nhiệm của doanh nghiệp nhỏ và vừa": the question restated whole, alone and in the
    // previous document (whose name may hide topic words the restated question shares with it).
    const inDocument = withDocument(correction.meant, previousNames(previous, ctx, correction.meant).doc, lex);
    for (const restated of new Set([correction.meant, inDocument]))
      out.push(candidate("correction", restated, correction.meant, true, lex));
    return out;
  }
  const swap = swapTarget(question, lex);
  // Unframed, only a few words stand for a part of the previous question ("hợp tác xã?"); more ask their own question
  // ("nếu app của mình đi thi khởi nghiệp quốc tế thì có được hỗ trợ chi phí không"), which no part of it stands for.
  if (swap && (swap.framed || topicWords(swap.target) <= (ctx.options ?? readingOptions).thinWords)) {
    // Every variant is measured against the question the swap most likely means: one that drops more of the
    // previous question has not less to answer ("còn DN siêu nhỏ?" still asks about renting software).
    const phrase = ctx.vocabulary && corpusPhrase(ctx.vocabulary.lexical);
    const meant = likelySwap(previous.standalone, swap.target, lex, ctx.agencies, phrase);
    for (const v of swapVariants(previous.standalone, swap.target, lex, ctx.agencies, phrase))
      if (keepsContext(v, swap.target, lex)) out.push(candidate("swap", v, swap.target, swap.framed, lex, meant || v));
    // "KL 69 có nói ý tương tự không?" after a question that named no document: that question, asked of it.
    if (swap.framed && namesOnlyNow(swap.target, previous, ctx))
      out.push(candidate("swap", withDocument(previous.standalone, swap.target, lex), swap.target, true, lex));
  }
  // A year typed in a turn that goes on from the previous one, about the same document: the user said what to read
  // (`exact`). One that names another document ("còn NQ 57 đặt mục tiêu … năm 2030") asks that document its own question.
  // Names are looked up only for a turn that names another year.
  const year = yearSwapped(previous.standalone, question);
  const continues = () =>
    (opensAsContinuation(question, lex) || topicWords(question.replace(YEAR, " ")) <= (ctx.options ?? readingOptions).thinWords) &&
    !previousNames(previous, ctx, question).elsewhere;
  // Measured by what the turn typed ("tầm nhìn 2045 … con số đó"), not by the year alone, which any answer of that
  // year would state.
  if (year && continues()) out.push({ ...candidate("swap", year.standalone, withoutFillers(question, lex), true, lex), exact: true });
  return out;
}

const YEAR = /(?<![\p{L}\p{N}/.-])(?:19|20)\d{2}(?![\p{L}\p{N}/.-])/gu;

/**
 * The previous question asked of the one other year the turn names ("Còn tầm nhìn 2045 thì con số đó lên bao
 * nhiêu?" after "Đến năm 2030, … bao nhiêu phần trăm GDP?"): targets and deadlines are stated by year, and the
 * turn's own words ("tầm nhìn", "con số đó") say little of what was asked. Only when each names a single year.
 */
function yearSwapped(previous: string, question: string): { standalone: string } | null {
  const said = new Set(previous.match(YEAR) ?? []);
  const typed = new Set(question.match(YEAR) ?? []);
  if (said.size !== 1 || typed.size !== 1) return null;
  const [from] = said;
  const [to] = typed;
  return from === to ? null : { standalone: previous.replace(YEAR, to!) };
}

/**
 * A swap keeps a topic word of the previous question besides what was swapped in: one that replaced all of it
 * ("điều kiện để được hưởng gì?") is the turn alone under another name, measured on its own words only.
 */
function keepsContext(variant: string, target: string, lex: FollowupLexicon): boolean {
  const typed = new Set(tokenize(target).map((t) => t.fold));
  return tokenize(topicOf(variant, lex)).some((t) => !isStopword(t) && !typed.has(t.fold));
}

/** Every reading worth answering for `question` after the conversation's `turns` (the turn alone first). */
export function candidateReadings(question: string, turns: Turn[], ctx: ReadContext): Candidate[] {
  const lex = ctx.lexicon;
  const previous = lastAnswered(turns);
  // The words that carry the turn: without its fillers, swap frame and reference ("còn đi nước ngoài?" → "đi
  // nước ngoài"; "what did it replace?" → "what did replace").
  const ref = referenceIn(question, lex);
  const unreferenced = ref ? question.slice(0, ref.start) + question.slice(ref.end) : question;
  const swap = swapTarget(question, lex);
  const own = swap?.target ?? withoutFillers(unreferenced, lex);
  // Readings that keep the context are measured on the previous topic and the turn together.
  const context = previous ? `${previous.topic} ${own}` : own;
  const alone = candidate("new", question, own, false, lex, context);
  const switched = topicSwitch(question, lex);
  if (switched !== null) return [candidate("new", switched || question, switched || question, false, lex)];
  if (!previous) return [alone];
  const names = previousNames(previous, ctx, question);
  const ordinal = ordinalOf(question, lex);
  const item = ordinal ? previousItem(previous, ordinal, ctx) : undefined;
  // The item's own words find its section; the previous topic would pull the answer back to the first item.
  if (item) return [{ ...candidate("ordinal", withDocument(item, names.doc, lex), item, true, lex), topic: previous.topic }];
  const part = names.elsewhere ? undefined : namedPart(question, previous, ctx);
  if (part)
    return [
      { ...candidate("ordinal", withDocument(part.text, names.doc, lex), part.text, true, lex), topic: previous.topic, near: [part.at] },
    ];
  const out: Candidate[] = [alone, ...structural(question, turns, ctx)];
  // "dk thứ 2 áp dụng cho loại hình nào?": the item, with what is asked of it, among the readings.
  const itemAsked = itemAskedOf(question, lex);
  const asked = itemAsked && previousItem(previous, itemAsked.n, ctx);
  if (itemAsked && asked) {
    const reading = `${asked} ${itemAsked.asked}`;
    out.push({ ...candidate("ordinal", reading, reading, true, lex), topic: previous.topic });
  }
  // A correction says what to read; joining its words ("ý tôi là …") to the topic reads nothing.
  if (correctionOf(question, lex)) return out;
  const figure = figureReading(question, previous, ctx);
  if (figure) out.push(candidate("reference", figure, unreferenced, true, lex, figure));
  const refName =
    ref?.to === "agency" ? names.agency : (ref && namedByKind(question.slice(ref.start, ref.end), previous, ctx)) || names.doc;
  if (ref && refName && !pronounForItsOwn(question, ref, ctx))
    out.push(candidate("reference", resolveReference(question, ref, refName), unreferenced, true, lex, unreferenced));
  const clean = withoutFillers(question, lex);
  const inDocument = withDocument(clean, names.doc, lex);
  out.push(candidate("document", inDocument, own, false, lex, context));
  // The turn asked where the previous answer stands: an aspect ("mức hỗ trợ bao nhiêu %/năm?") of the same articles.
  // Named by its document when the previous answer cited one (the reply then keeps to it); after an answer from
  // several, the articles it cited say where.
  const nearText = previous.docs.length === 1 ? inDocument : clean;
  // "khoản hỗ trợ đó …": the user said the turn is about what the previous answer said.
  const back = pointsBack(question, lex);
  if (previous.sections?.length && !names.elsewhere)
    out.push({ ...candidate("near", nearText, own, back, lex, context), near: previous.sections });
  // The previous topic names its document too ("Theo kế hoạch …, các Sở báo cáo trước ngày"): joined to a turn that
  // asks another document ("còn KL 69 thì giao ai?"), it goes without that name.
  const topic = names.elsewhere ? withoutNames(previous.topic, ctx) : previous.topic;
  if (topic) out.push(candidate("topic", withDocument(`${topic}: ${clean}?`, names.doc, lex), own, back, lex, context));
  const seen = new Set<string>();
  const key = (c: Candidate) => `${fold(c.standalone)}${c.near ? " @near" : ""}`;
  // "còn KL 69 thì sao?", "KL 69 có nói ý tương tự không?": the turn asks nothing but of a document; read alone it
  // would quote that document's title.
  const onlyOfDocument = !!swap?.framed && asksOnlyOfDocument(swap.target, ctx);
  const carries = (c: Candidate) => !onlyOfDocument || c.kind === "swap" || c.kind === "topic";
  return out.filter((c) => carries(c) && !seen.has(key(c)) && seen.add(key(c)));
}

/** "cái 3% đó", "mức 50 triệu này", "con số 2% trên": a figure the turn points back at (group 1). */
const FIGURE_REFERENCE =
  /(?:(?:cái|cai|mức|muc|con số|con so|chỉ tiêu|chi tieu|khoản|khoan)\s+)?(\d+(?:[.,]\d+)?\s*(?:%|phần trăm|phan tram|triệu|trieu|tỷ|ty)?)\s+(?:đó|do|này|nay|ấy|ay|trên|tren)(?![\p{L}\p{N}])/iu;

/**
 * "cái 3% đó so với Luật … thì quy định bao nhiêu?": the figure stands for what the previous answer said of it, the
 * clause of its quoted sections that states it ("bố trí ít nhất 3% tổng chi ngân sách hằng năm cho …"), which is put
 * in its place. None when no cited section states the figure.
 */
function figureReading(question: string, previous: Turn, ctx: ReadContext): string | undefined {
  const m = FIGURE_REFERENCE.exec(question);
  if (!m || !ctx.sectionText) return undefined;
  const figure = m[1]!.replace(/\s+/g, " ").trim();
  for (const cited of previous.sections ?? []) {
    const [doc, id] = cited.split("#") as [string, string];
    const clause = ctx
      .sectionText(doc, id)
      ?.split(/[;:.]\s+|\n+/)
      .find((c) => c.includes(figure));
    if (clause) return `${question.slice(0, m.index)}${clause.trim()}${question.slice(m.index + m[0].length)}`;
  }
  return undefined;
}

/**
 * "…, vậy còn đủ điều kiện không?", "…, thế thuê kho lạnh thì hỗ trợ bao lâu?" after the corrected value: the question
 * asked after it, of the corrected previous question and of what was meant — the answer must state both what was
 * meant and what was asked. What was meant restated alone is not what the user asked.
 */
function askedAfterCorrection(
  correction: Pick<Correction, "meant"> & { asked: string },
  replaced: string | null,
  lex: FollowupLexicon,
): Candidate[] {
  const asked = (text: string) => `${text.replace(/[?.!\s]+$/, "")}, ${correction.asked}?`;
  const own = `${correction.meant} ${correction.asked}`;
  return [...new Set([...(replaced ? [replaced] : []), correction.meant])].map((text) => ({
    ...candidate("correction", asked(text), own, true, lex),
    exact: true,
  }));
}

/** A swapped-in text that is only a document's name and its issuer ("KL 69 của Bộ Chính trị"). */
function asksOnlyOfDocument(target: string, ctx: ReadContext): boolean {
  const names = ctx.namedDocuments?.(target);
  if (!names?.ids.length) return false;
  const words = tokenize(target);
  // Names are keyed with "&" dropped inside initials ("KH&CN" is "khcn"); a year dates the name ("Luật KH&CN 2013").
  const inName = (t: Token) => names.words.has(t.fold) || names.words.has(t.fold.replace(/&/g, "")) || /^(?:19|20)\d\d$/.test(t.fold);
  // "… của Bộ Chính trị", "… of the Government": after the name, its issuer.
  const last = words.map(inName).lastIndexOf(true);
  const issuer = ISSUER_OPENERS.has(words[last + 1]?.fold ?? "") ? last + 1 : words.length;
  return words.slice(0, issuer).every((t) => isStopword(t) || inName(t));
}
const ISSUER_OPENERS = new Set(["cua", "of", "do"]);

/**
 * `text` without the words of the document names it holds, and the preposition that led them ("Theo NQ 57, cơ quan
 * nào …" → "cơ quan nào …").
 */
export function withoutNames(text: string, ctx: ReadContext): string {
  const words = ctx.namedDocuments?.(text).words;
  if (!words?.size) return text;
  // "20-NQ/TW" is keyed by its parts; "KH&CN" whole ("khcn").
  const inName = (w: string) => {
    const parts = fold(w)
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    return parts.length > 0 && (words.has(parts.join("")) || parts.every((p) => words.has(p)));
  };
  const kept: string[] = [];
  const all = text.split(/\s+/);
  let dropped = false;
  for (let i = 0; i < all.length; i++) {
    const w = all[i]!;
    // A year after the name dates it ("Nghị quyết 20-NQ/TW năm 2012").
    const dates = dropped && (YEAR_WORD.test(w) || (fold(w) === "nam" && YEAR_WORD.test(all[i + 1] ?? "")));
    if (inName(w) || dates) {
      if (!dropped) dropNameLead(kept, ctx.lexicon.documentNouns);
      dropped = true;
      continue;
    }
    dropped = false;
    kept.push(w);
  }
  return kept.join(" ").trim();
}

const YEAR_WORD = /^(?:19|20)\d\d[,.;:]?$/;

/** The words before a name that belong to it: "theo Nghị định số 45/2026/NĐ-CP" goes whole (`kinds`: folded). */
function dropNameLead(kept: string[], kinds: readonly string[]): void {
  const last = (n: number) =>
    kept
      .slice(-n)
      .map((w) => fold(w.replace(/[^\p{L}\p{N}]/gu, "")))
      .join(" ");
  if (kept.length && last(1) === "so") kept.pop();
  const kind = [2, 1].find((n) => kept.length >= n && kinds.includes(last(n)));
  if (kind) kept.splice(-kind);
  // "theo", "của", "trong" …
  if (kept.length && NAME_PREPOSITIONS.has(last(1))) kept.pop();
}

/** Words that lead a document's name in a question ("theo", "của", "trong", "tại", "về"), diacritic-free. */
const NAME_PREPOSITIONS = new Set(["theo", "cua", "trong", "tai", "ve", "in", "under"]);

/**
 * IDF-weighted share of a text's topic words (synonyms and translations count) found in `answerText`. The text is
 * read with its chat spelling rewritten, as a question is ("dn" is "doanh nghiệp"): a chat form no document uses
 * would otherwise weigh as the rarest word and never be found.
 */
export function coverageIn(vocabulary: Vocabulary | undefined, text: string, answerText: string): number {
  if (!vocabulary) return plainCoverage(text, answerText);
  const q = readAsQuestion(vocabulary, text);
  if (!q.content.length) return 1;
  const have = new Set(vocabulary.analyzer.documentTokens(answerText).map((t) => t.fold));
  let total = 0;
  let hit = 0;
  for (const t of q.content) {
    const w = vocabulary.lexical.idf(`f:${t.fold}`) || 1;
    total += w;
    const alternatives = q.alternatives.get(t) ?? [];
    if (have.has(t.fold) || alternatives.some((p) => p.length > 0 && p.every((x) => have.has(x.fold)))) hit += w;
  }
  return total ? hit / total : 1;
}

/** A text read as a question is, its chat spelling rewritten ("dn" is "doanh nghiệp"). */
function readAsQuestion(vocabulary: Vocabulary, text: string) {
  return vocabulary.analyzer.query(vocabulary.analyzer.rewriteChat(text, corpusPhrase(vocabulary.lexical)));
}

/** Without an index: the share of non-function words found. */
function plainCoverage(text: string, answerText: string): number {
  const words = tokenize(text).filter((t) => !isStopword(t));
  if (!words.length) return 1;
  const have = new Set(tokenize(answerText).map((t) => t.fold));
  return words.filter((t) => have.has(t.fold)).length / words.length;
}

/** The part of a section id an answer and the previous turn may share: its Điều or Mục ("D22.6.c" → "D22"). */
const part = (docSection: string) => docSection.split(".")[0]!;

/** The number of a part ("doc#D27" → 27, "doc#IV" → 4), null when it has none. */
function partNumber(p: string): number | null {
  const id = p.slice(p.indexOf("#") + 1);
  const arabic = /^[A-Z]*?(\d+)$/.exec(id);
  if (arabic) return Number(arabic[1]);
  return /^[IVXL]+$/.test(id) ? romanToInt(id) : null;
}

/** Two parts of the same document that follow each other (Điều 26 and 27, Mục III and IV). */
function neighbours(a: string, b: string): boolean {
  const doc = (p: string) => p.slice(0, p.indexOf("#"));
  const [na, nb] = [partNumber(a), partNumber(b)];
  const prefix = (p: string) => p.slice(p.indexOf("#") + 1).replace(/\d+$/, "");
  return doc(a) === doc(b) && na !== null && nb !== null && Math.abs(na - nb) === 1 && prefix(a).length === prefix(b).length;
}

/** How the answer's leading section relates to the previous turn's: 2 the same part, 1 the next one, 0 neither. */
function placeAgreement(previous: Turn | undefined, top: { doc: string; section: string } | undefined): 0 | 1 | 2 {
  if (!previous || !top) return 0;
  const mine = part(`${top.doc}#${top.section}`);
  const theirs = (previous.sections ?? []).map(part);
  if (theirs.includes(mine)) return 2;
  return theirs.some((p) => neighbours(p, mine)) ? 1 : 0;
}

/** IDF-weighted share of the turn's own words the leading quote states, its headings counting `headingFocus`. */
function focusOf(c: Candidate, answer: Answer, ctx: ReadContext, o: ReadingOptions): number {
  const top = answer.citations[0];
  const stated = `${answer.lead} ${top?.quote ?? ""}`;
  const quoted = coverageIn(ctx.vocabulary, c.own, stated);
  const headings = top && ctx.headings && o.headingFocus > 0 ? ctx.headings(top.doc, top.section).join(" ") : "";
  if (!headings || quoted >= 1) return quoted;
  return quoted + o.headingFocus * (coverageIn(ctx.vocabulary, c.own, `${stated} ${headings}`) - quoted);
}

/**
 * How well `answer` answers reading `c` of a turn after `previous` (−1: not answered). A reading in context must
 * state `minFocus` of the turn, or as much as the turn read alone states when that answer states less (the turn in
 * the user's own words: "chuyển hẳn sang mảng …" is stated nowhere, by no reading).
 */
export function measure(c: Candidate, answer: Answer, previous: Turn | undefined, ctx: ReadContext, aloneFocus = 1): number {
  if (answer.abstained) return -1;
  const o = ctx.options ?? readingOptions;
  // The quote that leads (verbatim in both modes; a model's lead is its own wording).
  const focus = focusOf(c, answer, ctx, o);
  if (c.kind !== "new" && !c.exact && focus < Math.min(o.minFocus, aloneFocus)) return -1;
  // Quotes only: citation titles name documents, which every reading in that document would "cover".
  const quotes = answer.citations.map((q) => q.quote).join(" ");
  const coverage = coverageIn(ctx.vocabulary, c.scope, quotes);
  const top = answer.citations[0];
  const agrees = !!previous && !!top && previous.docs.includes(top.doc);
  const place = placeAgreement(previous, top);
  return (
    o.focus * focus +
    o.coverage * coverage +
    (agrees ? o.agreement : 0) +
    // A swap asks about something else than the previous answer: staying in its Điều/Mục earns nothing.
    (place === 2 && c.kind !== "swap" ? o.sectionAgreement : place === 1 ? o.neighbourAgreement : 0) +
    (ownsItself(c, ctx, o) ? o.ownPrior : 0) +
    (c.signalled ? o.signalled : 0) -
    (answer.lead.startsWith(UNSTATED_PREFIX) ? o.unstated : 0)
  );
}

const topicWords = (text: string) => tokenize(text).filter((t) => !isStopword(t)).length;

/**
 * The turn read as typed earns `ownPrior` when it says enough to be its own question — not when it is framed as a
 * swap ("còn đề tài cấp quốc gia thì sao?") or opens as one ("còn NQ 20 đặt chỉ tiêu bao nhiêu?"): the user said
 * it continues the previous question.
 */
function ownsItself(c: Candidate, ctx: ReadContext, o: ReadingOptions): boolean {
  if (c.kind !== "new" || topicWords(c.own) <= o.thinWords || pointsBack(c.standalone, ctx.lexicon)) return false;
  return !swapTarget(c.standalone, ctx.lexicon)?.framed && !opensAsContinuation(c.standalone, ctx.lexicon);
}

/**
 * "which decree did decree 80 replace, and when did it take effect?": a bare pronoun after a document the turn names
 * itself stands for that one, not for the previous answer's.
 */
function pronounForItsOwn(question: string, ref: { start: number; end: number; pronoun: boolean }, ctx: ReadContext): boolean {
  const unreferenced = question.slice(0, ref.start) + question.slice(ref.end);
  return ref.pronoun && (ctx.namedDocuments?.(unreferenced).ids.length ?? 0) > 0;
}

/** Every topic word of the text is common in the documents (IDF below `genericIdf`); unknown without an index. */
export function generic(text: string, vocabulary: Vocabulary | undefined, o: ReadingOptions = readingOptions): boolean {
  if (!vocabulary) return false;
  const q = readAsQuestion(vocabulary, text);
  return q.content.length > 0 && q.content.every((t) => vocabulary.lexical.idf(`f:${t.fold}`) < o.genericIdf);
}

/**
 * Whether the turn needs no context: no follow-up phrase ("còn X thì sao?", "ý tôi là", "văn bản đó"), enough topic
 * words, and either its own answer states them, or it is not answered at all (a wrong answer is worse than none:
 * the previous topic must not make an out-of-scope question answerable), or — for a bare pronoun ("when did it take
 * effect?") — it is answered from a document the previous turn did not cite (the pronoun is the turn's own subject).
 */
function standsAlone(c: Candidate, answer: Answer, previous: Turn | undefined, ctx: ReadContext, lex: FollowupLexicon): boolean {
  const o = ctx.options ?? readingOptions;
  const found = referenceIn(c.standalone, lex);
  const ref = found && !pronounForItsOwn(c.standalone, found, ctx) ? found : undefined;
  if ((ref && !ref.pronoun) || correctionOf(c.standalone, lex) || swapTarget(c.standalone, lex)?.framed) return false;
  // "3% đó so với luật …": a figure of the previous answer pointed at.
  if (pointsBack(c.standalone, lex) || (previous && figureReading(c.standalone, previous, ctx))) return false;
  // Question words ("bao nhiêu", "khi nào") are not topic: "mức hỗ trợ bao nhiêu %/năm?" says three words.
  const words = topicWords(topicOf(c.own, lex));
  if (words < o.standAloneWords || (words <= o.genericWords && generic(c.own, ctx.vocabulary, o))) return false;
  // A turn that opens as a continuation ("còn phía DN thì phải chịu trách nhiệm gì") is read in context when not
  // answered alone: the user said it goes on from the previous question …
  if (answer.abstained) return !ref && !opensAsContinuation(c.standalone, lex);
  // "… phải chuyển nhượng lại trong bao lâu?" answered "Văn bản không nêu …" from a section holding its words: the
  // value asked may stand where the previous answer came from.
  if (answer.lead.startsWith(UNSTATED_PREFIX)) return false;
  const top = answer.citations[0];
  if (ref) return !!top && !(previous?.docs ?? []).includes(top.doc);
  // … or, answered alone from a document the previous answer did not cite: the user went on from that one ("còn ngân
  // sách nhà nước thì phải dành bao nhiêu …" after a question on a resolution).
  if (opensAsContinuation(c.standalone, lex) && !(top && previous?.docs.includes(top.doc))) return false;
  const quotes = answer.citations.map((q) => q.quote).join(" ");
  return coverageIn(ctx.vocabulary, c.own, quotes) >= o.standAloneFocus;
}

/**
 * A turn that stands alone but is answered from another part of the previous answer's article ("hỗ trợ bao nhiêu %
 * giá trị hợp đồng?" after one kind of consultancy, answered by the next kind's clause) asks about the section the
 * previous answer cited, when the reading near it is answered there and states as much of the turn.
 */
async function inPreviousSection(
  alone: Candidate,
  first: Answer,
  others: Candidate[],
  previous: Turn | undefined,
  ask: (q: string, near?: readonly string[]) => Promise<Answer>,
  ctx: ReadContext,
): Promise<Scored | null> {
  const near = others.find((c) => c.kind === "near");
  const led = previous?.sections?.[0];
  const lead = (a: Answer) => (a.citations[0] ? `${a.citations[0].doc}#${a.citations[0].section}` : "");
  if (!near || !led || placeAgreement(previous, first.citations[0]) !== 2 || lead(first) === led) return null;
  const answer = await ask(near.standalone, near.near);
  if (answer.abstained || lead(answer) !== led) return null;
  const o = ctx.options ?? readingOptions;
  if (focusOf(near, answer, ctx, o) < focusOf(alone, first, ctx, o)) return null;
  // A pair of the turn's words that only the other clause states ("học trong nước" after "ở nước ngoài") names it.
  const [own, kept] = [wordPairs(first.citations[0]?.quote ?? ""), wordPairs(answer.citations[0]?.quote ?? "")];
  if ([...wordPairs(alone.own)].some((p) => own.has(p) && !kept.has(p))) return null;
  return { reading: near, answer, score: measure(near, answer, previous, ctx) };
}

/** Adjacent word pairs of a text, diacritics folded ("trong nước" → "trong nuoc"). */
function wordPairs(text: string): Set<string> {
  const ts = tokenize(text);
  return new Set(ts.slice(1).map((t, i) => `${ts[i]!.fold} ${t.fold}`));
}

/**
 * The best-answered reading of `question`: each candidate is asked (the turn alone first; a turn that stands
 * alone is answered as is), measured, and the highest score wins; when none is answered, the turn alone.
 */
export async function chooseReading(
  question: string,
  turns: Turn[],
  ask: (q: string, near?: readonly string[]) => Promise<Answer>,
  ctx: ReadContext,
): Promise<Measured> {
  const previous = lastAnswered(turns);
  const [alone, ...others] = candidateReadings(question, turns, ctx);
  const first = await ask(alone!.standalone);
  const measured: Scored[] = [{ reading: alone!, answer: first, score: measure(alone!, first, previous, ctx) }];
  // "năm 2024 tỉnh ươm tạo được bao nhiêu startup rồi?" asks what was done: the previous topic does not change that.
  if (alone!.kind !== "new" || !others.length || first.declinedByNature) return measured[0]!;
  const standing = standsAlone(alone!, first, previous, ctx, ctx.lexicon);
  const o = ctx.options ?? readingOptions;
  if (standing && !first.abstained) return (await inPreviousSection(alone!, first, others, previous, ask, ctx)) ?? measured[0]!;
  if (standing && o.unansweredFocus > 1) return measured[0]!;
  const aloneFocus = first.abstained ? 1 : focusOf(alone!, first, ctx, o);
  for (const c of others) {
    const answer = await ask(c.standalone, c.near);
    // A turn of many words not answered on its own ("kinh phí xây dựng lấy từ đâu" after who builds the portal) is
    // read in context only from the previous answer's article, by a quote stating `unansweredFocus` of what was
    // typed: an out-of-scope question ("lãi suất tiết kiệm ngân hàng … bao nhiêu?") finds neither, and stays unanswered.
    if (
      standing &&
      !c.exact &&
      (answer.abstained || placeAgreement(previous, answer.citations[0]) !== 2 || focusOf(c, answer, ctx, o) < o.unansweredFocus)
    )
      continue;
    measured.push({ reading: c, answer, score: measure(c, answer, previous, ctx, aloneFocus) });
  }
  const best = measured.reduce((b, m) => (m.score > b.score ? m : b));
  return addsNothing(best, measured[0]!, ctx) ? measured[0]! : best;
}

/** Readings that only add the previous turn's context (its document's name, its topic) to the turn as typed. */
const ADDS_CONTEXT_ONLY = new Set<Candidate["kind"]>(["document", "topic"]);

/**
 * A reading in the previous document or with the previous topic that leads with a section the turn alone also
 * cites, stating no more of the turn, added nothing but the old context to a turn that names its topic: the turn is
 * answered as typed ("nếu một DN đủ điều kiện hưởng nhiều mức hỗ trợ thì được hưởng mức nào" asks the rule wherever
 * it stands, not in the previous decree, and its reply need not quote the previous topic's sections beside it).
 */
function addsNothing(best: Scored, alone: Scored, ctx: ReadContext): boolean {
  const top = best.answer.citations[0];
  const o = ctx.options ?? readingOptions;
  // A turn of few words ("vậy hạn gửi là ngày nào?") says too little to be its own topic.
  const says = topicWords(topicOf(alone.reading.own, ctx.lexicon)) >= o.standAloneWords;
  if (!ADDS_CONTEXT_ONLY.has(best.reading.kind) || alone.answer.abstained || !top || !says) return false;
  // The turn alone led with "Văn bản không nêu …" and the reading in context states the value asked: it adds that.
  if (alone.answer.lead.startsWith(UNSTATED_PREFIX) && !best.answer.lead.startsWith(UNSTATED_PREFIX)) return false;
  const cites = alone.answer.citations.some((c) => c.doc === top.doc && c.section === top.section);
  const own = (m: Scored) => focusOf(m.reading, m.answer, ctx, o);
  return cites && own(alone) >= own(best);
}
