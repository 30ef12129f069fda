-- The sender's deadline for the receiver's acknowledgement (e.g. Decree 63/2024: 2 working
-- hours from the handoff); NULL when it set none. The overdue gauge reads the pending ones that
-- have it through a partial index.
ALTER TABLE envelopes ADD COLUMN acknowledge_by timestamptz;
CREATE INDEX envelopes_acknowledge_by ON envelopes (acknowledge_by)
  WHERE state = 1 AND acknowledge_by IS NOT NULL;
