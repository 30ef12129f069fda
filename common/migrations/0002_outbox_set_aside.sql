-- A message the relay cannot process (its receiver refuses it as invalid, or its own row
-- cannot be updated) is set aside with its reason instead of being retried for ever: it
-- counts as a dead letter (metric and alert), and the messages behind it flow on.
ALTER TABLE outbox ADD COLUMN set_aside_at timestamptz, ADD COLUMN set_aside_reason text;
