-- Shared state of every replica (see src/store/types.ts for the interfaces these tables serve).

CREATE TABLE subscriptions (
  channel text NOT NULL,
  chat_id text NOT NULL,
  created text NOT NULL,
  PRIMARY KEY (channel, chat_id)
);

-- A reminder is claimed (INSERT … ON CONFLICT DO NOTHING: one winner) before it is sent, then marked sent.
CREATE TABLE reminders_sent (
  channel text NOT NULL,
  chat_id text NOT NULL,
  duty_key text NOT NULL,
  occurrence_date text NOT NULL,
  days_before integer NOT NULL,
  status text NOT NULL CHECK (status IN ('claimed', 'sent')),
  claimed_at text NOT NULL,
  sent_at text,
  PRIMARY KEY (channel, chat_id, duty_key, occurrence_date, days_before)
);

CREATE TABLE answers (
  id bigserial PRIMARY KEY,
  channel text NOT NULL,
  question text NOT NULL,
  abstained boolean NOT NULL,
  mode text NOT NULL,
  citations jsonb NOT NULL,
  more jsonb,
  created_at text NOT NULL
);

CREATE TABLE votes (
  answer_id bigint NOT NULL REFERENCES answers (id),
  channel text NOT NULL,
  voter text NOT NULL,
  value smallint NOT NULL CHECK (value IN (-1, 1)),
  voted_at text NOT NULL,
  seq bigserial,
  PRIMARY KEY (answer_id, channel, voter)
);

-- Update ids (Telegram update_id, Zalo message ids) already taken by some replica.
CREATE TABLE seen_updates (
  key text PRIMARY KEY,
  seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX seen_updates_by_time ON seen_updates (seen_at);

-- Sliding-window rate limits: the event times (ms) still inside the window, per key.
CREATE TABLE rate_hits (
  key text PRIMARY KEY,
  times bigint[] NOT NULL,
  warned boolean NOT NULL
);

-- One round trip, atomic under the row lock: the same decision as the in-memory RateLimiter.
CREATE FUNCTION rate_take(p_key text, p_now bigint, p_window bigint, p_limit integer,
                          OUT allowed boolean, OUT retry_ms bigint, OUT first_refusal boolean, OUT hits integer) AS $$
DECLARE
  t bigint[];
  w boolean;
BEGIN
  INSERT INTO rate_hits (key, times, warned) VALUES (p_key, '{}', false) ON CONFLICT (key) DO NOTHING;
  SELECT times, warned INTO t, w FROM rate_hits WHERE key = p_key FOR UPDATE;
  t := ARRAY(SELECT x FROM unnest(t) AS x WHERE p_now - x < p_window ORDER BY x);
  IF cardinality(t) = 0 THEN w := false; END IF;
  IF cardinality(t) < p_limit THEN
    allowed := true; retry_ms := 0; first_refusal := false; hits := cardinality(t) + 1;
    UPDATE rate_hits SET times = t || p_now, warned = false WHERE key = p_key;
  ELSE
    allowed := false; retry_ms := p_window - (p_now - t[1]); first_refusal := NOT w; hits := cardinality(t);
    UPDATE rate_hits SET times = t, warned = true WHERE key = p_key;
  END IF;
END $$ LANGUAGE plpgsql;

-- Named leases ("one poller per bot"); expiry by the database clock, so replicas' clocks do not matter.
CREATE TABLE leases (
  name text PRIMARY KEY,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL
);

-- The last turn of each chat (what "/xem 2" refers to), so the next turn may land on any replica.
CREATE TABLE chat_memory (
  chat_key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);
