// In-memory guards: a sliding-window rate limiter and a bounded "seen" set for duplicate deliveries.

export type Clock = () => number;

export interface RateDecision {
  allowed: boolean;
  /** Milliseconds until the oldest counted event leaves the window (when not allowed). */
  retryInMs: number;
  /** True for the first refusal in a window, so the user is told once rather than on every message. */
  firstRefusal: boolean;
  /** Events counted in the window, this one included when allowed (1: the first of a burst). */
  count: number;
}

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

const graphemes = new Intl.Segmenter("vi", { granularity: "grapheme" });

/** Characters as users see them: an emoji or a letter with combining marks counts once. */
export function visibleLength(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
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
