// Every shared store on one PostgreSQL connection pool, after the migrations.
import pg from "pg";
import type { Stores } from "../types.js";
import { pgFeedbackStore } from "./feedback.js";
import { pgChatMemory, pgConversationStore, pgLeaseStore, pgRateStore, pgSeenStore } from "./guards.js";
import { migrate } from "./migrate.js";
import { pgOaTokens } from "./oa-tokens.js";
import { pgReminderStore } from "./reminders.js";
import { pgAuditLog, pgOriginals, pgQuestionLog, pgSessions } from "./staff.js";
import { pgVersionStore } from "./versions.js";
import { writeQueue } from "./writes.js";

export interface PgStores extends Stores {
  readonly pool: pg.Pool;
}

export interface PgStoreOptions {
  poolSize?: number;
  /** Follow-up memory limits (config CONVERSATION_TTL_MINUTES, CONVERSATION_MAX_TURNS). */
  conversations?: { ttlMs: number; maxTurns: number };
}

export async function openPgStores(url: string, opts: PgStoreOptions = {}): Promise<PgStores> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection (database restart) must not crash the process; the pool replaces it.
  pool.on("error", () => undefined);
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  const limits = opts.conversations ?? { ttlMs: 30 * 60_000, maxTurns: 6 };
  const writes = writeQueue(pool, limits);
  let closed: Promise<void> | undefined;
  const versions = pgVersionStore(pool);
  return {
    kind: "postgres",
    pool,
    reminders: pgReminderStore(pool),
    feedback: pgFeedbackStore(pool),
    seen: pgSeenStore(pool),
    rates: pgRateStore(pool, limits),
    memory: pgChatMemory(pool, writes),
    conversations: pgConversationStore(pool, writes, limits),
    leases: pgLeaseStore(pool),
    oaTokens: pgOaTokens(pool),
    versions,
    questions: pgQuestionLog(pool, writes),
    audit: pgAuditLog(pool),
    sessions: pgSessions(pool),
    originals: pgOriginals(pool),
    ping: async () => void (await pool.query("SELECT 1")),
    close: () => {
      versions.dropLocks();
      return (closed ??= pool.end());
    },
  };
}
