// The question log in SQLite under DATA_DIR (questions.sqlite): rows as the console's grouping reads them.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { QuestionLogStore, QuestionRow } from "../types.js";

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

export const QUESTIONS_DB_FILE = "questions.sqlite";

type Row = {
  id: number;
  channel: string;
  user_hash: string;
  question: string;
  abstained: number;
  answer: string;
  top_doc: string | null;
  answer_id: number | null;
  created_at: string;
};

const fromRow = (r: Row): QuestionRow => ({
  id: r.id,
  channel: r.channel,
  userHash: r.user_hash,
  question: r.question,
  abstained: r.abstained === 1,
  answer: r.answer,
  topDoc: r.top_doc,
  answerId: r.answer_id,
  createdAt: r.created_at,
});

/** Opens (creating if needed) the log; ":memory:" for a throwaway one. */
export function openSqliteQuestionLog(file: string): QuestionLogStore {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec(schema);
  const insert = db.prepare(
    `INSERT INTO questions (channel, user_hash, question, abstained, answer, top_doc, answer_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const candidates = db.prepare("SELECT * FROM questions WHERE abstained = 1 OR answer_id IN (SELECT value FROM json_each(?)) ORDER BY id");
  const handledRows = db.prepare("SELECT key, handled_at AS at FROM handled");
  const upsertHandled = db.prepare(
    `INSERT INTO handled (key, handled_at, handled_by) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET handled_at = excluded.handled_at, handled_by = excluded.handled_by`,
  );
  const since = db.prepare("SELECT * FROM questions WHERE created_at >= ? ORDER BY id");
  const prune = db.prepare("DELETE FROM questions WHERE created_at < ?");
  return {
    insert(r) {
      insert.run(r.channel, r.userHash, r.question, r.abstained ? 1 : 0, r.answer, r.topDoc, r.answerId, r.createdAt);
    },
    candidates: (ids) => (candidates.all(JSON.stringify(ids)) as Row[]).map(fromRow),
    since: (iso) => (since.all(iso) as Row[]).map(fromRow),
    handled: () => handledRows.all() as { key: string; at: string }[],
    markHandled(key, at, by) {
      upsertHandled.run(key, at, by);
    },
    prune: (iso) => prune.run(iso).changes,
    close: () => void db.close(),
  };
}
