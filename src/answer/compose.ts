// Ranked sections → Answer: the lead states the asked fact and quotes the sentence that holds it, then at most a
// few more verbatim quotes while the reply stays phone-sized; the rest goes behind "Xem thêm" (`more`). Each
// source appears once. Abstains when the best section does not cover the question.
import type { LoadedIndex } from "../index/store.js";
import type { RankedSection, Retrieval } from "../retrieve/hybrid.js";
import type { Query } from "../retrieve/query.js";
import { assistantSubject, assistantTopics, exampleQuestions } from "../corpus/manifest.js";
import { ownText } from "../sections/parse.js";
import {
  ALTERNATIVES_ASK,
  AGENCY_HEADING,
  AGENCY_AGENT,
  AGENCY_SUBJECT,
  AMOUNT_PHRASE,
  WRITTEN_DATE,
  DATE_PHRASE,
  DURATION_HINT,
  LIST_HINT,
  SAME_ARTICLE_REFERENCE,
  TABLE_COLUMNS,
} from "../text/lexicon.js";
import { fold } from "../text/vietnamese.js";
import { wordPairKeys } from "../text/tokens.js";
import { answerOf, articleKey, type Answer, type Citation, type DocumentMeta, type Section } from "../types.js";
import { shouldAnswer } from "./decision.js";
import { nearestParts, pointersText } from "./pointers.js";
import { rankQuotes, splitSentences, type ScoredQuote } from "./quotes.js";
import { unstatedNote, withUnstatedNote } from "./unstated.js";

/** Below this share of the question's topic found in the best section, the corpus does not answer it. */
export const MIN_COVERAGE = 0.58;

type ProfileSource = Pick<LoadedIndex, "profile" | "documents">;

/** What the assistant can answer, as list lines, from the corpus profile (or the documents' titles). */
function canAnswerText(index: ProfileSource): string {
  const lines = assistantTopics(index.profile, index.documents);
  const topics = lines.map((t, i) => `- ${t}${i === lines.length - 1 ? "." : ";"}`);
  const example = exampleQuestions(index.profile)[0];
  return ["Trợ lý có thể trả lời về:", ...topics, ...(example ? ["", `Ví dụ: «${example}»`] : [])].join("\n");
}

export function abstainText(index: ProfileSource): string {
  const intro =
    "Xin lỗi, các văn bản trợ lý đang có không đề cập đến nội dung này, nên trợ lý không trả lời để tránh cung cấp thông tin sai.";
  return `${intro}\n\n${canAnswerText(index)}`;
}

export function greetingText(index: ProfileSource): string {
  const subject = assistantSubject(index.profile, index.documents);
  const examples = exampleQuestions(index.profile).map((q) => `- ${q}`);
  return [`Xin chào! Trợ lý trả lời câu hỏi về ${subject}, kèm trích dẫn nguyên văn và nguồn.`, "", "Ví dụ:", ...examples].join("\n");
}

export function refusalText(index: ProfileSource): string {
  const intro =
    "Xin lỗi, trợ lý không cung cấp thông tin cấu hình, mã truy cập hay chỉ dẫn nội bộ và không thay đổi cách làm việc theo yêu cầu này.";
  return `${intro}\n\n${canAnswerText(index)}`;
}

/** The question names a document the corpus does not hold. */
export function unknownDocumentText(index: ProfileSource, numbers: string[]): string {
  const intro = `Văn bản số ${numbers.join(", ")} chưa có trong kho văn bản của trợ lý, nên trợ lý không trả lời để tránh cung cấp thông tin sai.`;
  return `${intro}\n\n${canAnswerText(index)}`;
}

export function abstain(question: string, text: string): Answer {
  return answerOf({ question, answer: text, abstained: true, mode: "extractive", citations: [] });
}

/** "Nơi nhận gồm những ai?": the document's distribution list, quoted whole. */
export function recipientsAnswer(index: LoadedIndex, question: string, doc: string): Answer | null {
  const section = index.section(doc, "recipients");
  if (!section?.paragraphs.length) return null;
  const meta = index.document(doc);
  const items = section.paragraphs.map((p) => p.replace(/[;.]$/, ""));
  // The items as the list stands in the text ("Bộ …; - Sở …"), so the quote is verbatim.
  const citation: Citation = { doc, section: section.id, title: citationTitle(meta, section), quote: section.paragraphs.join(" - ") };
  const lead = `Nơi nhận của ${meta?.shortTitle ?? doc}: ${items.join("; ")}.`;
  return answerOf({
    question,
    answer: `${lead}\n\n(${citation.title})`,
    lead,
    abstained: false,
    mode: "extractive",
    citations: [citation],
  });
}

/** A refusal below the decision to answer: it names the nearest titled parts when some are near enough. */
function refuseWithPointers(index: LoadedIndex, retrieval: Retrieval): Answer {
  const nearest = nearestParts(index, retrieval);
  if (!nearest.length) return abstain(retrieval.query.text, abstainText(index));
  return { ...abstain(retrieval.query.text, pointersText(nearest)), nearest };
}

export function citationTitle(meta: DocumentMeta | undefined, section: Section): string {
  return `${meta?.shortTitle ?? section.doc} — ${section.label}`;
}

/**
 * The heading's subject when the quote lacks it ("Sở Khoa học và Công nghệ" over «Là cơ quan thường trực …»), shown
 * next to the source so the verbatim quote still says who or what it is about; "" when the quote names it itself.
 */
export function subjectFor(section: Section, quote: string): string {
  const subject = section.subject;
  return subject && !fold(quote).includes(fold(subject)) ? subject : "";
}

/** The asked fact in a task-table row's cells: its lead agency ("Cơ quan chủ trì") or its time ("Thời gian/Sản phẩm"). */
function rowFact(section: Section, query: Query): string | null {
  const column = { responsibility: TABLE_COLUMNS.lead, deadline: TABLE_COLUMNS.time }[query.intent as string];
  const cell = column && Object.entries(section.fields ?? {}).find(([name]) => column.test(fold(name)))?.[1];
  return cell ? cell.split(/\s*;\s*/)[0]! : null;
}

/** The agency a section's heading names (its dash items have no subject of their own), if any. */
function headingAgency(section: Section): string | null {
  return section.subject ? (AGENCY_HEADING.exec(section.subject)?.[1] ?? null) : null;
}

const withSubject = (title: string, section: Section, quote: string) => {
  const subject = subjectFor(section, quote);
  return subject ? `${title} — ${subject}` : title;
};

function statusNote(meta: DocumentMeta | undefined): string | null {
  if (!meta) return null;
  if (meta.status === "superseded")
    return `Lưu ý: ${meta.shortTitle} đã hết hiệu lực${meta.supersededBy ? `, được thay thế bởi ${meta.supersededBy}` : ""}. Nội dung trích chỉ có giá trị tham khảo lịch sử.`;
  if (meta.status === "unknown" && meta.statusNote) return `Lưu ý: ${meta.shortTitle}: ${meta.statusNote}`;
  return null;
}

/** Whole-section quote for short blocks such as the signature ("TM. … <name>"). */
function wholeBlock(section: Section): string | null {
  return section.id === "signature" ? section.paragraphs.join(" ") : null;
}

/** Named knobs of the extractive reply. */
export const replyOptions = {
  /** Sections that may be quoted (the rest of the ranking is not evidence). */
  maxSections: 4,
  /** A section below this share of the best score is not quoted. */
  relativeScore: 0.5,
  /** A section at or above this share of the best score is in the reply even past `replyChars` (a near-tie). */
  tiedScore: 0.97,
  /**
   * …and so is a section holding more of the question's topic words than the best one, at or above this share of its
   * score (measured on the train/dev splits: 0.9 and 0.8 each gained first turns, 0.8 also a follow-up; p90 reply
   * length 706 → 789 characters on the paraphrase set).
   */
  coverageTieScore: 0.8,
  /**
   * A runner-up holds at least this share of the question's topic words, or of the best section's when that holds
   * less than `MIN_COVERAGE` (a question told at length, answered on its sentences that ask: its sibling clauses
   * hold as little of the situation as the best one, and "DN nhỏ hay siêu nhỏ?" needs both).
   */
  runnerUpCoverage: 0.9,
  /** Soft cap on the default reply (characters): quotes beyond it go to "Xem thêm". */
  replyChars: 600,
  /** A quote that carries the asked fact (date, amount, agency) outranks a better-matching one without it by this factor. */
  factBonus: 1.5,
  /** How many runners-up may lead instead of the best section when only they state the asked fact. */
  factRunnerUp: 2,
  /** The top section's second sentence is quoted too when it scores at least this share of the best one. */
  secondSentence: 0.6,
  /**
   * A question whose topic words all but fill the best section's article title ("trách nhiệm của Bộ Tài chính thế
   * nào?" and "Điều 23. Trách nhiệm của Bộ Tài chính") asks the whole article: at or above this title share, the
   * article's clauses among the evidence are quoted in the order the article states them.
   */
  wholeArticleTitle: 0.9,
  /** List items shown after a list introduction ("… các tiêu chí sau đây:") in the reply and in "Xem thêm". */
  listItems: 3,
  moreListItems: 5,
};

interface Evidence {
  section: Section;
  meta: DocumentMeta | undefined;
  quotes: ScoredQuote[];
  /** Scores within `tiedScore` of the best section: the ranking cannot tell them apart, so both are shown. */
  tied: boolean;
}

/** Sentences that led an earlier part of the question: a later part asks something else. */
function alreadyQuoted(query: Query, section: Section): (quote: ScoredQuote) => boolean {
  const quoted = (query.answered ?? []).filter((a) => a.doc === section.doc && a.section === section.id);
  return (q) => quoted.some((a) => a.quote.includes(q.text));
}

/**
 * The sections worth quoting, each with its candidate quotes, best first. Sentences an earlier part led with are
 * left out while what remains still covers the question; otherwise the same evidence answers again.
 */
function gatherEvidence(index: LoadedIndex, retrieval: Retrieval): Evidence[] {
  const all = evidenceOf(index, retrieval);
  if (!retrieval.query.answered?.length) return all;
  const fresh = all
    .map((e) => {
      const quoted = alreadyQuoted(retrieval.query, e.section);
      return { ...e, quotes: e.quotes.filter((q) => !quoted(q)) };
    })
    .filter((e) => e.quotes.length > 0);
  const lead = fresh[0] && retrieval.ranked.find((r) => r.section === fresh[0]!.section);
  return lead && lead.coverage >= MIN_COVERAGE ? fresh : all;
}

function evidenceOf(index: LoadedIndex, retrieval: Retrieval): Evidence[] {
  const top = retrieval.ranked[0]!;
  const idf = (k: string) => index.lexical.idf(k);
  const coverageFloor = replyOptions.runnerUpCoverage * Math.min(MIN_COVERAGE, top.coverage);
  // "DN nhỏ hay siêu nhỏ?": each clause holds its own alternative only, so its coverage is no measure of it.
  const alternatives = ALTERNATIVES_ASK.test(retrieval.query.folded);
  const offered = (r: RankedSection) => alternatives && isSibling(r.section, top.section);
  return retrieval.ranked
    .filter((r, i) => i === 0 || (r.score >= replyOptions.relativeScore * top.score && (r.coverage >= coverageFloor || offered(r))))
    .slice(0, replyOptions.maxSections)
    .map((r) => {
      const block = wholeBlock(r.section);
      const quotes = block ? [{ text: block, score: 1, position: 0 }] : rankQuotes(r.section, index.analyzer, retrieval.query, idf);
      return { section: r.section, meta: index.document(r.section.doc), quotes, tied: nearTie(r, top) || offered(r) };
    })
    .filter((e) => e.quotes.length > 0);
}

/** Clauses of one article (or points of one clause): "DN nhỏ hay siêu nhỏ?" is answered by two of them side by side. */
const isSibling = (a: Section, b: Section) => a.doc === b.doc && a.parent !== null && a.parent === b.parent;

/**
 * The ranking cannot tell `r` from the best section: it scores within `tiedScore`, or it holds more of the question
 * and scores within `coverageTieScore` (a short sibling clause wins on match strength, the longer one on what it
 * holds: "điểm a … cấp quốc gia" against "điểm b … cấp tỉnh" asked about a provincial project).
 */
function nearTie(r: RankedSection, top: RankedSection): boolean {
  if (r.score >= replyOptions.tiedScore * top.score) return true;
  return r.coverage > top.coverage && r.score >= replyOptions.coverageTieScore * top.score;
}

/** Facts of the asked kind that a text states, as written ("trước ngày 30/11", "không quá 5 triệu đồng/tháng"). */
export function factsIn(text: string, query: Pick<Query, "intent" | "asksAmount">): string[] {
  if (query.intent === "deadline") {
    const dates = [...new Set([...text.matchAll(DATE_PHRASE)].map((m) => m[1]!.trim()))];
    // A date ("tháng 01/2025", "trước ngày 30/11") answers "when" better than a period ("định kỳ 6 tháng").
    // "trước ngày 15 tháng 12" is a date written out.
    const isDate = (d: string) => /\d\/\d|\d tháng \d/.test(d);
    return [...dates.filter(isDate), ...dates.filter((d) => !isDate(d))];
  }
  if (query.asksAmount || query.intent === "support")
    return [...new Set([...text.replace(WRITTEN_DATE, " ").matchAll(AMOUNT_PHRASE)].map((m) => m[1]!.trim()).filter((f) => /\d/.test(f)))];
  if (query.intent === "responsibility") {
    // The doer opens a duty sentence, or a passive one names it ("Giấy phép … do Bộ trưởng Bộ X cấp").
    const subject = AGENCY_SUBJECT.exec(text) ?? AGENCY_AGENT.exec(text);
    return subject ? [subject[1]!] : [];
  }
  return [];
}

/**
 * "Hồ sơ gồm giấy tờ gì?" answered by one item of a list: the list's introduction leads instead, so the reply
 * quotes it with its items ("Hồ sơ … bao gồm:" a), b) …).
 */
function withListIntroduction(index: LoadedIndex, retrieval: Retrieval, evidence: Evidence[]): Evidence[] {
  const top = evidence[0];
  if (!retrieval.query.asksList || !top?.section.parent) return evidence;
  const parent = index.section(top.section.doc, top.section.parent);
  const intro = parent ? ownText(parent).at(-1) : undefined;
  if (!parent || !intro?.trim().endsWith(":")) return evidence;
  const quotes = rankQuotes(parent, index.analyzer, retrieval.query, (k) => index.lexical.idf(k));
  const rest = evidence.filter((e) => e.section !== parent && e.section.parent !== parent.id);
  return quotes.length ? [{ section: parent, meta: top.meta, quotes, tied: true }, ...rest] : evidence;
}

/** The section a same-article reference in `quote` points at ("điểm b khoản này" from D13.1.c is D13.1.b), if any. */
function referencedSection(index: LoadedIndex, from: Section, quote: string): Section | undefined {
  const m = SAME_ARTICLE_REFERENCE.exec(quote);
  if (!m) return undefined;
  const [article, clause] = from.id.split(".");
  const own = m[2]!.toLowerCase() === "này";
  if (own && !clause) return undefined;
  const clauseId = own ? `${article}.${clause}` : `${article}.${m[2]}`;
  return index.section(from.doc, m[1] ? `${clauseId}.${m[1].toLowerCase()}` : clauseId);
}

/**
 * "Hồ sơ gồm những gì?" best matched by a sentence that only points at the list ("nộp hồ sơ quy định tại điểm b
 * khoản này"): the list it points at leads, then the pointing sentence.
 */
function withReferencedList(index: LoadedIndex, retrieval: Retrieval, evidence: Evidence[]): Evidence[] {
  const top = evidence[0];
  if (!retrieval.query.asksList || !top?.quotes[0]) return evidence;
  const target = referencedSection(index, top.section, top.quotes[0].text);
  if (!target || target === top.section || !ownText(target).some((p) => LIST_HINT.test(p))) return evidence;
  const quotes = rankQuotes(target, index.analyzer, retrieval.query, (k) => index.lexical.idf(k));
  const rest = evidence.filter((e) => e.section !== target);
  return quotes.length ? [{ section: target, meta: top.meta, quotes, tied: true }, ...rest] : evidence;
}

/**
 * A question that asks a whole article (its topic is the article's title, and it asks no date, amount, duration or
 * agency) is answered by the article's clauses from the first, as the article states them: ranked by score, the
 * clause that repeats the most title words leads ("2. Chủ trì … bố trí nguồn vốn" before "1. Hướng dẫn …").
 */
function inArticleOrder(index: LoadedIndex, retrieval: Retrieval, evidence: Evidence[]): Evidence[] {
  const { query, ranked } = retrieval;
  const top = ranked[0];
  const specific =
    query.intent === "deadline" || query.intent === "document_fact" || query.asksAmount || query.asksDuration || query.asksAgency;
  if (!top || specific || top.title < replyOptions.wholeArticleTitle || !top.section.id.includes(".")) return evidence;
  const article = articleKey(top.section);
  const clauses = evidence.filter((e) => articleKey(e.section) === article);
  if (clauses.length < 2) return evidence;
  const order = new Map(index.sectionsOf(top.section.doc).map((s, i) => [s.id, i]));
  clauses.sort((a, b) => (order.get(a.section.id) ?? 0) - (order.get(b.section.id) ?? 0));
  return [...clauses, ...evidence.filter((e) => articleKey(e.section) !== article)];
}

/**
 * The evidence in reply order: when the question asks which agency ("sở nào …?") and the best-matching section
 * names none while a close runner-up assigns the task to one, the runner-up leads.
 */
function factFirst(evidence: Evidence[], query: Query): Evidence[] {
  if (!query.asksAgency) return evidence;
  const states = (e: Evidence) => !!headingAgency(e.section) || e.quotes.some((q) => AGENCY_SUBJECT.test(q.text));
  if (!evidence.length || states(evidence[0]!)) return evidence;
  const i = evidence.slice(0, replyOptions.factRunnerUp + 1).findIndex(states);
  return i > 0 ? [evidence[i]!, ...evidence.filter((_, k) => k !== i)] : evidence;
}

/** The quote that answers: the best one carrying the asked fact, joined with the next sentence when that one does. */
function answerQuote(e: Evidence, query: Query): string {
  const weighted = e.quotes.map((q) => ({ q, w: q.score * (factsIn(q.text, query).length ? replyOptions.factBonus : 1) }));
  const matched = weighted.reduce((a, b) => (b.w > a.w ? b : a)).q;
  // "Mấy ngày?", "bao lâu?": when the best-matching sentence states no value, a sentence of the section that states a
  // duration ("Trong thời hạn 03 ngày làm việc …") answers, however well the other matches the question's words.
  const valueless = !factsIn(matched.text, query).length && !DURATION_HINT.test(matched.text);
  const lasting = query.asksDuration && valueless ? e.quotes.find((q) => q.score > 0 && DURATION_HINT.test(q.text)) : undefined;
  const best = lasting ?? listIntroduction(e, query, matched) ?? matched;
  const next = e.quotes.find((q) => q.position === best.position + 1);
  const joined = next && `${best.text} ${next.text}`;
  // Neighbouring sentences of one paragraph are verbatim together ("… 50% … Thời gian hỗ trợ tối đa là 03 năm").
  if (joined && factsIn(next.text, query).length && joinedInSource(e.section, joined)) return joined;
  return best.text;
}

/**
 * "Hồ sơ gồm những gì?" answered by a section that introduces its own items ("Thành phần hồ sơ:" a), b) …) after a
 * sentence matching more of the question's words ("Hồ sơ … bao gồm 01 bộ …"): the introduction answers, so the
 * items come with it; the matching sentence follows when it scores close.
 */
function listIntroduction(e: Evidence, query: Query, matched: ScoredQuote): ScoredQuote | undefined {
  if (!query.asksList || !e.section.children.length || matched.text.endsWith(":")) return undefined;
  return e.quotes.find((q) => q.score > 0 && q.text.endsWith(":"));
}

function joinedInSource(section: Section, text: string): boolean {
  return ownText(section).some((p) => p.replace(/\s+/g, " ").includes(text));
}

/** Named cells of an appendix row that carry the result ("Cơ quan chủ trì: …; Thời hạn: …"). */
function rowCells(section: Section): string {
  const cells = Object.entries(section.fields ?? {}).map(([k, v]) => `${k}: ${v}`);
  return cells.length ? ` (${cells.join("; ")})` : "";
}

/** "không quá 20 triệu đồng/năm đối với doanh nghiệp siêu nhỏ": the unit and "đối với …" after an amount. */
const QUALIFIER = /^((?:\/\p{L}+)*\s+đối với\s+(?:(?!\s(?:và|hoặc)\s)[^;,.])+)/u;

/**
 * Amounts stated per kind ("… 20 triệu đồng/năm đối với doanh nghiệp siêu nhỏ; không quá 50 triệu đồng/năm đối với
 * doanh nghiệp nhỏ …"): each amount is given with its kind; when the question names one kind (a pair of its words
 * stands in that amount's "đối với …"), the amounts for the other kinds are left out of the lead.
 */
function qualifiedFor(quote: string, facts: string[], query: Query): string[] {
  const pairs = wordPairKeys(query.features).map((k) => ` ${k.slice(2).replace(/_/g, " ")} `);
  const qualified = facts.map((f) => {
    const at = quote.indexOf(f);
    const q = at >= 0 ? QUALIFIER.exec(quote.slice(at + f.length))?.[1] : undefined;
    return { f, q, hits: q ? pairs.filter((p) => ` ${fold(q)} `.includes(p)).length : 0 };
  });
  const kinds = qualified.filter((x) => x.q).map((x) => x.hits);
  const best = Math.max(0, ...kinds);
  const withKind = (x: (typeof qualified)[number]) => (x.q ? `${x.f}${x.q}` : x.f);
  // Only a pair that tells the kinds apart counts ("doanh nghiệp" stands in all of them); else each amount is said
  // with its kind, so "không quá 20 triệu đồng" is not read as everyone's cap.
  if (kinds.length < 2 || best === Math.min(...kinds)) return qualified.map(withKind);
  return qualified.filter((x) => !x.q || x.hits === best).map(withKind);
}

/** "Hạn: trước ngày 30/11." — the asked fact first, when the quote (or, for the agency, its heading) states one. */
function factPrefix(quote: string, query: Query, section: Section): string {
  const stated = factsIn(quote, query);
  const fromHeading = stated.length
    ? null
    : (rowFact(section, query) ?? (query.intent === "responsibility" ? headingAgency(section) : null));
  const facts = (fromHeading ? [fromHeading] : qualifiedFor(quote, stated, query)).slice(0, 3);
  if (!facts.length) return "";
  // A passive sentence names who has the power ("… do Bộ trưởng Bộ X cấp"), not an agency given a task.
  const passive = query.intent === "responsibility" && !fromHeading && !AGENCY_SUBJECT.test(quote);
  const label = passive ? "Thẩm quyền: " : { deadline: dateLabel(facts), responsibility: "Cơ quan được giao: " }[query.intent as string];
  const text = facts.join("; ");
  return label ? `${label}${text}. ` : `${text[0]!.toUpperCase()}${text.slice(1)}. `;
}

/**
 * "Thời hạn" for a time limit or a period ("trước ngày 30/11", "hằng năm"); bare dates ("11/01/2024") are dates.
 * Called with at least one fact.
 */
function dateLabel(facts: string[]): string {
  return facts.every((f) => /^\d/.test(f)) ? "Ngày: " : "Thời hạn: ";
}

function documentFactLead(e: Evidence): string | null {
  const sig = e.section.id === "signature" ? e.section : undefined;
  if (sig && sig.paragraphs.length > 1)
    return `Người ký: ${sig.paragraphs[sig.paragraphs.length - 1]} (${sig.paragraphs.slice(0, -1).join(", ")}).`;
  if (sig) return `Phần ký ban hành: ${sig.paragraphs[0]}.`;
  if (e.section.id !== "preamble" || !e.meta) return null;
  // From the manifest (checked by staff), so gaps of the source copy are said plainly.
  const missing = "không có trong bản sao văn bản";
  const date = e.meta.date ? e.meta.date.split("-").reverse().join("/") : missing;
  return `${e.meta.shortTitle}: số hiệu ${e.meta.number ?? missing}; ngày ban hành ${date}; cơ quan ban hành: ${e.meta.issuer}.`;
}

const quoteLine = (c: Citation, cells = "", section?: Section) =>
  `«${c.quote}»${cells} (${section ? withSubject(c.title, section, c.quote) : c.title})`;

/** Items of a list whose introduction was quoted ("… theo một trong các tiêu chí sau đây:"). */
function listItems(index: LoadedIndex, e: Evidence, quote: string): Citation[] {
  if (!/:$/.test(quote) || !e.section.children.length) return [];
  return e.section.children.flatMap((id) => {
    const child = index.section(e.section.doc, id);
    // An item's first sentence: the list stays readable on a phone; the whole item is one tap away (its section).
    const text = child ? ownText(child)[0] : undefined;
    const first = text ? splitSentences(text)[0] : undefined;
    return child && first ? [{ doc: child.doc, section: child.id, title: citationTitle(e.meta, child), quote: first }] : [];
  });
}

interface Reply {
  lead: string;
  paragraphs: string[];
  citations: Citation[];
  more: { paragraphs: string[]; citations: Citation[] };
}

/** The lead: the asked fact, then the quote that states it and its source; a list it introduces comes with it. */
function leadOf(index: LoadedIndex, top: Evidence, query: Query, reply: Reply): void {
  const quote = answerQuote(top, query);
  const citation: Citation = { doc: top.section.doc, section: top.section.id, title: citationTitle(top.meta, top.section), quote };
  const fact = query.intent === "document_fact" ? documentFactLead(top) : null;
  reply.lead = fact
    ? `${fact} ${quoteLine(citation)}`
    : `${factPrefix(quote, query, top.section)}Theo ${withSubject(citation.title, top.section, quote)}: «${quote}»${rowCells(top.section)}`;
  reply.citations.push(citation);
  const items = listItems(index, top, quote);
  const shown = items.slice(0, replyOptions.listItems);
  for (const c of shown) reply.citations.push(c);
  if (shown.length) reply.lead += `\n${shown.map((c) => `- ${c.quote}`).join("\n")}`;
  const rest = items.slice(shown.length, replyOptions.listItems + replyOptions.moreListItems);
  rest.forEach((c) => add(reply, c, `- ${quoteLine(c)}`, "more"));
  secondSentence(top, quote, reply);
}

/** The top section's next-best sentence, when it matches nearly as well (a title, then its date or target). */
function secondSentence(top: Evidence, leadQuote: string, reply: Reply): void {
  const [best, second] = top.quotes;
  if (!best || !second || leadQuote.includes(second.text) || second.score < replyOptions.secondSentence * best.score) return;
  const c: Citation = { doc: top.section.doc, section: top.section.id, title: citationTitle(top.meta, top.section), quote: second.text };
  if (replyLength(reply) + c.quote.length > replyOptions.replyChars) {
    add(reply, c, quoteLine(c), "more");
    return;
  }
  // Same section, so the lead names its source once: «first sentence» … «second sentence».
  reply.lead += ` «${c.quote}»`;
  reply.citations.push(c);
}

function add(reply: Reply, c: Citation, text: string, where: "main" | "more"): void {
  const all = [...reply.citations, ...reply.more.citations];
  if (all.some((x) => x.doc === c.doc && x.section === c.section && x.quote === c.quote)) return;
  if (where === "main") {
    reply.citations.push(c);
    reply.paragraphs.push(text);
  } else {
    reply.more.citations.push(c);
    reply.more.paragraphs.push(text);
  }
}

const replyLength = (r: Reply) => r.lead.length + r.paragraphs.reduce((n, p) => n + p.length + 2, 0);

/**
 * The other sections' quotes: in the reply while it stays short, the rest behind "Xem thêm". Each is chosen as the
 * lead's is, so a runner-up states the asked value too ("bao lâu?": its "Thời gian hỗ trợ tối đa là 05 năm").
 */
function supportingQuotes(evidence: Evidence[], query: Query, reply: Reply): void {
  for (const e of evidence) {
    const quote = answerQuote(e, query);
    const c: Citation = { doc: e.section.doc, section: e.section.id, title: citationTitle(e.meta, e.section), quote };
    const text = quoteLine(c, rowCells(e.section), e.section);
    const fits = replyLength(reply) + text.length <= replyOptions.replyChars;
    add(reply, c, text, fits || e.tied ? "main" : "more");
  }
}

export function compose(index: LoadedIndex, retrieval: Retrieval): Answer {
  const { query } = retrieval;
  const question = query.text;
  if (!shouldAnswer(retrieval, index.profile.decision, MIN_COVERAGE)) return refuseWithPointers(index, retrieval);
  const evidence = gatherEvidence(index, retrieval);
  if (!evidence.length) return abstain(question, abstainText(index));

  const reply: Reply = { lead: "", paragraphs: [], citations: [], more: { paragraphs: [], citations: [] } };
  const [first, ...rest] = factFirst(
    withListIntroduction(index, retrieval, withReferencedList(index, retrieval, inArticleOrder(index, retrieval, evidence))),
    query,
  );
  leadOf(index, first!, query, reply);
  // Whether the asked value is stated is read from the lead's quotes: a runner-up's figure is about its own subject
  // ("2%/năm" of interest support does not give the guarantee fund's lending rate). A table row's value stands in
  // its cells ("Kết quả: ≥ 50"), not in its quoted name.
  const leadQuotes = [...reply.citations.map((c) => c.quote), rowCells(first!.section)];
  supportingQuotes(rest, query, reply);
  reply.lead = withUnstatedNote(reply.lead, unstatedNote(query, leadQuotes));
  const shownDocs = (cs: Citation[]) => new Set(cs.map((c) => c.doc));
  const notes = (docs: Set<string>) =>
    [...new Set(index.documents.filter((d) => docs.has(d.id)).map(statusNote))].filter((n): n is string => !!n);
  const mainNotes = notes(shownDocs(reply.citations));
  const moreText = reply.more.paragraphs;
  const moreNotes = notes(shownDocs(reply.more.citations)).filter((n) => !mainNotes.includes(n));
  return answerOf({
    question,
    answer: [reply.lead, ...reply.paragraphs, ...mainNotes].join("\n\n"),
    lead: reply.lead,
    more: moreText.length ? { text: [...moreText, ...moreNotes].join("\n\n"), citations: reply.more.citations } : null,
    abstained: false,
    mode: "extractive",
    citations: reply.citations,
  });
}
