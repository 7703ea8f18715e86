// Zalo OA tokens in PostgreSQL (migration 007), shared by replicas: the same single-row writes as the SQLite store.
import type pg from "pg";
import { oaTokensOfRow, type OaTokenRow } from "../keys.js";
import type { OaTokenStore } from "../types.js";

const COLUMNS = "app_id, access_token, refresh_token, expires_at, seed, rejected, updated_at";

export function pgOaTokens(pool: pg.Pool): OaTokenStore {
  return {
    async get(appId) {
      const r = await pool.query<OaTokenRow>(`SELECT ${COLUMNS} FROM oa_tokens WHERE app_id = $1`, [appId]);
      return r.rows[0] ? oaTokensOfRow(r.rows[0]) : undefined;
    },
    async save(appId, t, ifRefreshToken) {
      const values = [appId, t.accessToken, t.refreshToken, t.expiresAt, t.seed, t.rejected ?? null, t.updatedAt];
      const set = "access_token = $2, refresh_token = $3, expires_at = $4, seed = $5, rejected = $6, updated_at = $7";
      const r =
        ifRefreshToken === undefined
          ? await pool.query(
              `INSERT INTO oa_tokens (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (app_id) DO UPDATE SET ${set}`,
              values,
            )
          : await pool.query(`UPDATE oa_tokens SET ${set} WHERE app_id = $1 AND refresh_token = $8`, [...values, ifRefreshToken]);
      return r.rowCount === 1;
    },
  };
}
