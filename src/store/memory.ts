// In-memory guards for one process (the default, with SQLite): a sliding-window rate limiter and a bounded
// "seen" set for duplicate deliveries; with PostgreSQL they are shared tables instead.
import type { ChatMemoryStore, RateDecision, RateStore, SeenStore } from "./types.js";

export type Clock = () => number;
export type { RateDecision };

/** At most `limit` events per `windowMs` per key (sliding window of timestamps). */
export class RateLimiter {
  private readonly hits = new Map<string, { times: number[]; warned: boolean }>();

  constructor(
    readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: Clock = Date.now,
  ) {}

  take(key: string): RateDecision {
    const t = this.now();
    const entry = this.hits.get(key) ?? { times: [], warned: false };
    entry.times = entry.times.filter((x) => t - x < this.windowMs);
    if (entry.times.length === 0) entry.warned = false;
    this.hits.set(key, entry);
    if (entry.times.length < this.limit) {
      entry.times.push(t);
      entry.warned = false;
      this.prune(t);
      return { allowed: true, retryInMs: 0, firstRefusal: false, count: entry.times.length };
    }
    const retryInMs = this.windowMs - (t - entry.times[0]!);
    const firstRefusal = !entry.warned;
    entry.warned = true;
    return { allowed: false, retryInMs, firstRefusal, count: entry.times.length };
  }

  /** Milliseconds until `key` may act again (0: it may now), without counting anything. */
  blockedFor(key: string): number {
    const t = this.now();
    const times = (this.hits.get(key)?.times ?? []).filter((x) => t - x < this.windowMs);
    return times.length < this.limit ? 0 : this.windowMs - (t - times[0]!);
  }

  // Keep memory bounded: drop idle keys now and then.
  private prune(t: number): void {
    if (this.hits.size < 10_000) return;
    for (const [k, e] of this.hits) if (e.times.every((x) => t - x >= this.windowMs)) this.hits.delete(k);
  }
}

/** Remembers recent keys (insertion order, capped) to drop duplicate deliveries. */
export class SeenSet {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly max = 10_000,
    private readonly ttlMs = 24 * 60 * 60_000,
    private readonly now: Clock = Date.now,
  ) {}

  /** True when `key` was already seen (and is therefore a duplicate); records it otherwise. */
  check(key: string): boolean {
    const t = this.now();
    const at = this.seen.get(key);
    if (at !== undefined && t - at < this.ttlMs) return true;
    this.seen.delete(key);
    this.seen.set(key, t);
    while (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value!);
    return false;
  }
}

/** Rate counters of this process only. */
export function memoryRateStore(): RateStore {
  const limiters = new Map<string, RateLimiter>();
  let now = 0; // the caller's clock, read by every limiter
  return {
    take(key, limit, windowMs, nowMs) {
      now = nowMs;
      const id = `${limit}/${windowMs}`;
      let limiter = limiters.get(id);
      if (!limiter) limiters.set(id, (limiter = new RateLimiter(limit, windowMs, () => now)));
      return limiter.take(key);
    },
  };
}

/** Update ids seen by this process in the last day (at most `max`). */
export function memorySeenStore(max = 20_000, ttlMs = 24 * 60 * 60_000, now: Clock = Date.now): SeenStore {
  const seen = new SeenSet(max, ttlMs, now);
  return { firstSeen: (key) => !seen.check(key) };
}

/** The last value per chat in this process (the oldest chats forgotten beyond `max`). */
export function memoryChatMemory(max = 5000): ChatMemoryStore {
  const values = new Map<string, unknown>();
  return {
    remember(chatKey, value) {
      values.delete(chatKey);
      values.set(chatKey, value);
      if (values.size > max) values.delete(values.keys().next().value!);
    },
    recall: (chatKey) => values.get(chatKey),
  };
}
