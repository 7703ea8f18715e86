// The question log: every answered question from every channel (user ids hashed, as feedback votes are), so
// staff see what users could not get answered (abstentions and 👎), grouped by similar question, and usage.
// SQLite under DATA_DIR; the conversation layer calls `record` after each answer.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { silentLogger, type Logger } from "../log.js";
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
  documents: { doc: string; questions: number }[];
  agencies: { agency: string; questions: number }[];
  total: number;
}

export interface QuestionLog {
  record(r: QuestionRecord): void;
  /** Groups of abstained or 👎 questions, open ones first, then by count. */
  unanswered(opts?: { downvoted?: Iterable<number>; includeHandled?: boolean }): UnansweredGroup[];
  /** Marks a group handled: it reappears only if asked again afterwards. */
  markHandled(key: string, by: string): void;
  /** Usage per local day and channel over `days`, most cited documents, most named agencies. */
  stats(opts?: { days?: number; tzOffsetMinutes?: number; agenciesOf?: (question: string) => string[] }): UsageStats;
  close(): void;
}

const schema = `
CREATE TABLE IF NOT EXISTS questions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL,
  user_hash TEXT NOT NULL,
  question TEXT NOT NULL,
  abstained INTEGER NOT NULL,
  answer TEXT NOT NULL,
  top_doc TEXT,
  answer_id INTEGER,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS questions_created ON questions (created_at);
CREATE TABLE IF NOT EXISTS handled (
  key TEXT PRIMARY KEY,
  handled_at TEXT NOT NULL,
  handled_by TEXT NOT NULL
);`;

export const questionLogFile = (dataDir: string) => path.join(dataDir, "questions.sqlite");

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

type Row = {
  id: number;
  channel: string;
  question: string;
  abstained: number;
  answer: string;
  answer_id: number | null;
  created_at: string;
};

interface Building extends UnansweredGroup {
  tokens: Set<string>;
}

function groupRows(rows: Row[], downvoted: Set<number>): Building[] {
  const groups: Building[] = [];
  for (const r of rows) {
    const tokens = questionTokens(r.question);
    let g = groups.find((x) => similarity(x.tokens, tokens) >= SAME_QUESTION);
    if (!g) {
      const first = { firstSeen: r.created_at, lastSeen: r.created_at, answer: r.answer, handled: false };
      g = { key: keyOf(tokens), tokens, question: r.question, variants: [], count: 0, abstained: 0, downvoted: 0, channels: [], ...first };
      groups.push(g);
    }
    g.count++;
    if (r.abstained) g.abstained++;
    if (r.answer_id !== null && downvoted.has(r.answer_id)) g.downvoted++;
    if (!g.channels.includes(r.channel)) g.channels.push(r.channel);
    if (r.question !== g.question && !g.variants.includes(r.question) && g.variants.length < 5) g.variants.push(r.question);
    if (r.created_at > g.lastSeen) {
      g.lastSeen = r.created_at;
      g.answer = r.answer;
    }
  }
  return groups;
}

/** Opens (creating if needed) the log; ":memory:" for a throwaway one. */
export function openQuestionLog(file: string, log: Logger = silentLogger): QuestionLog {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec(schema);
  const insert = db.prepare(
    `INSERT INTO questions (channel, user_hash, question, abstained, answer, top_doc, answer_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const candidates = db.prepare("SELECT * FROM questions WHERE abstained = 1 OR answer_id IN (SELECT value FROM json_each(?)) ORDER BY id");
  const handledRows = db.prepare("SELECT key, handled_at FROM handled");
  const upsertHandled = db.prepare(
    `INSERT INTO handled (key, handled_at, handled_by) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET handled_at = excluded.handled_at, handled_by = excluded.handled_by`,
  );
  const since = db.prepare("SELECT channel, question, abstained, top_doc, created_at FROM questions WHERE created_at >= ? ORDER BY id");

  return {
    record({ channel, userId, answer, answerId }) {
      const top = answer.abstained ? null : (answer.citations[0]?.doc ?? null);
      const row = [channel, userHash(channel, userId), answer.question, answer.abstained ? 1 : 0, answer.answer, top, answerId ?? null];
      try {
        insert.run(...row, new Date().toISOString());
      } catch (err) {
        // The user has the answer already; a full disk must not turn it into an error.
        log.error("question log write failed", { err: err instanceof Error ? err.message : String(err) });
      }
    },
    unanswered(opts = {}) {
      const downvoted = new Set(opts.downvoted ?? []);
      const groups = groupRows(candidates.all(JSON.stringify([...downvoted])) as Row[], downvoted);
      const handled = (handledRows.all() as { key: string; handled_at: string }[]).map((h) => ({
        tokens: new Set(h.key.split(" ")),
        at: h.handled_at,
      }));
      for (const g of groups) g.handled = handled.some((h) => h.at >= g.lastSeen && similarity(h.tokens, g.tokens) >= SAME_QUESTION);
      return groups
        .filter((g) => opts.includeHandled || !g.handled)
        .sort((a, b) => Number(a.handled) - Number(b.handled) || b.count - a.count || b.lastSeen.localeCompare(a.lastSeen))
        .map(({ tokens: _t, ...g }) => g);
    },
    markHandled(key, by) {
      upsertHandled.run(key, new Date().toISOString(), by);
    },
    stats(opts = {}) {
      const days = opts.days ?? 30;
      const tz = opts.tzOffsetMinutes ?? 0;
      const rows = since.all(new Date(Date.now() - days * 86_400_000).toISOString()) as (Row & { top_doc: string | null })[];
      const perDay = new Map<string, { day: string; channel: string; questions: number; abstained: number }>();
      const docs = new Map<string, number>();
      const agencies = new Map<string, number>();
      for (const r of rows) {
        const day = new Date(Date.parse(r.created_at) + tz * 60_000).toISOString().slice(0, 10);
        const k = `${day} ${r.channel}`;
        const d = perDay.get(k) ?? { day, channel: r.channel, questions: 0, abstained: 0 };
        d.questions++;
        d.abstained += r.abstained;
        perDay.set(k, d);
        if (r.top_doc) docs.set(r.top_doc, (docs.get(r.top_doc) ?? 0) + 1);
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
    },
    close: () => db.close(),
  };
}
