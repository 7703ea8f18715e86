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
  /**
   * A server starting while PostgreSQL is down (or still starting) waits for it: connection failures are retried
   * with capped exponential backoff, each reported to `onRetry`. Unset: the first failure is thrown (the CLI).
   */
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void;
  /** Follow-up memory limits (config CONVERSATION_TTL_MINUTES, CONVERSATION_MAX_TURNS). */
  conversations?: { ttlMs: number; maxTurns: number };
}

/** First wait after a failed connection, and the longest (the wait doubles in between). */
export const RETRY_FIRST_MS = 500;
export const RETRY_MAX_MS = 30_000;

/** Errors that mean "the database is not reachable yet" (not a bad password, a missing database or a bad migration). */
function unreachable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|57P0[1-3])$/.test(code))
    return true;
  return err instanceof Error && /Connection terminated|timeout expired|the database system is (starting|shutting) up/i.test(err.message);
}

async function retrying<T>(work: () => Promise<T>, onRetry: PgStoreOptions["onRetry"]): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!onRetry || !unreachable(err)) throw err;
      const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (attempt - 1));
      onRetry(attempt, delay, err);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

export async function openPgStores(url: string, opts: PgStoreOptions = {}): Promise<PgStores> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection (database restart) must not crash the process; the pool replaces it.
  pool.on("error", () => undefined);
  try {
    await retrying(() => migrate(pool), opts.onRetry);
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
