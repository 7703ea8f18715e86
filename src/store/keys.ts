// Keys shared by both store implementations.
import crypto from "node:crypto";
import type { OaTokens } from "./types.js";

/** Voters are kept as a hash: enough to allow one vote per person without storing platform ids. */
export const voterKey = (channel: string, userId: string) =>
  crypto.createHash("sha256").update(`${channel}:${userId}`).digest("hex").slice(0, 32);

/** A row of oa_tokens (same columns in SQLite and PostgreSQL). */
export type OaTokenRow = {
  access_token: string;
  refresh_token: string;
  expires_at: number | string;
  seed: string;
  rejected: string | null;
  updated_at: string;
};

export const oaTokensOfRow = (r: OaTokenRow): OaTokens => ({
  accessToken: r.access_token,
  refreshToken: r.refresh_token,
  expiresAt: Number(r.expires_at),
  seed: r.seed,
  ...(r.rejected ? { rejected: r.rejected } : {}),
  updatedAt: r.updated_at,
});
