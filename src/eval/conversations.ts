// Conversation sets (test/conversations.jsonl): one conversation per line, each turn scored like an eval item,
// then the figures that matter for follow-ups: first turns, follow-up turns, whole conversations right, and
// topic switches that carried the previous topic. Splits are fixed by a seeded shuffle of the conversation ids.
import { z } from "zod";
import type { Answer } from "../types.js";
import { evalItemSchema, readJsonl, scoreItem, type ItemResult } from "./metrics.js";

/** What a turn tests: a first question, or how a later one relates to the conversation so far. */
export const TURN_KINDS = ["first", "aspect", "swap", "correction", "reference", "switch", "oos"] as const;

const turnSchema = evalItemSchema.omit({ id: true }).extend({ kind: z.enum(TURN_KINDS) });
export const conversationSchema = z.object({
  id: z.string(),
  persona: z.string().optional(),
  turns: z.array(turnSchema).min(1),
});
export type Conversation = z.infer<typeof conversationSchema>;
export type ConversationTurn = Conversation["turns"][number];

export function readConversationFile(file: string): Conversation[] {
  return readJsonl(file, conversationSchema, "a conversation");
}

export type Split = "train" | "dev" | "test";

/** Shares of conversations per split (the rest is test). */
export const SPLIT_SHARES = { train: 0.5, dev: 0.2 };
/** The seed of the split: changing it re-deals every conversation, so it never changes. */
export const SPLIT_SEED = 19;

/** mulberry32: a small deterministic generator, so the split is the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The split of each conversation id: ids sorted, shuffled with SPLIT_SEED, then cut by SPLIT_SHARES. */
export function splitOf(ids: string[], seed = SPLIT_SEED): Map<string, Split> {
  const order = [...ids].sort();
  const next = random(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const train = Math.round(order.length * SPLIT_SHARES.train);
  const dev = Math.round(order.length * SPLIT_SHARES.dev);
  return new Map(order.map((id, i) => [id, i < train ? "train" : i < train + dev ? "dev" : "test"]));
}

export interface TurnResult {
  conversation: string;
  turn: number;
  kind: ConversationTurn["kind"];
  question: string;
  /** The stand-alone question answered, when the conversation layer read the turn with its context. */
  resolved?: string;
  /** `resolved` was shown to the user ("Câu hỏi được hiểu là …"): it reads as one clean question. */
  shown?: boolean;
  pass: boolean;
  item: ItemResult;
}

/** Pass: right abstention; when answering, an expected section in the top 5 and every fact in the reply. */
export function scoreTurn(
  conversation: string,
  index: number,
  turn: ConversationTurn,
  answer: Answer,
  sources: Map<string, string>,
): TurnResult {
  const item = scoreItem({ ...turn, id: `${conversation}.${index + 1}` }, answer, sources);
  const rightSection = !turn.expect.length || (item.hitRank !== null && item.hitRank <= 5);
  const pass = turn.should_abstain
    ? item.abstained
    : !item.abstained && rightSection && !item.missingIncludes.length && !item.forbidden.length;
  return {
    conversation,
    turn: index,
    kind: turn.kind,
    question: turn.question,
    ...(answer.contextReading ? { resolved: answer.contextReading, shown: answer.resolvedQuestion !== undefined } : {}),
    pass,
    item,
  };
}

export interface ConversationMetrics {
  conversations: number;
  turns: number;
  first_turns: number;
  followup_turns: number;
  /** Share of first turns that pass. */
  first_pass: number;
  /** Share of later turns that pass. */
  followup_pass: number;
  /** Conversations whose every turn passes. */
  conversations_right: number;
  /** Turns that change topic ("switch") but were read with the previous topic (shown to the user or not). */
  switches_carried: number;
  /** Turns read with the conversation's context, and how many of those readings were shown as clean questions. */
  context_readings: number;
  context_readings_shown: number;
  /** Turns the documents do not answer (`should_abstain`), and the share of them declined. */
  abstain_turns: number;
  abstain_declined: number;
  /** The same share counting a reply that leads with "Văn bản không nêu …" (issue 18's near-topic criterion). */
  abstain_declined_or_unstated: number;
  /** Answerable turns whose lead still says "Văn bản không nêu …" (the documents state it). */
  answerable_unstated: number;
  by_kind: Record<string, { turns: number; pass: number }>;
}

const ratio = <T>(rs: T[], test: (r: T) => boolean) => (rs.length ? Math.round((rs.filter(test).length / rs.length) * 1000) / 1000 : 1);

export function conversationMetrics(results: TurnResult[]): ConversationMetrics {
  const share = (rs: TurnResult[]) => ratio(rs, (r) => r.pass);
  const first = results.filter((r) => r.turn === 0);
  const later = results.filter((r) => r.turn > 0);
  const abstaining = results.filter((r) => r.item.shouldAbstain);
  const ids = [...new Set(results.map((r) => r.conversation))];
  const by_kind: ConversationMetrics["by_kind"] = {};
  for (const kind of TURN_KINDS) {
    const rs = results.filter((r) => r.kind === kind);
    if (rs.length) by_kind[kind] = { turns: rs.length, pass: share(rs) };
  }
  return {
    conversations: ids.length,
    turns: results.length,
    first_turns: first.length,
    followup_turns: later.length,
    first_pass: share(first),
    followup_pass: share(later),
    conversations_right: ids.filter((id) => results.every((r) => r.conversation !== id || r.pass)).length,
    switches_carried: results.filter((r) => r.kind === "switch" && r.resolved !== undefined).length,
    context_readings: results.filter((r) => r.resolved !== undefined).length,
    context_readings_shown: results.filter((r) => r.shown).length,
    abstain_turns: abstaining.length,
    abstain_declined: ratio(abstaining, (r) => r.item.abstained),
    abstain_declined_or_unstated: ratio(abstaining, (r) => r.item.abstained || !!r.item.unstated),
    answerable_unstated: results.filter((r) => !r.item.shouldAbstain && r.item.unstated).length,
    by_kind,
  };
}
