// The audit log of corpus changes (who, what, when, from which channel, outcome): SQLite under DATA_DIR, or
// PostgreSQL shared by replicas (src/store). Every change path (CLI, chat, HTTP, web console) goes through
// CorpusAdmin, whose operations record here.
import path from "node:path";
import { AUDIT_DB_FILE, openSqliteAuditLog, type AuditChannel, type AuditDocChange, type AuditLog } from "../store/index.js";
import type { AddInput, ChangeReport, CorpusAdmin } from "./corpus-admin.js";
import type { DocDiff } from "./diff.js";
import { isCorpusError } from "../corpus/ingest/index.js";

export type { AuditChannel, AuditDocChange, AuditEntry, AuditLog, NewAuditEntry } from "../store/index.js";

/** Who made a change: a console account, "admin-token", a chat admin ("telegram:123"), the OS user of the CLI. */
export interface Actor {
  who: string;
  channel: AuditChannel;
}

export const auditFile = (dataDir: string) => path.join(dataDir, AUDIT_DB_FILE);

/** Opens (creating if needed) an audit log in SQLite; ":memory:" for a throwaway one. */
export const openAuditLog = (file: string): AuditLog => openSqliteAuditLog(file);

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
        await audit?.record({
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
        await Promise.resolve(audit?.record({ ...base, outcome: refused ? "refused" : "failed", detail: refused ? err.vi : null })).catch(
          () => undefined, // the refusal is what the caller must see
        );
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
