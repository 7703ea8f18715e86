// The writes of an answer (follow-up turn, last answer per chat, question log row) go through one queue: the
// writes called while a batch is in flight are sent together as one statement (apply_writes, migration 004), so
// under load one round trip serves many answers (batch.ts). Batches run one at a time in call order: a write
// resolves only after every write called before it is stored.
import type pg from "pg";
import type { QuestionRow, Turn } from "../types.js";
import { batcher, jsonParam } from "./batch.js";

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
  let sincePrune = 0;
  const queue = batcher<WriteOp, void>(async (ops) => {
    sincePrune += ops.length;
    const prune = sincePrune >= PRUNE_EVERY;
    if (prune) sincePrune = 0;
    await pool.query({
      name: "apply_writes",
      text: "SELECT apply_writes($1, $2, $3, $4)",
      values: [jsonParam(ops), limits.maxTurns, limits.ttlMs, prune],
    });
    return ops.map(() => undefined);
  });
  return { push: (op) => queue.push(op) };
}
