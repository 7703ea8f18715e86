// Answers shown with buttons, and the 👍/👎 votes on them, in SQLite (better-sqlite3).
// SQLite rather than JSONL: a vote can be changed (upsert by voter), button presses need the stored
// citations by id after a restart, and reports are one SQL query away; writes are atomic (WAL).
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Answer, Citation, MoreAnswer } from "../../types.js";
import { voterKey } from "../keys.js";
import type { FeedbackStore, StoredAnswer, VoteRow } from "../types.js";

/** The SQLite store answers synchronously; it satisfies the shared (awaitable) interface. */
export interface SqliteFeedbackStore extends FeedbackStore {
  recordAnswer(channel: string, answer: Answer): number;
  getAnswer(id: number): StoredAnswer | undefined;
  vote(answerId: number, channel: string, userId: string, value: 1 | -1): boolean;
  votes(limit?: number): VoteRow[];
  close(): void;
}

const schema = `
CREATE TABLE IF NOT EXISTS answers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL,
  question TEXT NOT NULL,
  abstained INTEGER NOT NULL,
  mode TEXT NOT NULL,
  citations TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS votes (
  answer_id INTEGER NOT NULL REFERENCES answers(id),
  channel TEXT NOT NULL,
  voter TEXT NOT NULL,
  value INTEGER NOT NULL CHECK (value IN (-1, 1)),
  voted_at TEXT NOT NULL,
  PRIMARY KEY (answer_id, channel, voter)
);
`;

type Row = {
  id: number;
  channel: string;
  question: string;
  abstained: number;
  citations: string;
  more: string | null;
  created_at: string;
};

/** Opens (creating if needed) the store; pass ":memory:" for a throwaway one. */
export function openFeedbackStore(file: string): SqliteFeedbackStore {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec(schema);
  // Stores created before "Xem thêm" existed gain the column.
  if (!(db.pragma("table_info(answers)") as Array<{ name: string }>).some((c) => c.name === "more"))
    db.exec("ALTER TABLE answers ADD COLUMN more TEXT");

  const insert = db.prepare(
    "INSERT INTO answers (channel, question, abstained, mode, citations, more, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const select = db.prepare("SELECT * FROM answers WHERE id = ?");
  const upsertVote = db.prepare(
    `INSERT INTO votes (answer_id, channel, voter, value, voted_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (answer_id, channel, voter) DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at`,
  );
  const listVotes = db.prepare(
    `SELECT v.answer_id, v.channel, v.value, v.voted_at, a.question, a.citations
     FROM votes v JOIN answers a ON a.id = v.answer_id ORDER BY v.voted_at DESC, v.rowid DESC LIMIT ?`,
  );

  return {
    recordAnswer(channel, answer) {
      const r = insert.run(
        channel,
        answer.question,
        answer.abstained ? 1 : 0,
        answer.mode,
        JSON.stringify(answer.citations),
        answer.more ? JSON.stringify(answer.more) : null,
        new Date().toISOString(),
      );
      return Number(r.lastInsertRowid);
    },
    getAnswer(id) {
      const row = select.get(id) as Row | undefined;
      if (!row) return undefined;
      return {
        id: row.id,
        channel: row.channel,
        question: row.question,
        abstained: row.abstained === 1,
        citations: JSON.parse(row.citations) as Citation[],
        more: row.more ? (JSON.parse(row.more) as MoreAnswer) : null,
        createdAt: row.created_at,
      };
    },
    vote(answerId, channel, userId, value) {
      if (!select.get(answerId)) return false;
      upsertVote.run(answerId, channel, voterKey(channel, userId), value, new Date().toISOString());
      return true;
    },
    votes(limit = 100) {
      const rows = listVotes.all(limit) as Array<{
        answer_id: number;
        channel: string;
        value: 1 | -1;
        voted_at: string;
        question: string;
        citations: string;
      }>;
      return rows.map((r) => ({
        answerId: r.answer_id,
        channel: r.channel,
        value: r.value,
        question: r.question,
        citations: JSON.parse(r.citations) as Citation[],
        votedAt: r.voted_at,
      }));
    },
    close: () => db.close(),
  };
}
