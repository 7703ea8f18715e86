-- The answer path in two round trips (ask_begin before the answer, apply_writes after it, shared by the answers
-- finished meanwhile), and the staff state every replica shares: question log, audit log, console sessions, originals.

-- Rate limits without a sort or an insert attempt per event: times are kept in order (a replica whose clock is
-- behind appends out of order; they are sorted then), expired ones dropped from the front.
CREATE OR REPLACE FUNCTION rate_take(p_key text, p_now bigint, p_window bigint, p_limit integer,
                                     OUT allowed boolean, OUT retry_ms bigint, OUT first_refusal boolean, OUT hits integer) AS $$
DECLARE
  t bigint[];
  w boolean;
  n integer;
  i integer := 1;
BEGIN
  SELECT times, warned INTO t, w FROM rate_hits WHERE key = p_key FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO rate_hits (key, times, warned) VALUES (p_key, ARRAY[p_now], false) ON CONFLICT (key) DO NOTHING;
    IF FOUND AND p_limit >= 1 THEN
      allowed := true; retry_ms := 0; first_refusal := false; hits := 1;
      RETURN;
    END IF;
    SELECT times, warned INTO t, w FROM rate_hits WHERE key = p_key FOR UPDATE;
  END IF;
  n := cardinality(t);
  IF n > 1 AND p_now < t[n] THEN
    t := ARRAY(SELECT x FROM unnest(t) AS x ORDER BY x);
  END IF;
  WHILE i <= n AND p_now - t[i] >= p_window LOOP
    i := i + 1;
  END LOOP;
  IF i > 1 THEN t := t[i:n]; END IF;
  IF cardinality(t) = 0 THEN w := false; END IF;
  IF cardinality(t) < p_limit THEN
    allowed := true; retry_ms := 0; first_refusal := false; hits := cardinality(t) + 1;
    UPDATE rate_hits SET times = t || p_now, warned = false WHERE key = p_key;
  ELSE
    allowed := false; retry_ms := p_window - (p_now - t[1]); first_refusal := NOT w; hits := cardinality(t);
    IF i > 1 OR NOT w THEN UPDATE rate_hits SET times = t, warned = true WHERE key = p_key; END IF;
  END IF;
END $$ LANGUAGE plpgsql;

-- Before an answer, one round trip: the rate decision and (when allowed) the conversation's unexpired turns.
CREATE FUNCTION ask_begin(p_key text, p_now bigint, p_window bigint, p_limit integer, p_conversation text, p_ttl_ms bigint,
                          OUT allowed boolean, OUT retry_ms bigint, OUT first_refusal boolean, OUT hits integer,
                          OUT turns jsonb) AS $$
BEGIN
  SELECT r.allowed, r.retry_ms, r.first_refusal, r.hits INTO allowed, retry_ms, first_refusal, hits
    FROM rate_take(p_key, p_now, p_window, p_limit) AS r;
  IF allowed THEN
    SELECT jsonb_agg(c.turn ORDER BY c.seq) INTO turns FROM conversation_turns AS c
      WHERE c.conversation = p_conversation AND c.at > now() - p_ttl_ms * interval '1 millisecond';
  END IF;
END $$ LANGUAGE plpgsql;

CREATE TABLE question_log (
  id bigserial PRIMARY KEY,
  channel text NOT NULL,
  user_hash text NOT NULL,
  question text NOT NULL,
  abstained boolean NOT NULL,
  answer text NOT NULL,
  top_doc text,
  answer_id bigint,
  created_at text NOT NULL
);
CREATE INDEX question_log_created ON question_log (created_at);
CREATE INDEX question_log_abstained ON question_log (id) WHERE abstained;

CREATE TABLE question_handled (
  key text PRIMARY KEY,
  handled_at text NOT NULL,
  handled_by text NOT NULL
);

-- After answers, one round trip for all the answers finished meanwhile: the follow-up turns (the newest
-- p_max_turns kept per conversation), the last answer per chat, the question log rows; now and then expired rows go.
-- p_ops: [{"op":"turn","id","turn"} | {"op":"memory","key","value"} | {"op":"question", …QuestionRow but id}].
CREATE FUNCTION apply_writes(p_ops jsonb, p_max_turns integer, p_ttl_ms bigint, p_prune boolean) RETURNS void AS $$
DECLARE
  kinds text[] := ARRAY(SELECT DISTINCT o->>'op' FROM jsonb_array_elements(p_ops) AS e(o));
BEGIN
  IF 'turn' = ANY (kinds) THEN
    INSERT INTO conversation_turns (conversation, turn)
      SELECT o->>'id', o->'turn' FROM jsonb_array_elements(p_ops) WITH ORDINALITY AS e(o, n) WHERE o->>'op' = 'turn' ORDER BY n;
    DELETE FROM conversation_turns AS c
      USING (SELECT DISTINCT o->>'id' AS id FROM jsonb_array_elements(p_ops) AS e(o) WHERE o->>'op' = 'turn') AS d
      WHERE c.conversation = d.id
        AND c.seq <= (SELECT x.seq FROM conversation_turns AS x WHERE x.conversation = d.id
                      ORDER BY x.seq DESC OFFSET p_max_turns LIMIT 1);
  END IF;
  IF 'memory' = ANY (kinds) THEN
    INSERT INTO chat_memory (chat_key, value, updated_at)
      SELECT DISTINCT ON (o->>'key') o->>'key', o->'value', now()
        FROM jsonb_array_elements(p_ops) WITH ORDINALITY AS e(o, n) WHERE o->>'op' = 'memory' ORDER BY o->>'key', n DESC
      ON CONFLICT (chat_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
  END IF;
  IF 'question' = ANY (kinds) THEN
    INSERT INTO question_log (channel, user_hash, question, abstained, answer, top_doc, answer_id, created_at)
      SELECT o->>'channel', o->>'userHash', o->>'question', (o->>'abstained')::boolean, o->>'answer', o->>'topDoc',
             (o->>'answerId')::bigint, o->>'createdAt'
        FROM jsonb_array_elements(p_ops) WITH ORDINALITY AS e(o, n) WHERE o->>'op' = 'question' ORDER BY n;
  END IF;
  IF p_prune THEN
    DELETE FROM conversation_turns WHERE at <= now() - p_ttl_ms * interval '1 millisecond';
    DELETE FROM chat_memory WHERE updated_at < now() - interval '1 day';
  END IF;
END $$ LANGUAGE plpgsql;

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at text NOT NULL,
  who text NOT NULL,
  channel text NOT NULL,
  action text NOT NULL,
  target text,
  outcome text NOT NULL,
  version text,
  previous text,
  changes jsonb NOT NULL,
  detail text
);

-- Console sessions by a hash of their id (the cookie): reading this table does not let anyone sign in.
CREATE TABLE console_sessions (
  id_hash text PRIMARY KEY,
  who text NOT NULL,
  csrf text NOT NULL,
  expires bigint NOT NULL
);

-- Uploaded files as received, by content-addressed name.
CREATE TABLE originals (
  name text PRIMARY KEY,
  bytes bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
