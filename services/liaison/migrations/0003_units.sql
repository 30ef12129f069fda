-- Administrative units with their succession (DOMAIN.md §0: since 2025-07-01 two levels,
-- province and commune; districts kept as history), and the directory's version, which every
-- directory change bumps in its own transaction so that snapshots are consistent and cheap
-- to compare.
CREATE TABLE administrative_units (
  code        text PRIMARY KEY,
  name        text     NOT NULL,
  level       smallint NOT NULL,           -- localgov.liaison.v1.UnitLevel
  parent_code text REFERENCES administrative_units (code),
  valid_from  date     NOT NULL,
  valid_until date,                        -- first day it no longer exists
  created_at  timestamptz NOT NULL,
  CHECK (valid_until IS NULL OR valid_until > valid_from)
);
CREATE INDEX administrative_units_by_parent ON administrative_units (parent_code, code);

CREATE TABLE unit_successions (
  predecessor_code text     NOT NULL REFERENCES administrative_units (code),
  successor_code   text     NOT NULL REFERENCES administrative_units (code),
  kind             smallint NOT NULL,      -- localgov.liaison.v1.SuccessionKind
  effective_date   date     NOT NULL,
  PRIMARY KEY (predecessor_code, successor_code),
  CHECK (predecessor_code <> successor_code)
);
CREATE INDEX unit_successions_by_successor ON unit_successions (successor_code);

CREATE TABLE directory_state (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version    bigint      NOT NULL,
  changed_at timestamptz NOT NULL
);
INSERT INTO directory_state (version, changed_at) VALUES (1, now());

CREATE INDEX agencies_by_unit ON agencies (administrative_unit_code, code);
