-- Follow-up memory (the last few turns of each conversation), so the next turn may land on any replica.
CREATE TABLE conversation_turns (
  seq bigserial PRIMARY KEY,
  conversation text NOT NULL,
  turn jsonb NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_turns_by_conversation ON conversation_turns (conversation, seq);
