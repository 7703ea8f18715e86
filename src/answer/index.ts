// The answering core used by every channel: question → Answer, from the index version currently serving.
import path from "node:path";
import type { Config } from "../config.js";
import type { Profile } from "../corpus/manifest.js";
import { isIndexDamage, openIndex, type LoadedIndex } from "../index/store.js";
import type { Logger } from "../log.js";
import { collectWhenUnreachable } from "../process.js";
import { agenciesOfIndex, successorNote, answerDuties, dutiesForIndex } from "../duties/index.js";
import { retrieve } from "../retrieve/hybrid.js";
import {
  analyzeQuery,
  asksActualFigure,
  asksContact,
  asksFile,
  asksOpinion,
  asksRecipients,
  isInjection,
  isSmallTalk,
  mentions,
  type Query,
  scopedTo,
  withDocuments,
} from "../retrieve/query.js";
import { LAW_NAME, LAW_NAME_ENDS, POINTS_BACK, REPORT_TITLE } from "../text/lexicon.js";
import { fold } from "../text/vietnamese.js";
import type { Answer, Citation, DocumentMeta, Section } from "../types.js";
import { abstain, abstainText, compose, greetingText, recipientsAnswer, refusalText, unknownDocumentText } from "./compose.js";
import { createReplyWriter, type AgencySpans, type ReplyWriter } from "./llm.js";
import { loadAgencyRegistry } from "../duties/agencies.js";
import { contentWords, joinParts, splitParts, THIN_PART_WORDS } from "./parts.js";
import { type NOT_IN_DOCUMENTS, nearestParts, notInDocumentsText, POINTER_OPTIONS } from "./pointers.js";
import { CONTACT_UNSTATED, UNSTATED_PREFIX } from "./unstated.js";

export { abstainText, greetingText, refusalText, MIN_COVERAGE } from "./compose.js";

export const EMPTY_QUESTION_TEXT =
  "Bạn chưa nhập câu hỏi. Hãy gõ câu hỏi về kế hoạch hoặc văn bản, ví dụ: «Hạn báo cáo hằng năm là khi nào?»";

/** How to ask: a follow-up may be asked near the sections the conversation's previous answer cited. */
export interface AskOptions {
  /** Sections ("doc#D26.2") whose articles rank higher (`nearPart`); for a question of one part. */
  near?: readonly string[];
}

export interface Assistant {
  ask(question: string, options?: AskOptions): Promise<Answer>;
  section(doc: string, id: string): Section | undefined;
  documents(): DocumentMeta[];
  profile(): Profile;
  /** The index version answering now. */
  index(): LoadedIndex;
  /** Serve another loaded version from the next question on (used after a rebuild or rollback). */
  swap(index: LoadedIndex): void;
}

/** Answer one question from a loaded index; an optional model writes the reply from the same evidence. */
export async function answerQuestion(
  index: LoadedIndex,
  rawQuestion: string,
  replyWriter?: ReplyWriter,
  options: AskOptions = {},
): Promise<Answer> {
  const question = rawQuestion.normalize("NFC").replace(/\s+/g, " ").trim();
  if (!question) return abstain(question, EMPTY_QUESTION_TEXT);
  if (isInjection(question)) return abstain(question, refusalText(index));
  if (isSmallTalk(question)) return abstain(question, greetingText(index));
  const notInDocuments = notInDocumentsKind(index, question);
  if (notInDocuments) return { ...(await declineNaming(index, question, notInDocuments)), declinedByNature: true };
  const parts = splitParts(question);
  const found = parts.length > 1 ? await answerParts(index, question, parts) : await answerWhole(index, question, options.near);
  // Contact details no passage holds: said so, with where the office is mentioned, not the general refusal.
  if (found.abstained && !found.citations.length && asksContact(question)) return declineNaming(index, question, "contact");
  const answer = withMissingNote(index, declineUnstatedContact({ ...found, question }));
  if (!replyWriter || answer.abstained) return answer;
  return (await replyWriter(answer)) ?? answer;
}

function recipientsOf(index: LoadedIndex, query: Query): Answer | null {
  const doc = query.documents.ids.length === 1 ? query.documents.ids[0] : index.primary.size === 1 ? [...index.primary][0] : undefined;
  if (!doc) return null;
  const title = index.document(doc)?.shortTitle ?? doc;
  return (
    recipientsAnswer(index, query.text, doc) ?? abstain(query.text, `Bản ${title} trong kho văn bản của trợ lý không có phần Nơi nhận.`)
  );
}

/**
 * No opinion, and no actual figure where no document reports one: the parts the question is nearest to are named,
 * without quoting, so the asker can read them.
 */
async function declineNaming(index: LoadedIndex, question: string, kind: keyof typeof NOT_IN_DOCUMENTS): Promise<Answer> {
  const nearest = nearestParts(index, await retrieve(index, analyzeQuery(index, question)), { ...POINTER_OPTIONS, minProbability: 0 });
  return { ...abstain(question, notInDocumentsText(kind, nearest)), ...(nearest.length ? { nearest } : {}) };
}

/** What kind of question the documents cannot answer by its nature, if it is one. */
function notInDocumentsKind(index: LoadedIndex, question: string): keyof typeof NOT_IN_DOCUMENTS | null {
  if (asksOpinion(question)) return "opinion";
  if (asksActualFigure(question) && !holdsReports(index)) return "actualFigure";
  return asksFile(question) ? "file" : null;
}

/** A corpus that holds a report ("Báo cáo kết quả …") may state what was actually done. */
function holdsReports(index: LoadedIndex): boolean {
  return index.documents.some((d) => REPORT_TITLE.test(fold(d.title)));
}

/** One ask; asked of several documents named side by side, each answers for itself. */
async function answerWhole(index: LoadedIndex, question: string, near?: readonly string[]): Promise<Answer> {
  const query = near?.length ? { ...analyzeQuery(index, question), near } : analyzeQuery(index, question);
  if (query.coordinated.length < 2) return answerOne(index, query);
  const answers: Answer[] = [];
  for (const id of query.coordinated) answers.push(await answerOne(index, scopedTo(index, query, id)));
  const labels = query.coordinated.map((id) => index.document(id)?.shortTitle ?? id);
  return joinParts(question, labels, answers);
}

/**
 * Each part in turn, read in the context of the one before: a part that names no document keeps the documents
 * the previous part named or was answered from, and a part that points back ("chỉ tiêu đó") or says too little
 * on its own ("mấy ngày thì được hướng dẫn?") keeps its topic.
 */
async function answerParts(index: LoadedIndex, question: string, parts: string[]): Promise<Answer> {
  const answers: Answer[] = [];
  let previous: { text: string; documents: Query["documents"] } | undefined;
  const answered: Citation[] = [];
  for (const part of parts) {
    const borrows = POINTS_BACK.test(part) || contentWords(part) <= THIN_PART_WORDS;
    const text = previous && borrows ? `${previous.text}, ${part}` : part;
    const query = analyzeQuery(index, text);
    const documents = query.documents.ids.length || !previous ? query.documents : previous.documents;
    const scoped = documents === query.documents ? query : withDocuments(query, documents);
    const answer = await answerOne(index, { ...scoped, answered: [...answered] });
    const lead = answer.citations[0];
    if (lead && !answer.abstained) answered.push(...answer.citations.filter((c) => c.doc === lead.doc && c.section === lead.section));
    answers.push(answer);
    previous = { text, documents: quotedDocument(answer, documents) };
  }
  return joinParts(question, parts, answers);
}

/** The scope of what is asked next: the document the answer quotes first, if it was in scope, else the scope. */
function quotedDocument(answer: Answer, scope: Query["documents"]): Query["documents"] {
  const doc = answer.abstained ? undefined : answer.citations[0]?.doc;
  if (!doc || (scope.ids.length && !scope.ids.includes(doc))) return scope;
  return { ids: [doc], words: scope.words };
}

/** One question (or one part of a multi-part question) from duty records or from retrieval. */
async function answerOne(index: LoadedIndex, query: Query): Promise<Answer> {
  // Quoting other documents about a document we do not hold would answer a question nobody asked.
  if (query.unknownNumbers.length && !query.documents.ids.length)
    return abstain(query.text, unknownDocumentText(index, query.unknownNumbers));
  // "Luật Đất đai quy định …" asked of a corpus without it: quoting another law would answer another question.
  if (!query.documents.ids.length && unknownLawNames(index, opening(query.text)).length) return abstain(query.text, abstainText(index));
  // "Nơi nhận gồm những ai?": the distribution list of the document named, or of the one primary document.
  const listed = asksRecipients(query.text) ? recipientsOf(index, query) : null;
  if (listed) return listed;
  // "Sở X phải làm gì?", "ai báo cáo cho ai, khi nào?": answered from duty records extracted at indexing time — not
  // contact details asked of the agency ("xin sđt của Sở X chủ trì …"), which no duty record holds.
  const dutyAnswer = asksContact(query.text)
    ? null
    : answerDuties(query.duty, dutiesForIndex(index), index.documents, {
        agencies: agenciesOfIndex(index),
        plans: index.dutyPlans,
        document: index.document,
      });
  return dutyAnswer ?? withSuccessorNote(index, query, compose(index, await retrieve(index, query)));
}

/**
 * A question naming a former agency ("Sở Tài nguyên và Môi trường …") answered with quotes that name the agency that
 * replaced it: the reply says so, so the asker can connect the two names. Quotes that use the former name need no note.
 */
function withSuccessorNote(index: LoadedIndex, query: Query, answer: Answer): Answer {
  if (answer.abstained) return answer;
  const reg = agenciesOfIndex(index);
  // What the quotes say, with the heading each is shown under ("Mục V.4 — Sở Nông nghiệp và Môi trường: «…»").
  const said = answer.citations.map((c) => `${index.section(c.doc, c.section)?.subject ?? ""}\n${c.quote}`).join("\n");
  const quoted = new Set(reg.find(said).map((m) => m.agency.id));
  const notes = query.duty.asked
    .map((m) => m.agency)
    .filter((a) => a.mergedInto && quoted.has(a.mergedInto) && !quoted.has(a.id))
    .map((a) => `Lưu ý: ${successorNote(reg, a)}.`);
  return notes.length ? { ...answer, answer: [answer.answer, "", ...new Set(notes)].join("\n") } : answer;
}

/**
 * Contact details asked for and no quote holds one: the quotes only show where the office is mentioned, so the reply
 * is a decline (staff see it among the unanswered), with the quotes kept as where to read.
 */
function declineUnstatedContact(answer: Answer): Answer {
  return !answer.abstained && answer.lead.startsWith(CONTACT_UNSTATED) ? { ...answer, abstained: true } : answer;
}

/** A question about a document the corpus lacks (e.g. NQ 54/2019/NQ-HĐND) is told so, whatever else is quoted. */
function withMissingNote(index: LoadedIndex, answer: Answer): Answer {
  const missing = index.notInCorpus.filter((m) => mentions(answer.question, [m.name, ...m.aliases]));
  const notes = missing.map(
    (m) =>
      `Lưu ý: toàn văn ${m.name} chưa có trong kho văn bản của trợ lý${m.note ? ` (${m.note})` : ""}; nội dung trên chỉ là phần các văn bản khác nhắc đến nó.`,
  );
  // A law named by a title no document carries ("Luật Đất đai"): said so, in the refusal too.
  const unknown = missing.length ? [] : unknownLawNames(index, answer.question);
  if (unknown.length && answer.abstained)
    return { ...answer, answer: `${unknown.join(", ")} chưa có trong kho văn bản của trợ lý.\n\n${answer.answer}`, lead: answer.lead };
  notes.push(...unknown.map((n) => `Lưu ý: ${n} chưa có trong kho văn bản của trợ lý; nội dung trên là quy định của văn bản khác.`));
  if (!notes.length || answer.abstained) return answer;
  // The value asked of a document the corpus lacks, and no quote states it: only the document would, so the reply
  // declines what was asked (it still shows where the document is mentioned).
  const declines = missing.length > 0 && answer.lead.startsWith(UNSTATED_PREFIX);
  return { ...answer, answer: [answer.answer, "", ...notes].join("\n"), ...(declines ? { abstained: true } : {}) };
}

/** The start of a question, where the law it is asked under is named ("Theo Luật X, …", "Luật X quy định …"). */
const opening = (question: string) =>
  question.replace(/^(?:theo|trong|căn cứ|tại|về)\s+/iu, "").replace(/^(?!(?:Bộ luật|Luật|Pháp lệnh) ).*$/su, "");

/**
 * Laws the question names by title ("Luật Đất đai quy định …") that no document of the corpus is called, with
 * abbreviations spelled out as the question's own reading does ("Luật Hỗ trợ DNNVV" is a name the corpus knows).
 */
export function unknownLawNames(index: Pick<LoadedIndex, "names" | "analyzer">, question: string): string[] {
  const out: string[] = [];
  for (const m of question.matchAll(LAW_NAME)) {
    const words = m[1]!.split(" ");
    const end = words.findIndex((w, i) => i > 1 && LAW_NAME_ENDS.includes(fold(w.replace(/,$/, ""))));
    const name = words
      .slice(0, end > 0 ? end : words.length)
      .join(" ")
      .replace(/,$/, "");
    const spelled = index.analyzer
      .query(name)
      .tokens.map((t) => t.orig)
      .join(" ");
    if (!index.names.mentioned(`${name} . ${spelled}`).ids.length && !out.includes(name)) out.push(name);
  }
  return out;
}

/**
 * Answers from `index`; when a segment file turns out damaged, waits for the segment to be rebuilt from its corpus
 * document and answers again (once). Damage that cannot be repaired is thrown (and reported by /readyz).
 */
async function answerRepairing(index: LoadedIndex, question: string, replyWriter?: ReplyWriter, options?: AskOptions): Promise<Answer> {
  try {
    return await answerQuestion(index, question, replyWriter, options);
  } catch (err) {
    if (!isIndexDamage(err) || !(await index.health.report(err))) throw err;
    return answerQuestion(index, question, replyWriter, options);
  }
}

export function assistantFromIndex(initial: LoadedIndex, replyWriter?: ReplyWriter, log?: Logger): Assistant {
  let current = initial;
  if (log) current.health.useLog(log);
  return {
    ask: (q, options) => answerRepairing(current, q, replyWriter, options),
    section: (doc, id) => current.section(doc, id),
    documents: () => current.documents,
    profile: () => current.profile,
    index: () => current,
    swap(next) {
      const replaced = current;
      current = next;
      if (log) current.health.useLog(log);
      // The replaced version's arrays (gigabytes on a large corpus) go back to the system once answers let go of it.
      if (replaced !== next) void collectWhenUnreachable(replaced);
    },
  };
}

export async function createAssistant(config: Config, log?: Logger): Promise<Assistant> {
  return assistantFromIndex(await openIndex(config, log), config.ANSWER_MODE === "llm" ? replyWriterFor(config, log) : undefined, log);
}

/** The model writer, checking agency names against the corpus's agency catalogue when there is one. */
function replyWriterFor(config: Config, log?: Logger): ReplyWriter {
  return createReplyWriter(config, log, agencySpans(config.corpusDir, log));
}

/** Agency names in a text, from the corpus's agency catalogue (undefined when the corpus has none). */
export function agencySpans(corpusDir: string, log?: Logger): AgencySpans | undefined {
  try {
    const registry = loadAgencyRegistry(path.join(corpusDir, "agencies.json"));
    return (text) => registry.find(text);
  } catch (err) {
    log?.warn("no agency catalogue: agency names are not recognised in replies and follow-ups", { err: (err as Error).message });
    return undefined;
  }
}
