// Corpus and index versions in PostgreSQL: stored with their artefacts, one current version, a build lock.
import pg from "pg";
import type { CorpusVersionStore, FileBundle } from "../types.js";
import { checkout, type Checkout } from "./clients.js";

/** Any fixed number: the advisory lock held while a replica builds or publishes a version. */
const BUILD_LOCK = 7_720_014;
/** Any fixed number: the advisory lock held through a corpus change (server or CLI), so changes never overlap. */
export const CHANGE_LOCK = 7_720_015;
/** The channel `publish` notifies with the new current version. */
const CHANNEL = "corpus_version";
/** Wait this long before reconnecting a dropped notification connection. */
const RELISTEN_MS = 1000;

/**
 * Session lock on a connection of its own, without waiting; null when another session holds it. `held` tracks the
 * connections holding it, which closing the store drops (as a killed process would). `onLost` hears when that
 * connection drops while the lock is held (the lock is gone with its session: the change must stop).
 */
async function tryChangeLock(pool: pg.Pool, held: Set<Checkout>, onLost?: (err: Error) => void): Promise<(() => Promise<void>) | null> {
  let holding = false;
  const out = await checkout(pool, (err) => holding && onLost?.(err));
  try {
    const r = await out.client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [CHANGE_LOCK]);
    if (!r.rows[0]?.ok) {
      out.release();
      return null;
    }
  } catch (err) {
    out.release(true);
    throw err;
  }
  if (out.lost()) {
    out.release();
    throw new Error("the change-lock connection dropped while taking the lock");
  }
  holding = true;
  held.add(out);
  return async () => {
    holding = false;
    if (!held.delete(out)) return;
    try {
      if (!out.lost()) await out.client.query("SELECT pg_advisory_unlock($1)", [CHANGE_LOCK]);
      out.release();
    } catch {
      out.release(true); // a broken connection: its session, and the lock, are gone anyway
    }
  };
}

/** LISTEN on a dedicated connection, reconnected after a drop. */
function listen(pool: pg.Pool, onVersion: (version: string) => void, onState: (up: boolean) => void): () => Promise<void> {
  let stopped = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client(pool.options);
    client = c;
    const dropped = () => {
      if (client !== c) return;
      client = undefined;
      onState(false);
      c.end().catch(() => undefined);
      if (!stopped) timer = setTimeout(() => void connect(), RELISTEN_MS);
    };
    c.on("error", dropped);
    c.on("end", dropped);
    c.on("notification", (n) => n.channel === CHANNEL && n.payload && onVersion(n.payload));
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      if (stopped) await c.end();
      else onState(true);
    } catch {
      dropped();
    }
  };
  void connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    const c = client;
    client = undefined;
    await c?.end().catch(() => undefined);
  };
}

export function pgVersionStore(pool: pg.Pool): CorpusVersionStore & { dropLocks(): void } {
  const held = new Set<Checkout>();
  return {
    tryChangeLock: (onLost) => tryChangeLock(pool, held, onLost),
    /** Closing: connections holding the change lock are dropped, and the lock with them. */
    dropLocks() {
      for (const out of held) out.release(true);
      held.clear();
    },
    listen: (onVersion, onState) => listen(pool, onVersion, onState),
    async current() {
      const r = await pool.query<{ version: string }>("SELECT version FROM corpus_current");
      return r.rows[0]?.version;
    },
    async publish(version, corpus, artefacts) {
      const out = await checkout(pool);
      const client = out.client;
      try {
        await client.query("BEGIN");
        await client.query(
          "INSERT INTO corpus_versions (version, corpus, artefacts) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING",
          [version, JSON.stringify(corpus), JSON.stringify(artefacts)],
        );
        await client.query(
          `INSERT INTO corpus_current (id, version) VALUES (true, $1)
           ON CONFLICT (id) DO UPDATE SET version = excluded.version, switched_at = now()`,
          [version],
        );
        await client.query("SELECT pg_notify($1, $2)", [CHANNEL, version]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        out.release();
      }
    },
    async fetch(version) {
      const r = await pool.query<{ corpus: FileBundle; artefacts: FileBundle }>(
        "SELECT corpus, artefacts FROM corpus_versions WHERE version = $1",
        [version],
      );
      return r.rows[0];
    },
    async withBuildLock(work) {
      // A session lock on a dedicated connection: a replica killed while holding it loses the connection, and the lock.
      const out = await checkout(pool);
      try {
        await out.client.query("SELECT pg_advisory_lock($1)", [BUILD_LOCK]);
        try {
          return await work();
        } finally {
          if (!out.lost()) await out.client.query("SELECT pg_advisory_unlock($1)", [BUILD_LOCK]).catch(() => undefined);
        }
      } finally {
        out.release();
      }
    },
  };
}
