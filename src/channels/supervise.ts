// Keeps a channel running for as long as the server runs: each channel starts on its own (one whose API is
// down never delays another), retries with capped exponential backoff, and restarts when its polling ends.
// Its state, last error and last successful API call are what /readyz reports.
import { describeError, redact, type Logger } from "../log.js";
import type { Metrics } from "../metrics.js";
import { sleep } from "./retry.js";

export type ChannelState = "starting" | "ready" | "retrying" | "stopped";

export interface ChannelHealth {
  state: ChannelState;
  /** Start-up attempts that failed since the channel was last ready. */
  failures: number;
  lastError?: { message: string; at: string };
  lastSuccessAt?: string;
  nextAttemptAt?: string;
}

/** What one channel's API calls and start-ups report; feeds /readyz and the metrics. */
export class ChannelMonitor {
  private health: ChannelHealth = { state: "starting", failures: 0 };

  constructor(
    readonly channel: string,
    private readonly metrics?: Pick<Metrics, "apiError" | "apiRetry">,
    /** Never shown in lastError (the bot token is part of some error URLs). */
    private readonly secrets: readonly string[] = [],
  ) {}

  succeeded(): void {
    this.health.lastSuccessAt = new Date().toISOString();
  }

  failed(err: unknown): void {
    this.health.lastError = { message: redact(describeError(err), this.secrets), at: new Date().toISOString() };
    this.metrics?.apiError(this.channel);
  }

  retried(): void {
    this.metrics?.apiRetry(this.channel);
  }

  set(state: ChannelState, nextAttemptAt?: Date): void {
    this.health.state = state;
    this.health.nextAttemptAt = nextAttemptAt?.toISOString();
    if (state === "ready") this.health.failures = 0;
    if (state === "retrying") this.health.failures++;
  }

  snapshot(): ChannelHealth {
    return { ...this.health };
  }
}

/** What the supervisor needs of a channel. */
export interface Supervisable {
  readonly name: string;
  start(): Promise<void>;
  /** Resolves when the started channel stops receiving (polling ended); never for webhooks until stop(). */
  running(): Promise<void>;
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  log: Logger;
  monitor: ChannelMonitor;
  /** First wait after a failed start; doubles per failure up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Start `channel` now and keep it up until the returned stop() is called. */
export function superviseChannel(channel: Supervisable, opts: SuperviseOptions): { firstAttempt: Promise<void>; stop(): Promise<void> } {
  const { log, monitor } = opts;
  const abort = new AbortController();
  const stopping = new Promise<void>((resolve) => abort.signal.addEventListener("abort", () => resolve(), { once: true }));
  let attempted: () => void = () => {};
  const firstAttempt = new Promise<void>((resolve) => (attempted = resolve));
  const loop = (async () => {
    for (let failures = 0; !abort.signal.aborted; ) {
      try {
        await channel.start();
        attempted();
        if (abort.signal.aborted) break;
        monitor.set("ready");
        failures = 0;
        await Promise.race([channel.running(), stopping]);
        if (abort.signal.aborted) break;
        log.warn(`${channel.name} channel stopped receiving updates, restarting`);
      } catch (err) {
        if (abort.signal.aborted) break;
        failures++;
        monitor.failed(err);
        const backoff = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.min(failures - 1, 20));
        const delayMs = Math.round(backoff * (0.8 + Math.random() * 0.4));
        monitor.set("retrying", new Date(Date.now() + delayMs));
        log.error(`${channel.name} channel failed to start, retrying`, { err: describeError(err), attempt: failures, delayMs });
        attempted();
        await sleep(delayMs, abort.signal);
      }
    }
  })().finally(() => attempted());
  return {
    firstAttempt,
    async stop() {
      abort.abort();
      await loop;
      await channel.stop().catch((err: unknown) => log.warn(`${channel.name} channel stop failed`, { err: describeError(err) }));
      monitor.set("stopped");
    },
  };
}
