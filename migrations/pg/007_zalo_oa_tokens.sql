-- Zalo OA tokens shared by every replica: one row per app; access and refresh token are always written together.
-- The refresh token is single-use, so whoever renews it stores the new one here before using the new access token.
CREATE TABLE oa_tokens (
  app_id text PRIMARY KEY,
  access_token text NOT NULL,
  refresh_token text NOT NULL,
  expires_at bigint NOT NULL,
  seed text NOT NULL,
  rejected text,
  updated_at text NOT NULL
);
