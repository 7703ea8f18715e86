// The writes of an answer (follow-up turn, last answer per chat, question log row) go through one queue: the
// writes called while a batch is in flight are sent together as one statement (apply_writes, migrations 004),
// so under load one round trip serves many answers. Batches run one at a time in call order: a write resolves
// only after every write called before it is stored.
import type pg from "pg";
import type { QuestionRow, Turn } from "../types.js";

export type WriteOp =
  | { op: "turn"; id: string; turn: Turn }
  | { op: "memory"; key: string; value: unknown }
  | ({ op: "question" } & Omit<QuestionRow, "id">);

export interface WriteQueue {
  push(op: WriteOp): Promise<void>;
}

/** Expired turns and chat memory are pruned with every this-many writes rather than on a timer. */
const PRUNE_EVERY = 500;

export function writeQueue(pool: pg.Pool, limits: { ttlMs: number; maxTurns: number }): WriteQueue {
  let pending: { op: WriteOp; resolve: () => void; reject: (err: unknown) => void }[] = [];
  let running = false;
  let sincePrune = 0;
  const run = async () => {
    // Let the answers finishing in this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (pending.length) {
      const batch = pending;
      pending = [];
      sincePrune += batch.length;
      const prune = sincePrune >= PRUNE_EVERY;
      if (prune) sincePrune = 0;
      try {
        await pool.query({
          name: "apply_writes",
          text: "SELECT apply_writes($1, $2, $3, $4)",
          values: [JSON.stringify(batch.map((b) => b.op)), limits.maxTurns, limits.ttlMs, prune],
        });
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    running = false; // in the same synchronous step as the last check: no write is left behind
  };
  return {
    push(op) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ op, resolve, reject });
        if (running) return;
        running = true;
        void run();
      });
    },
  };
}
