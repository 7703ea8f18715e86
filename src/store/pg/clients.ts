// A pooled client checked out for longer than one query (a session lock, a transaction) has no 'error' listener
// of the pool's while it is out: a connection dropped between two of its queries (pg_terminate_backend, a database
// restart) would emit 'error' with no listener and end the process. Every checkout goes through here instead.
import type pg from "pg";

export interface Checkout {
  client: pg.PoolClient;
  /** Whether the connection failed while checked out (its session, and any session lock, are gone). */
  lost(): boolean;
  /** Back to the pool, or destroyed when the connection failed or `destroy` is set. */
  release(destroy?: boolean): void;
}

/** `pool.connect()` with an error listener for as long as the client is out; `onLost` hears of a dropped connection. */
export async function checkout(pool: pg.Pool, onLost: (err: Error) => void = () => undefined): Promise<Checkout> {
  const client = await pool.connect();
  let failed = false;
  let released = false;
  const listener = (err: Error) => {
    if (failed) return;
    failed = true;
    onLost(err);
  };
  client.on("error", listener);
  return {
    client,
    lost: () => failed,
    release(destroy = false) {
      if (released) return;
      released = true;
      client.removeListener("error", listener);
      client.release(destroy || failed);
    },
  };
}
