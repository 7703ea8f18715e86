// The question log: every answered question from every channel (user ids hashed, as feedback votes are), so
// staff see what users could not get answered (abstentions and 👎), grouped by similar question, and usage.
// SQLite under DATA_DIR, or PostgreSQL shared by replicas (src/store); the conversation layer calls `record` after each answer.
import crypto from "node:crypto";
import path from "node:path";
import { silentLogger, type Logger } from "../log.js";
import { openSqliteQuestionLog, QUESTIONS_DB_FILE, type QuestionLogStore, type QuestionRow } from "../store/index.js";
import { fold } from "../text/vietnamese.js";
import type { Answer } from "../types.js";

export interface QuestionRecord {
  channel: string;
  userId: string;
  answer: Answer;
  /** The feedback store's id of the answer, which 👍/👎 votes refer to. */
  answerId?: number;
}

/** Similar questions seen together: the first wording, how often, when last, and what was answered. */
export interface UnansweredGroup {
  key: string;
  question: string;
  variants: string[];
  count: number;
  abstained: number;
  downvoted: number;
  channels: string[];
  firstSeen: string;
  lastSeen: string;
  answer: string;
  handled: boolean;
}

export interface UsageStats {
  days: { day: string; channel: string; questions: number; abstained: number }[];
  /** 👍/👎 per channel over the same days (each voter's latest vote on an answer counts), when votes are kept. */
  votes?: { channel: string; up: number; down: number }[];
  documents: { doc: string; questions: number }[];
  agencies: { agency: string; questions: number }[];
  total: number;
}

export interface QuestionLog {
  /** Never rejects: a failed write is logged (the user has the answer already). */
  record(r: QuestionRecord): Promise<void>;
  /** Groups of abstained or 👎 questions, open ones first, then by count. */
  unanswered(opts?: { downvoted?: Iterable<number>; includeHandled?: boolean }): Promise<UnansweredGroup[]>;
  /** Marks a group handled: it reappears only if asked again afterwards. */
  markHandled(key: string, by: string): Promise<void>;
  /** Usage per local day and channel over `days`, most cited documents, most named agencies. */
  stats(opts?: { days?: number; tzOffsetMinutes?: number; agenciesOf?: (question: string) => string[] }): Promise<UsageStats>;
  close(): Promise<void>;
}

export const questionLogFile = (dataDir: string) => path.join(dataDir, QUESTIONS_DB_FILE);

const userHash = (channel: string, userId: string) => crypto.createHash("sha256").update(`${channel}:${userId}`).digest("hex").slice(0, 32);

/** The words of a question, diacritics and case folded: "Học phí tăng?" and "hoc phi tang" are one set. */
export function questionTokens(question: string): Set<string> {
  return new Set(
    fold(question)
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean),
  );
}

/** Jaccard similarity of two word sets. */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 1;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Two wordings count as the same question from this similarity on. */
export const SAME_QUESTION = 0.6;

const keyOf = (tokens: Set<string>) => [...tokens].sort().join(" ");

interface Building extends UnansweredGroup {
  tokens: Set<string>;
}

function groupRows(rows: QuestionRow[], downvoted: Set<number>): Building[] {
  const groups: Building[] = [];
  for (const r of rows) {
    const tokens = questionTokens(r.question);
    let g = groups.find((x) => similarity(x.tokens, tokens) >= SAME_QUESTION);
    if (!g) {
      const first = { firstSeen: r.createdAt, lastSeen: r.createdAt, answer: r.answer, handled: false };
      g = { key: keyOf(tokens), tokens, question: r.question, variants: [], count: 0, abstained: 0, downvoted: 0, channels: [], ...first };
      groups.push(g);
    }
    g.count++;
    if (r.abstained) g.abstained++;
    if (r.answerId !== null && downvoted.has(r.answerId)) g.downvoted++;
    if (!g.channels.includes(r.channel)) g.channels.push(r.channel);
    if (r.question !== g.question && !g.variants.includes(r.question) && g.variants.length < 5) g.variants.push(r.question);
    if (r.createdAt > g.lastSeen) {
      g.lastSeen = r.createdAt;
      g.answer = r.answer;
    }
  }
  return groups;
}

type StatsOptions = NonNullable<Parameters<QuestionLog["stats"]>[0]>;

function statsOf(rows: QuestionRow[], opts: StatsOptions): UsageStats {
  const tz = opts.tzOffsetMinutes ?? 0;
  const perDay = new Map<string, { day: string; channel: string; questions: number; abstained: number }>();
  const docs = new Map<string, number>();
  const agencies = new Map<string, number>();
  for (const r of rows) {
    const day = new Date(Date.parse(r.createdAt) + tz * 60_000).toISOString().slice(0, 10);
    const k = `${day} ${r.channel}`;
    const d = perDay.get(k) ?? { day, channel: r.channel, questions: 0, abstained: 0 };
    d.questions++;
    d.abstained += r.abstained ? 1 : 0;
    perDay.set(k, d);
    if (r.topDoc) docs.set(r.topDoc, (docs.get(r.topDoc) ?? 0) + 1);
    for (const a of new Set(opts.agenciesOf?.(r.question) ?? [])) agencies.set(a, (agencies.get(a) ?? 0) + 1);
  }
  const top = <K extends string>(m: Map<string, number>, name: K) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([k, n]) => ({ [name]: k, questions: n }) as Record<K, string> & { questions: number });
  return {
    days: [...perDay.values()].sort((a, b) => b.day.localeCompare(a.day) || a.channel.localeCompare(b.channel)),
    documents: top(docs, "doc"),
    agencies: top(agencies, "agency"),
    total: rows.length,
  };
}

/** The log over its storage (SQLite under DATA_DIR, or PostgreSQL shared by replicas). */
export function questionLog(store: QuestionLogStore, log: Logger = silentLogger): QuestionLog {
  return {
    async record({ channel, userId, answer, answerId }) {
      const top = answer.abstained ? null : (answer.citations[0]?.doc ?? null);
      try {
        await store.insert({
          channel,
          userHash: userHash(channel, userId),
          question: answer.question,
          abstained: answer.abstained,
          answer: answer.answer,
          topDoc: top,
          answerId: answerId ?? null,
          createdAt: new Date().toISOString(),
        });
      } catch (err) {
        // The user has the answer already; a full disk must not turn it into an error.
        log.error("question log write failed", { err: err instanceof Error ? err.message : String(err) });
      }
    },
    async unanswered(opts = {}) {
      const downvoted = new Set(opts.downvoted ?? []);
      const groups = groupRows(await store.candidates([...downvoted]), downvoted);
      const handled = (await store.handled()).map((h) => ({ tokens: new Set(h.key.split(" ")), at: h.at }));
      for (const g of groups) g.handled = handled.some((h) => h.at >= g.lastSeen && similarity(h.tokens, g.tokens) >= SAME_QUESTION);
      return groups
        .filter((g) => opts.includeHandled || !g.handled)
        .sort((a, b) => Number(a.handled) - Number(b.handled) || b.count - a.count || b.lastSeen.localeCompare(a.lastSeen))
        .map(({ tokens: _t, ...g }) => g);
    },
    async markHandled(key, by) {
      await store.markHandled(key, new Date().toISOString(), by);
    },
    async stats(opts = {}) {
      const days = opts.days ?? 30;
      return statsOf(await store.since(new Date(Date.now() - days * 86_400_000).toISOString()), opts);
    },
    close: async () => void (await store.close()),
  };
}

/** Opens (creating if needed) a log in SQLite; ":memory:" for a throwaway one. */
export function openQuestionLog(file: string, log: Logger = silentLogger): QuestionLog {
  return questionLog(openSqliteQuestionLog(file), log);
}
