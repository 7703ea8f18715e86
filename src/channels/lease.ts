// "One poller per bot" across replicas: a polling channel runs only while this replica holds the bot's lease
// in the shared store. The holder renews it every third of its lifetime; when the holder dies, its lease
// expires and another replica's next attempt takes over (within ttl + retry ≈ 8 s with the defaults).
// Webhook channels are not wrapped: every replica accepts updates and the shared de-duplication answers once.
import crypto from "node:crypto";
import type { Logger } from "../log.js";
import type { LeaseStore } from "../store/types.js";

/** What the lease needs of a channel (structural: every RunningChannel fits). */
export interface PollingChannel {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface LeaseOptions {
  leases: LeaseStore;
  /** This replica's id in the lease table. */
  holder: string;
  /** Lease lifetime (default 6 s). */
  ttlMs?: number;
  /** How often a replica without the lease tries to take it (default 2 s). */
  retryMs?: number;
  log: Logger;
}

/** The lease name of a bot: channel plus a hash of its token (the token itself never reaches the database). */
export const pollLeaseName = (channel: string, token: string) =>
  `poll:${channel}:${crypto.createHash("sha256").update(token).digest("hex").slice(0, 16)}`;

/** The channel, polling only while it holds `name`; start() returns at once whether or not it got the lease. */
export function withPollingLease<T extends PollingChannel>(channel: T, name: string, opts: LeaseOptions): T {
  const ttlMs = opts.ttlMs ?? 6000;
  const retryMs = opts.retryMs ?? 2000;
  let polling = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let step: Promise<void> = Promise.resolve();

  const holdOrTake = async () => {
    const held = await opts.leases.acquire(name, opts.holder, ttlMs);
    if (held && !polling) {
      opts.log.info("polling lease taken", { channel: channel.name });
      await channel.start();
      polling = true;
    } else if (!held && polling) {
      // Another replica took over (we were paused longer than the lease): stop at once to avoid double polling.
      opts.log.warn("polling lease lost", { channel: channel.name });
      polling = false;
      await channel.stop();
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(tick, polling ? Math.floor(ttlMs / 3) : retryMs);
    timer.unref();
  };
  const tick = () => {
    step = holdOrTake()
      .catch((err: unknown) => opts.log.warn("polling lease check failed", { channel: channel.name, err }))
      .finally(schedule);
  };

  // Everything else (send, typing, webhook handlers) is the channel's own.
  return Object.assign(Object.create(channel) as T, {
    async start() {
      stopped = false;
      tick();
      await step;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await step;
      if (polling) await channel.stop();
      polling = false;
      await Promise.resolve(opts.leases.release(name, opts.holder)).catch(() => undefined);
    },
  });
}
