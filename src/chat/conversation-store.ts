// Short-term memory of a chat for follow-up questions: the last few turns, forgotten after a while.
// Narrow and asynchronous so that another database (PostgreSQL) can sit behind the same interface.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { ConversationStore, Turn } from "../store/types.js";
import type { Clock } from "./limits.js";

export type { ConversationStore, Turn } from "../store/types.js";

export interface ConversationLimits {
  ttlMs: number;
  maxTurns: number;
  now?: Clock;
}

const schema = `
CREATE TABLE IF NOT EXISTS turns (
  conversation TEXT NOT NULL,
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  turn TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_by_conversation ON turns (conversation, seq);
CREATE INDEX IF NOT EXISTS turns_by_time ON turns (at);
`;

/** SQLite store under DATA_DIR (better-sqlite3); ":memory:" for a throwaway one. */
export function openSqliteConversationStore(file: string, limits: ConversationLimits): ConversationStore {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // A lost last turn after a power cut costs a follow-up its context, nothing more: no fsync per answer.
  db.pragma("synchronous = NORMAL");
  db.exec(schema);
  const now = limits.now ?? Date.now;
  const select = db.prepare("SELECT turn FROM turns WHERE conversation = ? AND at > ? ORDER BY seq");
  const insert = db.prepare("INSERT INTO turns (conversation, turn, at) VALUES (?, ?, ?)");
  const trim = db.prepare(
    "DELETE FROM turns WHERE conversation = ? AND seq NOT IN (SELECT seq FROM turns WHERE conversation = ? ORDER BY seq DESC LIMIT ?)",
  );
  const remove = db.prepare("DELETE FROM turns WHERE conversation = ?");
  const expire = db.prepare("DELETE FROM turns WHERE at <= ?");
  const append = db.transaction((id: string, turn: Turn) => {
    insert.run(id, JSON.stringify(turn), now());
    trim.run(id, id, limits.maxTurns);
    // Expired turns of every conversation go too, so the file does not grow without bound.
    expire.run(now() - limits.ttlMs);
  });
  return {
    get: async (id) => (select.all(id, now() - limits.ttlMs) as Array<{ turn: string }>).map((r) => JSON.parse(r.turn) as Turn),
    append: async (id, turn) => void append(id, turn),
    reset: async (id) => void remove.run(id),
    close: () => db.close(),
  };
}
