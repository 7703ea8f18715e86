// Zalo OA tokens in SQLite (`${dataDir}/zalo-oa.sqlite`, WAL): one row per app, access and refresh token written
// together in one statement, so a crash leaves either the old pair or the new one, never half of each.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { oaTokensOfRow, type OaTokenRow } from "../keys.js";
import type { OaTokenStore } from "../types.js";

export const OA_TOKENS_DB_FILE = "zalo-oa.sqlite";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS oa_tokens (
  app_id TEXT PRIMARY KEY,
  access_token TEXT NOT NULL,
  refresh_token TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  seed TEXT NOT NULL,
  rejected TEXT,
  updated_at TEXT NOT NULL
);`;

export function openSqliteOaTokens(file: string): OaTokenStore & { close(): void } {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.exec(SCHEMA);
  const get = db.prepare<[string], OaTokenRow>("SELECT * FROM oa_tokens WHERE app_id = ?");
  const upsert = db.prepare(
    `INSERT INTO oa_tokens (app_id, access_token, refresh_token, expires_at, seed, rejected, updated_at)
     VALUES (@appId, @accessToken, @refreshToken, @expiresAt, @seed, @rejected, @updatedAt)
     ON CONFLICT (app_id) DO UPDATE SET access_token = excluded.access_token, refresh_token = excluded.refresh_token,
       expires_at = excluded.expires_at, seed = excluded.seed, rejected = excluded.rejected, updated_at = excluded.updated_at`,
  );
  const update = db.prepare(
    `UPDATE oa_tokens SET access_token = @accessToken, refresh_token = @refreshToken, expires_at = @expiresAt, seed = @seed,
       rejected = @rejected, updated_at = @updatedAt WHERE app_id = @appId AND refresh_token = @ifRefreshToken`,
  );
  return {
    get(appId) {
      const row = get.get(appId);
      return row ? oaTokensOfRow(row) : undefined;
    },
    save(appId, t, ifRefreshToken) {
      const params = { appId, ...t, rejected: t.rejected ?? null };
      if (ifRefreshToken === undefined) return upsert.run(params).changes === 1;
      return update.run({ ...params, ifRefreshToken }).changes === 1;
    },
    close: () => db.close(),
  };
}
