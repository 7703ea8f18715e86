// Follow-ups on every channel: a question is read with the chat's last turns (by the model when one is
// configured, else by the rules of followups.ts), answered as a stand-alone question, and remembered.
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.js";
import { silentLogger, type Logger } from "../log.js";
import type { Answer, DocumentMeta } from "../types.js";
import { openSqliteConversationStore, type ConversationStore, type Turn } from "./conversation-store.js";
import {
  asksForMore,
  loadFollowupLexicon,
  readFollowup,
  topicOf,
  type AgencyFinder,
  type FollowupLexicon,
  type Reading,
} from "./followups.js";

/** A model that rewrites a follow-up into a stand-alone question (null: no opinion, use the rules). */
export type QuestionRewriter = (question: string, turns: Turn[]) => Promise<string | null>;

export interface ConversationOptions {
  store: ConversationStore;
  /** Follow-up vocabulary (corpus/followups.json); without it only the model rewrites. */
  lexicon?: FollowupLexicon;
  agencies?: AgencyFinder;
  rewriter?: QuestionRewriter;
  log?: Logger;
}

/** Questions up to this many words go to the model for a reading even when no rule sees a follow-up. */
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
   * remember the turn. The answer keeps the question as typed and gains `resolvedQuestion` when it was rewritten.
   * `prefetched`: the conversation's turns, when already read (with the rate limit, in one round trip).
   * The turn's write is queued, not awaited: the answer's next write (the chat's last answer) resolves after it.
   */
  async answer(
    id: string,
    question: string,
    ask: (q: string) => Promise<Answer>,
    documents: DocumentMeta[],
    prefetched?: Turn[],
  ): Promise<Answer> {
    const turns = prefetched ?? (await this.turns(id));
    const reading = await this.read(question, turns, documents);
    const answer = await ask(reading.standalone);
    const rewritten = reading.standalone !== question;
    if (!answer.abstained) void this.remember(id, question, reading, answer);
    return { ...answer, question, ...(rewritten ? { resolvedQuestion: reading.standalone } : {}) };
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
   * The rules' reading; with a model, it rewrites every question the rules take for a follow-up, and short
   * ones they do not recognise (a long question names its own topic: no model call for it).
   */
  async read(question: string, turns: Turn[], documents: DocumentMeta[]): Promise<Reading> {
    const previous = turns[turns.length - 1];
    const { lexicon, rewriter } = this.opts;
    const documentName = (docId: string) => {
      const doc = documents.find((d) => d.id === docId);
      return doc?.aliases[0] ?? doc?.shortTitle;
    };
    const byRules: Reading = lexicon
      ? readFollowup(question, previous, lexicon, { agencies: this.opts.agencies, documentName })
      : { kind: "new", standalone: question, topic: question };
    const short = question.split(/\s+/).length <= MODEL_SHORT_WORDS;
    if (!previous || !rewriter || (byRules.kind === "new" && !short)) return byRules;
    const standalone = await rewriter(question, turns).catch((err: unknown) => {
      this.log.warn("question rewriting by the model failed; using the rules", { err: (err as Error).message });
      return null;
    });
    if (!standalone) return byRules;
    return { kind: "model", standalone, topic: lexicon ? topicOf(standalone, lexicon) || standalone : standalone };
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
    const agencySpan = this.opts.agencies?.(reading.standalone)[0];
    const turn: Turn = {
      question,
      standalone: reading.standalone,
      topic: reading.topic,
      ...(agencySpan ? { agency: reading.standalone.slice(agencySpan.start, agencySpan.end) } : {}),
      docs: [...new Set(answer.citations.map((c) => c.doc))],
      // Each quote shown is an item ("cái thứ 2" = the second quote of the reply).
      items: [...new Set(answer.citations.map((c) => itemOf(c.quote)))],
    };
    try {
      await this.opts.store.append(id, turn);
    } catch (err) {
      this.log.error("conversation store write failed", { err });
    }
  }
}

/** Conversations stored in DATA_DIR/conversations.sqlite, with the corpus's follow-up vocabulary when present. */
export function openConversations(
  config: Pick<Config, "dataDir" | "corpusDir" | "CONVERSATION_TTL_MINUTES" | "CONVERSATION_MAX_TURNS">,
  parts: { agencies?: AgencyFinder; rewriter?: QuestionRewriter; log?: Logger; store?: ConversationStore },
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
