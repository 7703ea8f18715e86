// Follow-ups on every channel: a question is read with the chat's last turns (by the model when one is
// configured and gives a reading, else by measuring candidate readings, readings.ts), answered as a stand-alone
// question, and remembered with the state later turns are read against.
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { silentLogger, type Logger } from "../log.js";
import type { Answer, DocumentMeta, Section } from "../types.js";
import { openSqliteConversationStore, type ConversationStore, type Turn } from "./conversation-store.js";
import { DocumentNames } from "../corpus/names.js";
import { askingStart, detectIntent } from "../retrieve/query.js";
import { headingsAbove, ownText } from "../sections/parse.js";
import { fold } from "../text/vietnamese.js";
import {
  asksForMore,
  asksLocation,
  correctionOf,
  loadFollowupLexicon,
  ordinalOf,
  questionCount,
  referenceIn,
  swapTarget,
  topicOf,
  type AgencyFinder,
  type FollowupLexicon,
  type Reading,
} from "./followups.js";
import { chooseReading, coverageIn, lastAnswered, type ReadContext, type ReadingOptions, type Vocabulary } from "./readings.js";

/** What the conversation layer needs of the answering core (structural: the real Assistant fits). */
export interface Answerer {
  /** `near`: sections ("doc#D26.2") of the previous answer, whose articles the answer prefers. */
  ask(question: string, options?: { near?: readonly string[] }): Promise<Answer>;
  documents(): DocumentMeta[];
  /** The serving index (its analyzer and word weights measure readings); without it, plain word overlap. */
  index?(): Vocabulary;
  /**
   * A cited section (its headings tell what a quote is about; its parent's children are the list it belongs to);
   * without it, quotes alone are measured.
   */
  section?(
    doc: string,
    id: string,
  ): Pick<Section, "breadcrumb" | "headingIsText" | "heading" | "paragraphs" | "parent" | "children"> | undefined;
}

/** The names of a version's documents, made once per version (the documents array is the version's own). */
const namesOf = new WeakMap<DocumentMeta[], DocumentNames>();
function documentNames(documents: DocumentMeta[]): DocumentNames {
  let names = namesOf.get(documents);
  if (!names) namesOf.set(documents, (names = new DocumentNames(documents)));
  return names;
}

/** What reading a turn needs to know of the answering core: its documents' names, its vocabulary, its sections. */
export function readContext(core: Answerer, lexicon: FollowupLexicon, agencies?: AgencyFinder, options?: ReadingOptions): ReadContext {
  const sectionText = (doc: string, id: string) => {
    const section = core.section?.(doc, id);
    return section ? ownText(section).join(" ") || undefined : undefined;
  };
  return {
    lexicon,
    agencies,
    documentName: (docId) => {
      const doc = core.documents().find((d) => d.id === docId);
      return doc?.aliases[0] ?? doc?.shortTitle;
    },
    vocabulary: core.index?.(),
    options,
    namedDocuments: (text) => documentNames(core.documents()).mentioned(text),
    headings: (doc, id) => {
      const section = core.section?.(doc, id);
      return section ? headingsAbove(section) : [];
    },
    listItem: (doc, list, n) => sectionText(doc, core.section?.(doc, list)?.children[n - 1] ?? ""),
    sectionText,
  };
}

/** A model that rewrites a follow-up into a stand-alone question (null: no opinion, use the rules). */
export type QuestionRewriter = (question: string, turns: Turn[]) => Promise<string | null>;

export interface ConversationOptions {
  store: ConversationStore;
  /** Follow-up vocabulary (corpus/followups.json); without it only the model rewrites. */
  lexicon?: FollowupLexicon;
  agencies?: AgencyFinder;
  rewriter?: QuestionRewriter;
  log?: Logger;
  /** Weights of the choice between readings (default `readingOptions`). */
  readingOptions?: ReadingOptions;
}

/** Questions up to this many words go to the model for a reading even when they carry no follow-up phrase. */
const MODEL_SHORT_WORDS = 8;
/** Words of a quote that identify it when a follow-up says "cái thứ 2". */
const ITEM_WORDS = 24;
const itemOf = (quote: string) => quote.split(/\s+/).slice(0, ITEM_WORDS).join(" ");

export class Conversations {
  private readonly log: Logger;

  constructor(private readonly opts: ConversationOptions) {
    this.log = opts.log ?? silentLogger;
  }

  /**
   * Answer `question` in conversation `id`: read it with the previous turns, ask the stand-alone question,
   * remember the turn. The answer keeps the question as typed and gains `resolvedQuestion` when it was read
   * with the conversation's context and that reading says more than the question.
   * `prefetched`: the conversation's turns, when already read (with the rate limit, in one round trip).
   * The turn's write is queued, not awaited: the answer's next write (the chat's last answer) resolves after it.
   */
  async answer(id: string, question: string, core: Answerer, prefetched?: Turn[]): Promise<Answer> {
    const turns = prefetched ?? (await this.turns(id));
    const { reading, answer } = await this.read(question, turns, core);
    void this.remember(id, question, reading, answer);
    // An item read for "cái thứ 2" or "khoản 3 đó" is the document's words, not a question: the reply quotes it
    // under its label, which says what was read.
    const inContext =
      reading.kind !== "new" && reading.kind !== "ordinal" && reading.kind !== "location" && differs(reading.standalone, question);
    const shown = inContext && readsClean(reading.standalone, question, turns, this.opts.lexicon);
    return {
      ...answer,
      question,
      ...(inContext ? { contextReading: reading.standalone } : {}),
      ...(shown ? { resolvedQuestion: reading.standalone } : {}),
    };
  }

  async reset(id: string): Promise<void> {
    await this.opts.store.reset(id);
  }

  close(): void {
    this.opts.store.close();
  }

  /** The message only asks for more of the last reply ("còn gì nữa không?"). */
  asksForMore(question: string): boolean {
    return !!this.opts.lexicon && asksForMore(question, this.opts.lexicon);
  }

  /**
   * The reading to answer and its answer. With a model, it rewrites every question that carries a follow-up
   * phrase, and short ones (a long question names its own topic: no model call for it); when it gives no
   * reading, or there is no model, candidate readings are answered and measured.
   */
  async read(question: string, turns: Turn[], core: Answerer): Promise<{ reading: Reading; answer: Answer }> {
    const previous = lastAnswered(turns);
    const { lexicon, rewriter } = this.opts;
    if (!lexicon) return this.readByModel(question, turns, core);
    if (previous && rewriter && (hasFollowupPhrase(question, lexicon) || question.split(/\s+/).length <= MODEL_SHORT_WORDS)) {
      const byModel = await this.readByModel(question, turns, core);
      if (byModel.reading.kind === "model") return byModel;
    }
    const located = previous && asksLocation(question, lexicon) ? await locate(previous, core) : null;
    if (located) return located;
    const ctx = readContext(core, lexicon, this.opts.agencies, this.opts.readingOptions);
    return chooseReading(question, turns, (q, near) => core.ask(q, near ? { near } : undefined), ctx);
  }

  /** The model's stand-alone question (kind "model"), or the question as typed when it gives none. */
  private async readByModel(question: string, turns: Turn[], core: Answerer): Promise<{ reading: Reading; answer: Answer }> {
    const { lexicon, rewriter } = this.opts;
    const standalone =
      turns.length && rewriter
        ? await rewriter(
            question,
            turns.filter((t) => !t.unanswered),
          ).catch((err: unknown) => {
            this.log.warn("question rewriting by the model failed; using the rules", { err: (err as Error).message });
            return null;
          })
        : null;
    const reading: Reading = standalone
      ? { kind: "model", standalone, topic: lexicon ? topicOf(standalone, lexicon) || standalone : standalone }
      : { kind: "new", standalone: question, topic: lexicon ? topicOf(question, lexicon) || question : question };
    return { reading, answer: await core.ask(reading.standalone) };
  }

  // Memory is a nicety: a failing store means answering without context, never not answering.
  private async turns(id: string): Promise<Turn[]> {
    try {
      return await this.opts.store.get(id);
    } catch (err) {
      this.log.error("conversation store read failed", { err });
      return [];
    }
  }

  private async remember(id: string, question: string, reading: Reading, answer: Answer): Promise<void> {
    // The agency the question named, else the one the answer's lead names ("Ai chủ trì …?" → "cơ quan đó").
    const named = this.opts.agencies?.(reading.standalone)[0];
    const answered = this.opts.agencies?.(answer.lead)[0];
    const agency = named ? reading.standalone.slice(named.start, named.end) : answered && answer.lead.slice(answered.start, answered.end);
    const turn: Turn = {
      question,
      standalone: reading.standalone,
      topic: reading.topic,
      ...(agency ? { agency } : {}),
      docs: [...new Set(answer.citations.map((c) => c.doc))],
      sections: [...new Set(answer.citations.map((c) => `${c.doc}#${c.section}`))],
      aspect: detectIntent(fold(reading.standalone)),
      // Each quote shown is an item ("cái thứ 2" = the second quote of the reply).
      items: [...new Set(answer.citations.map((c) => itemOf(c.quote)))],
      ...(answer.abstained ? { unanswered: true } : {}),
    };
    try {
      await this.opts.store.append(id, turn);
    } catch (err) {
      this.log.error("conversation store write failed", { err });
    }
  }
}

/** Headings longer than this are cut where the reply says where a quote stands (a clause's heading is its text). */
const LOCATION_HEADING_CHARS = 120;

/**
 * "cái đó nằm ở mục nào?": the previous answer's leading quote, asked again near its section, told with where it stands
 * (its document, label and the headings above it). Null when that quote no longer leads the answer (the corpus changed).
 */
async function locate(previous: Turn, core: Answerer): Promise<{ reading: Reading; answer: Answer } | null> {
  const [lead] = previous.sections ?? [];
  const item = previous.items?.[0];
  if (!lead || !item) return null;
  const answer = await core.ask(item, { near: [lead] });
  const first = answer.citations[0];
  if (answer.abstained || !first || `${first.doc}#${first.section}` !== lead) return null;
  const section = core.section?.(first.doc, first.section);
  const cut = (h: string) => (h.length > LOCATION_HEADING_CHARS ? `${h.slice(0, LOCATION_HEADING_CHARS).trimEnd()}…` : h);
  const headings = section
    ? headingsAbove(section)
        .filter(Boolean)
        .map((h) => `«${cut(h)}»`)
    : [];
  const where = `Nội dung đó nằm tại ${first.title}${headings.length ? ` (${headings.join(" › ")})` : ""}.`;
  return {
    reading: { kind: "location", standalone: item, topic: previous.topic },
    answer: { ...answer, lead: where, answer: `${where}\n\n${answer.answer}` },
  };
}

/** The turn carries a phrase that ties it to the conversation (a swap frame, correction, reference, ordinal). */
function hasFollowupPhrase(question: string, lex: FollowupLexicon): boolean {
  return !!(swapTarget(question, lex)?.framed || correctionOf(question, lex) || referenceIn(question, lex) || ordinalOf(question, lex));
}

/** A reading is worth showing when it holds words the question does not (not only its own words re-ordered). */
function differs(reading: string, question: string): boolean {
  return coverageIn(undefined, reading, question) < 1;
}

/**
 * A reading reads as one clean question: not two spliced together, and not a situation told in sentences of its own
 * before the question ("Hi ad, e đang làm startup …, cty 3 năm. Muốn vay …: điều kiện để được cấp bù lãi suất là
 * gì?"), which the user did not say that way and need not read back.
 */
function readsClean(reading: string, question: string, turns: Turn[], lexicon: FollowupLexicon | undefined): boolean {
  return askingStart(reading) === 0 && !spliced(reading, question, turns, lexicon);
}

/**
 * A reading that asks more questions than the turn and the previous question did is two questions spliced into one
 * ("kế hoạch … thì gửi báo cáo về đâu gửi báo cáo tình hình … cho cơ quan nào?"): it may answer well, but shown as
 * "Câu hỏi được hiểu là …" it is not clean words, so it is not shown.
 */
function spliced(reading: string, question: string, turns: Turn[], lexicon: FollowupLexicon | undefined): boolean {
  if (!lexicon) return false;
  const previous = lastAnswered(turns)?.standalone ?? "";
  return questionCount(reading, lexicon) > Math.max(1, questionCount(question, lexicon), questionCount(previous, lexicon));
}

/** Conversations stored in DATA_DIR/conversations.sqlite, with the corpus's follow-up vocabulary when present. */
export function openConversations(
  config: Pick<Config, "dataDir" | "corpusDir" | "CONVERSATION_TTL_MINUTES" | "CONVERSATION_MAX_TURNS">,
  parts: Pick<ConversationOptions, "agencies" | "rewriter" | "log" | "readingOptions"> & { store?: ConversationStore },
): Conversations {
  // A shared store (PostgreSQL, several replicas) when given, else conversations.sqlite in DATA_DIR.
  const store =
    parts.store ??
    openSqliteConversationStore(path.join(config.dataDir, "conversations.sqlite"), {
      ttlMs: config.CONVERSATION_TTL_MINUTES * 60_000,
      maxTurns: config.CONVERSATION_MAX_TURNS,
    });
  const file = path.join(config.corpusDir, "followups.json");
  let lexicon: FollowupLexicon | undefined;
  try {
    lexicon = fs.existsSync(file) ? loadFollowupLexicon(file) : undefined;
    if (!lexicon) parts.log?.warn("corpus has no followups.json: follow-ups are read by the model only");
  } catch (err) {
    parts.log?.error("followups.json is invalid: follow-ups are read by the model only", { err: (err as Error).message });
  }
  return new Conversations({ ...parts, store, lexicon });
}
