// Shared by every replica: update de-duplication, rate-limit counters, polling leases, the last turn per chat.
import type pg from "pg";
import type { ChatMemoryStore, ConversationStore, LeaseStore, RateDecision, RateStore, SeenStore, Turn } from "../types.js";
import { batcher, jsonParam } from "./batch.js";
import type { WriteQueue } from "./writes.js";

/** Keys older than this are forgotten (platforms stop redelivering long before). */
const SEEN_RETENTION = "1 day";
/** Old keys are pruned on every this-many inserts rather than on a timer. */
const PRUNE_EVERY = 500;

export function pgSeenStore(pool: pg.Pool): SeenStore {
  let inserts = 0;
  return {
    async firstSeen(key) {
      if (++inserts % PRUNE_EVERY === 0) await pool.query(`DELETE FROM seen_updates WHERE seen_at < now() - interval '${SEEN_RETENTION}'`);
      // Re-taking a key whose row expired but is not yet pruned counts as first seen.
      const r = await pool.query({
        name: "seen_first",
        text: `INSERT INTO seen_updates (key) VALUES ($1)
               ON CONFLICT (key) DO UPDATE SET seen_at = now() WHERE seen_updates.seen_at < now() - interval '${SEEN_RETENTION}'`,
        values: [key],
      });
      return r.rowCount === 1;
    },
  };
}

type RateRow = { allowed: boolean; retry_ms: string; first_refusal: boolean; hits: number };
const decision = (row: RateRow): RateDecision => ({
  allowed: row.allowed,
  retryInMs: Number(row.retry_ms),
  firstRefusal: row.first_refusal,
  count: row.hits,
});

interface BeginRequest {
  key: string;
  now: number;
  window: number;
  limit: number;
  conversation: string;
  ttl: number;
}

/**
 * Rate counters; `takeAndRead` also reads a conversation's turns (limits.ttlMs) in the same round trip, and the
 * `takeAndRead` calls made while one is in flight go together as one statement (ask_begin_many, migration 006).
 */
export function pgRateStore(pool: pg.Pool, limits: { ttlMs: number }): RateStore {
  const begins = batcher<BeginRequest, RateRow & { turns: Turn[] | null }>(async (requests) => {
    const r = await pool.query<{ out: (RateRow & { n: number; turns: Turn[] | null })[] }>({
      name: "ask_begin_many",
      text: "SELECT ask_begin_many($1) AS out",
      values: [jsonParam(requests)],
    });
    const out = r.rows[0]!.out;
    const byN = new Map(out.map((row) => [row.n, row]));
    return requests.map((_, i) => byN.get(i + 1)!);
  });
  return {
    async take(key, limit, windowMs, nowMs) {
      const r = await pool.query<RateRow>({
        name: "rate_take",
        text: "SELECT * FROM rate_take($1, $2, $3, $4)",
        values: [key, Math.round(nowMs), windowMs, limit],
      });
      return decision(r.rows[0]!);
    },
    async takeAndRead(key, limit, windowMs, nowMs, conversation) {
      const row = await begins.push({ key, now: Math.round(nowMs), window: windowMs, limit, conversation, ttl: limits.ttlMs });
      return row.allowed ? { ...decision(row), turns: row.turns ?? [] } : decision(row);
    },
  };
}

export function pgLeaseStore(pool: pg.Pool): LeaseStore {
  return {
    async acquire(name, holder, ttlMs) {
      const r = await pool.query(
        `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.holder = excluded.holder OR leases.expires_at < now()`,
        [name, holder, ttlMs],
      );
      return r.rowCount === 1;
    },
    async release(name, holder) {
      await pool.query("DELETE FROM leases WHERE name = $1 AND holder = $2", [name, holder]);
    },
  };
}

/** A chat's last turn is kept this long: a follow-up a day later starts afresh (pruned by apply_writes). */
const MEMORY_RETENTION = "1 day";

export function pgChatMemory(pool: pg.Pool, writes: WriteQueue): ChatMemoryStore {
  return {
    remember: (chatKey, value) => writes.push({ op: "memory", key: chatKey, value }),
    async recall(chatKey) {
      const r = await pool.query<{ value: unknown }>({
        name: "memory_recall",
        text: `SELECT value FROM chat_memory WHERE chat_key = $1 AND updated_at >= now() - interval '${MEMORY_RETENTION}'`,
        values: [chatKey],
      });
      return r.rows[0]?.value;
    },
  };
}

/** Follow-up turns per conversation, the newest `maxTurns` within `ttlMs` (database clock). */
export function pgConversationStore(pool: pg.Pool, writes: WriteQueue, limits: { ttlMs: number; maxTurns: number }): ConversationStore {
  return {
    async get(id) {
      const r = await pool.query<{ turn: Turn }>({
        name: "conversation_get",
        text: "SELECT turn FROM conversation_turns WHERE conversation = $1 AND at > now() - $2 * interval '1 millisecond' ORDER BY seq",
        values: [id, limits.ttlMs],
      });
      return r.rows.map((row) => row.turn);
    },
    append: (id, turn) => writes.push({ op: "turn", id, turn }),
    async reset(id) {
      await pool.query("DELETE FROM conversation_turns WHERE conversation = $1", [id]);
    },
    close: () => undefined,
  };
}
