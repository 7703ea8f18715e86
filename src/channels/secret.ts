// Constant-time comparison of webhook secrets (hashing first makes lengths equal and hides them).
import crypto from "node:crypto";

export function secretMatches(expected: string, received: unknown): boolean {
  if (typeof received !== "string" || !expected) return false;
  const a = crypto.createHash("sha256").update(expected).digest();
  const b = crypto.createHash("sha256").update(received).digest();
  return crypto.timingSafeEqual(a, b);
}
