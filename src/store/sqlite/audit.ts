// The audit log of corpus changes in SQLite under DATA_DIR (audit.sqlite).
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { AuditDocChange, AuditEntry, AuditLog } from "../types.js";

const schema = `
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  who TEXT NOT NULL,
  channel TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  outcome TEXT NOT NULL,
  version TEXT,
  previous TEXT,
  changes TEXT NOT NULL,
  detail TEXT
);`;

export const AUDIT_DB_FILE = "audit.sqlite";

/** Opens (creating if needed) the audit log; ":memory:" for a throwaway one. */
export function openSqliteAuditLog(file: string): AuditLog {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // Several processes (server, CLI) write: wait for a lock instead of failing.
  db.pragma("busy_timeout = 5000");
  db.exec(schema);
  const insert = db.prepare(
    `INSERT INTO audit (at, who, channel, action, target, outcome, version, previous, changes, detail)
     VALUES (@at, @who, @channel, @action, @target, @outcome, @version, @previous, @changes, @detail)`,
  );
  const select = db.prepare("SELECT * FROM audit ORDER BY id DESC LIMIT ?");
  type Row = Omit<AuditEntry, "changes"> & { changes: string };
  return {
    record(e) {
      insert.run({
        at: new Date().toISOString(),
        who: e.who,
        channel: e.channel,
        action: e.action,
        target: e.target,
        outcome: e.outcome,
        version: e.version ?? null,
        previous: e.previous ?? null,
        changes: JSON.stringify(e.changes ?? []),
        detail: e.detail ?? null,
      });
    },
    list(limit = 200) {
      return (select.all(limit) as Row[]).map((r) => ({ ...r, changes: JSON.parse(r.changes) as AuditDocChange[] }));
    },
    close: () => void db.close(),
  };
}
