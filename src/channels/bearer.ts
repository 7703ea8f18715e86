// Bearer-token guard for operator endpoints (/admin, /metrics), next to the webhook secret check it extends:
// constant-time comparison, and per-address throttling of failed attempts (429 with Retry-After) with one
// warning per burst, not one per attempt.
import type { RequestHandler } from "express";
import { secretMatches } from "./secret.js";
import { RateLimiter } from "../chat/limits.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";

export interface BearerGuardOptions {
  /** What the guard protects, for logs ("admin", "metrics"). */
  name: string;
  /** The expected token; undefined: the endpoint is closed (503). */
  token: string | undefined;
  config: Pick<Config, "AUTH_MAX_FAILURES" | "AUTH_FAILURE_WINDOW_MS">;
  log: Logger;
  /** Vietnamese texts of the refusals. */
  messages: { noToken: string; unauthorized: string };
}

export const throttledMessage = (seconds: number) => {
  const minutes = Math.max(1, Math.ceil(seconds / 60)).toLocaleString("vi-VN");
  return `Đã nhập sai mã truy cập quá nhiều lần. Vui lòng thử lại sau khoảng ${minutes} phút.`;
};

export function bearerGuard(opts: BearerGuardOptions): RequestHandler {
  const failures = new RateLimiter(opts.config.AUTH_MAX_FAILURES, opts.config.AUTH_FAILURE_WINDOW_MS);
  const refuseThrottled = (res: Parameters<RequestHandler>[1], ms: number) => {
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    res
      .status(429)
      .set("Retry-After", String(seconds))
      .json({ error: throttledMessage(seconds) });
  };
  return (req, res, next) => {
    if (!opts.token) {
      res.status(503).json({ error: opts.messages.noToken });
      return;
    }
    const address = req.ip ?? "unknown";
    // A throttled address is refused even with the right token: guessing must not go on in the background.
    const blocked = failures.blockedFor(address);
    if (blocked > 0) return refuseThrottled(res, blocked);
    const token = /^Bearer\s+(.+)$/i.exec(req.get("authorization") ?? "")?.[1];
    if (secretMatches(opts.token, token)) return next();
    const decision = failures.take(address);
    if (decision.count === 1)
      opts.log.warn(`${opts.name} request rejected: missing or wrong token (further failures from this address are not logged)`, {
        address,
        path: req.path,
        windowMs: opts.config.AUTH_FAILURE_WINDOW_MS,
      });
    if (!decision.allowed) return refuseThrottled(res, decision.retryInMs);
    res.status(401).set("WWW-Authenticate", `Bearer realm="${opts.name}"`).json({ error: opts.messages.unauthorized });
  };
}
