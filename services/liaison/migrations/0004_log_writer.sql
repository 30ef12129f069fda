-- The message log is written by one log writer per replica, in batches, after Send commits
-- the envelope (as X-Road timestamps its message log in batches): Send no longer waits on the
-- log's lock. log_sequence is the envelope's "accepted" entry; NULL until it is written, and
-- an envelope is delivered only once it is logged, so the log always shows "accepted" before
-- any answer.
ALTER TABLE envelopes ADD COLUMN log_sequence bigint;
UPDATE envelopes e SET log_sequence = m.sequence
  FROM message_log m WHERE m.envelope_id = e.id AND m.event = 'accepted';
CREATE INDEX envelopes_unlogged ON envelopes (accepted_at, id) WHERE log_sequence IS NULL;
