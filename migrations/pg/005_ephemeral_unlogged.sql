-- Per-answer state that is short-lived by nature (rate windows of a minute, follow-up memory of half an hour, the
-- last answer per chat) is not written to the WAL: UNLOGGED saves PostgreSQL the WAL records (and full-page images)
-- of the writes every answer makes. The cost: after a PostgreSQL crash, or on a promoted streaming standby, these
-- tables start empty — rate windows restart and a follow-up asked right then is read without its context. The
-- question log, the audit log, sessions, originals, reminders, votes, update de-duplication and the corpus stay logged.
ALTER TABLE rate_hits SET UNLOGGED;
ALTER TABLE chat_memory SET UNLOGGED;
ALTER TABLE conversation_turns SET UNLOGGED;

-- The last answer of a chat (its quotes and "Xem thêm") is often over 2 kB: lz4 compresses it far faster than pglz.
DO $$
BEGIN
  ALTER TABLE chat_memory ALTER COLUMN value SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  NULL; -- a server built without lz4 keeps pglz
END $$;
