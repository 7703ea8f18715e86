// The audit log of corpus changes (who, what, when, from which channel, outcome) in SQLite under DATA_DIR.
// Every change path (CLI, chat, HTTP, web console) goes through CorpusAdmin, which records here.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { AddInput, ChangeReport, CorpusAdmin } from "./corpus-admin.js";
import type { DocDiff } from "./diff.js";
import { isCorpusError } from "../corpus/ingest/index.js";

/** Where a change came from. */
export type AuditChannel = "console" | "cli" | "chat" | "http";

/** Who made a change: a console account, "admin-token", a chat admin ("telegram:123"), the OS user of the CLI. */
export interface Actor {
  who: string;
  channel: AuditChannel;
}

/** What changed per document, as the versions page shows it. */
export interface AuditDocChange {
  id: string;
  shortTitle: string;
  kind: "added" | "removed" | "changed";
  sections: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  who: string;
  channel: AuditChannel;
  /** The change: add, remove, status, update, reindex, rollback. */
  action: string;
  /** The document or version it concerns. */
  target: string | null;
  outcome: "ok" | "refused" | "failed";
  /** The index version the change produced (null when refused). */
  version: string | null;
  previous: string | null;
  changes: AuditDocChange[];
  /** Vietnamese reason of a refusal. */
  detail: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, "id" | "at" | "changes" | "detail" | "version" | "previous"> &
  Partial<Pick<AuditEntry, "changes" | "detail" | "version" | "previous">>;

export interface AuditLog {
  record(entry: NewAuditEntry): void;
  /** Newest first. */
  list(limit?: number): AuditEntry[];
  close(): void;
}

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

export const auditFile = (dataDir: string) => path.join(dataDir, "audit.sqlite");

/** Opens (creating if needed) the audit log; ":memory:" for a throwaway one. */
export function openAuditLog(file: string): AuditLog {
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
    close: () => db.close(),
  };
}

/** The change operations of CorpusAdmin, as every channel calls them. */
export type ChangeOps = Pick<CorpusAdmin, "add" | "remove" | "setStatus" | "update" | "reindex" | "rollback">;

const auditTarget: Record<keyof ChangeOps, (args: unknown[]) => string | null> = {
  add: (a) => (a[0] as AddInput).overrides?.id ?? (a[0] as AddInput).fileName,
  remove: (a) => String(a[0]),
  setStatus: (a) => String(a[0]),
  update: (a) => String(a[0]),
  reindex: () => null,
  rollback: (a) => (a[0] === undefined ? null : String(a[0])),
};

const changesOf = (diff: DocDiff[]): AuditDocChange[] =>
  diff
    .filter((d) => d.kind !== "unchanged")
    .map((d) => ({ id: d.id, shortTitle: d.shortTitle, kind: d.kind as AuditDocChange["kind"], sections: d.sections }));

/**
 * The admin's change operations, each recorded in the audit log with its actor and outcome (refusals too).
 * Without a log the operations run unrecorded.
 */
export function auditedChanges(admin: CorpusAdmin, audit: AuditLog | undefined, actor: Actor): ChangeOps {
  const wrap =
    <K extends keyof ChangeOps>(action: K) =>
    async (...args: Parameters<ChangeOps[K]>): Promise<ChangeReport> => {
      const target = auditTarget[action](args);
      const base = { who: actor.who, channel: actor.channel, action, target };
      try {
        const report = await (admin[action] as (...a: unknown[]) => Promise<ChangeReport>).apply(admin, args);
        const doc = report.document?.id ?? target;
        audit?.record({
          ...base,
          target: doc,
          outcome: "ok",
          version: report.version,
          previous: report.previous,
          changes: changesOf(report.diff),
        });
        return report;
      } catch (err) {
        const refused = isCorpusError(err);
        audit?.record({ ...base, outcome: refused ? "refused" : "failed", detail: refused ? err.vi : null });
        throw err;
      }
    };
  return {
    add: wrap("add"),
    remove: wrap("remove"),
    setStatus: wrap("setStatus"),
    update: wrap("update"),
    reindex: wrap("reindex"),
    rollback: wrap("rollback"),
  };
}
