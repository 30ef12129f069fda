-- The delivery gauges count only what operations act on — pending envelopes and dead letters —
-- each through a partial index (envelopes_due covers state 1), instead of scanning every
-- envelope ever sent every 5 s.
CREATE INDEX envelopes_dead ON envelopes (accepted_at) WHERE state = 4;
