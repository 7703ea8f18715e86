// Corpus and index versions in PostgreSQL: stored with their artefacts, one current version, a build lock.
import type pg from "pg";
import type { CorpusVersionStore, FileBundle } from "../types.js";

/** Any fixed number: the advisory lock held while a replica builds or publishes a version. */
const BUILD_LOCK = 7_720_014;

export function pgVersionStore(pool: pg.Pool): CorpusVersionStore {
  return {
    async current() {
      const r = await pool.query<{ version: string }>("SELECT version FROM corpus_current");
      return r.rows[0]?.version;
    },
    async publish(version, corpus, artefacts) {
      const client = await pool.connect();
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
        await client.query("SELECT pg_notify('corpus_version', $1)", [version]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.release();
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
      const client = await pool.connect();
      try {
        await client.query("SELECT pg_advisory_lock($1)", [BUILD_LOCK]);
        try {
          return await work();
        } finally {
          await client.query("SELECT pg_advisory_unlock($1)", [BUILD_LOCK]);
        }
      } finally {
        client.release();
      }
    },
  };
}
