// State of the staff console shared by every replica: the question log, the audit log of corpus changes, console
// sessions (sign in on one replica, be served by another) and the uploaded originals.
import crypto from "node:crypto";
import type pg from "pg";
import type { AuditEntry, AuditLog, OriginalsStore, QuestionLogStore, QuestionRow, SessionBackend } from "../types.js";
import type { WriteQueue } from "./writes.js";

type QuestionDbRow = {
  id: string;
  channel: string;
  user_hash: string;
  question: string;
  abstained: boolean;
  answer: string;
  top_doc: string | null;
  answer_id: string | null;
  created_at: string;
};

const fromRow = (r: QuestionDbRow): QuestionRow => ({
  id: Number(r.id),
  channel: r.channel,
  userHash: r.user_hash,
  question: r.question,
  abstained: r.abstained,
  answer: r.answer,
  topDoc: r.top_doc,
  answerId: r.answer_id === null ? null : Number(r.answer_id),
  createdAt: r.created_at,
});

/** Rows are written through the answer path's write queue (one statement with the answer's other writes). */
export function pgQuestionLog(pool: pg.Pool, writes: WriteQueue): QuestionLogStore {
  return {
    insert: (row) => writes.push({ op: "question", ...row }),
    async candidates(ids) {
      const r = await pool.query<QuestionDbRow>(
        "SELECT * FROM question_log WHERE abstained OR answer_id = ANY ($1::bigint[]) ORDER BY id",
        [ids],
      );
      return r.rows.map(fromRow);
    },
    async since(iso) {
      return (await pool.query<QuestionDbRow>("SELECT * FROM question_log WHERE created_at >= $1 ORDER BY id", [iso])).rows.map(fromRow);
    },
    async handled() {
      return (await pool.query<{ key: string; at: string }>("SELECT key, handled_at AS at FROM question_handled")).rows;
    },
    async markHandled(key, at, by) {
      await pool.query(
        `INSERT INTO question_handled (key, handled_at, handled_by) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET handled_at = excluded.handled_at, handled_by = excluded.handled_by`,
        [key, at, by],
      );
    },
    async prune(iso) {
      return (await pool.query("DELETE FROM question_log WHERE created_at < $1", [iso])).rowCount ?? 0;
    },
    close: () => undefined,
  };
}

export function pgAuditLog(pool: pg.Pool): AuditLog {
  return {
    async record(e) {
      await pool.query(
        `INSERT INTO audit_log (at, who, channel, action, target, outcome, version, previous, changes, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          new Date().toISOString(),
          e.who,
          e.channel,
          e.action,
          e.target,
          e.outcome,
          e.version ?? null,
          e.previous ?? null,
          JSON.stringify(e.changes ?? []),
          e.detail ?? null,
        ],
      );
    },
    async list(limit = 200) {
      const r = await pool.query<AuditEntry & { id: string }>("SELECT * FROM audit_log ORDER BY id DESC LIMIT $1", [limit]);
      return r.rows.map((row) => ({ ...row, id: Number(row.id) }));
    },
    close: () => undefined,
  };
}

const idHash = (id: string) => crypto.createHash("sha256").update(id).digest("hex");

export function pgSessions(pool: pg.Pool): SessionBackend {
  return {
    async put(s) {
      await pool.query("INSERT INTO console_sessions (id_hash, who, csrf, expires) VALUES ($1, $2, $3, $4)", [
        idHash(s.id),
        s.who,
        s.csrf,
        s.expires,
      ]);
    },
    async get(id, nowMs) {
      const r = await pool.query<{ who: string; csrf: string; expires: string }>({
        name: "session_get",
        text: "SELECT who, csrf, expires FROM console_sessions WHERE id_hash = $1 AND expires > $2",
        values: [idHash(id), nowMs],
      });
      const row = r.rows[0];
      return row ? { id, who: row.who, csrf: row.csrf, expires: Number(row.expires) } : undefined;
    },
    async delete(id) {
      await pool.query("DELETE FROM console_sessions WHERE id_hash = $1", [idHash(id)]);
    },
    async prune(nowMs) {
      await pool.query("DELETE FROM console_sessions WHERE expires <= $1", [nowMs]);
    },
  };
}

export function pgOriginals(pool: pg.Pool): OriginalsStore {
  return {
    async keep(name, bytes) {
      const r = await pool.query("INSERT INTO originals (name, bytes) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [name, bytes]);
      return r.rowCount === 1;
    },
    async get(name) {
      return (await pool.query<{ bytes: Buffer }>("SELECT bytes FROM originals WHERE name = $1", [name])).rows[0]?.bytes;
    },
    async remove(name) {
      await pool.query("DELETE FROM originals WHERE name = $1", [name]);
    },
    async list() {
      return (await pool.query<{ name: string }>("SELECT name FROM originals ORDER BY name")).rows.map((r) => r.name);
    },
  };
}
