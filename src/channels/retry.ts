// Retries for platform API calls: exponential backoff with jitter, honouring a server's retry_after.
import { describeError, type Logger } from "../log.js";

export interface RetryOptions {
  /** Total tries, first included (default 5). */
  attempts?: number;
  /** First backoff delay; doubles each try (default 500 ms). */
  baseDelayMs?: number;
  /** Cap for backoff delays (default 30 s). */
  maxDelayMs?: number;
  /** A server asking to wait longer than this is not waited for: the call fails (default 5 min). */
  maxRetryAfterMs?: number;
  /** Told of every retry (metrics). */
  onRetry?: (err: unknown) => void;
  /** Aborted (the channel stopping): no further tries. */
  signal?: AbortSignal;
}

/** How a failed call should be treated: retried (optionally after a server-given delay) or not. */
export interface RetryVerdict {
  retry: boolean;
  retryAfterMs?: number;
}

/** Wait `ms`, or less when `signal` aborts (so stopping a channel never waits out a backoff). */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });

export async function withRetry<T>(
  what: string,
  fn: () => Promise<T>,
  classify: (err: unknown) => RetryVerdict,
  opts: RetryOptions = {},
  log?: Logger,
): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const base = opts.baseDelayMs ?? 500;
  const max = opts.maxDelayMs ?? 30_000;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 5 * 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const verdict = classify(err);
      if (!verdict.retry || attempt >= attempts || opts.signal?.aborted) throw err;
      if (verdict.retryAfterMs !== undefined && verdict.retryAfterMs > maxRetryAfter) throw err;
      const backoff = Math.min(max, base * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
      const delay = Math.max(verdict.retryAfterMs ?? 0, backoff);
      log?.warn("api call failed, retrying", { what, attempt, delayMs: Math.round(delay), err: describeError(err) });
      opts.onRetry?.(err);
      await sleep(delay, opts.signal);
      if (opts.signal?.aborted) throw err;
    }
  }
}

/** Network-level failures worth another try (connection reset, DNS hiccup, timeout). */
export function isNetworkError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: string }).code ?? (err.cause as { code?: string } | undefined)?.code;
  return (
    err.name === "FetchError" ||
    err.name === "TimeoutError" ||
    (err.name === "TypeError" && err.message === "fetch failed") ||
    ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EAI_AGAIN", "EPIPE", "UND_ERR_SOCKET"].includes(code ?? "")
  );
}
