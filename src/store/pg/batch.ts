// Calls made while a batch is in flight are sent together as the next one: under load one round trip (and one
// statement for PostgreSQL to plan, run and commit) serves many answers; alone, a call waits one event-loop turn.
// Batches run one at a time, in call order. A batch that fails (it rolled back) is retried call by call.

export interface Batcher<I, O> {
  push(item: I): Promise<O>;
}

/** `run` gets the items of a batch and resolves to one result per item, in the same order. */
export function batcher<I, O>(run: (items: I[]) => Promise<O[]>): Batcher<I, O> {
  let pending: { item: I; resolve: (o: O) => void; reject: (err: unknown) => void }[] = [];
  let running = false;
  const loop = async () => {
    // Let the calls made in this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (pending.length) {
      const batch = pending;
      pending = [];
      try {
        const out = await run(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(out[i]!));
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        // The batch rolled back as a whole: each call alone, so one that cannot be stored fails only itself.
        else
          for (const b of batch)
            await run([b.item]).then(
              (out) => b.resolve(out[0]!),
              (e: unknown) => b.reject(e),
            );
      }
    }
    running = false; // in the same synchronous step as the last check: no call is left behind
  };
  return {
    push(item) {
      return new Promise<O>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        if (running) return;
        running = true;
        void loop();
      });
    },
  };
}

/** JSON for a jsonb parameter: PostgreSQL refuses the NUL character in text, so it is dropped from strings. */
export function jsonParam(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes("\\u0000") ? JSON.stringify(value, (_k, v: unknown) => (typeof v === "string" ? v.replaceAll("\0", "") : v)) : json;
}
