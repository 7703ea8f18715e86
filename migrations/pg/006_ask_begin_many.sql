-- ask_begin for every question that arrived while the previous batch was in flight, in one statement. Rate rows are
-- locked in key order, so the batches of two replicas never wait on each other in a cycle (no deadlock).
-- p_reqs: [{"key","now","window","limit","conversation","ttl"}]; returns [{"n" (1-based position in p_reqs),
-- "allowed","retry_ms","first_refusal","hits","turns"}].
CREATE FUNCTION ask_begin_many(p_reqs jsonb) RETURNS jsonb AS $$
DECLARE
  r jsonb;
  i bigint;
  res record;
  out jsonb := '[]';
BEGIN
  FOR r, i IN SELECT e.o, e.n FROM jsonb_array_elements(p_reqs) WITH ORDINALITY AS e(o, n) ORDER BY e.o->>'key', e.n LOOP
    SELECT * INTO res FROM ask_begin(r->>'key', (r->>'now')::bigint, (r->>'window')::bigint, (r->>'limit')::integer,
                                     r->>'conversation', (r->>'ttl')::bigint);
    out := out || jsonb_build_object('n', i, 'allowed', res.allowed, 'retry_ms', res.retry_ms,
                                     'first_refusal', res.first_refusal, 'hits', res.hits, 'turns', res.turns);
  END LOOP;
  RETURN out;
END $$ LANGUAGE plpgsql;
