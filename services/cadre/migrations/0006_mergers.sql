-- Issue 23 (item 6): merger plans applied. A merger moves the units of merged agencies to
-- their successor from its day as new effective-dated history (cadre_history); these rows
-- record what was applied and where each old unit went, so that old unit codes still resolve.
CREATE TABLE cadre_mergers (
  id             bigserial PRIMARY KEY,
  agency_codes   text[] NOT NULL,
  successor_code text NOT NULL REFERENCES cadre_agencies (code),
  merged_on      date NOT NULL,
  fingerprint    text NOT NULL,
  people         integer NOT NULL,
  applied_by     text NOT NULL,
  applied_at     timestamptz NOT NULL,
  plan           bytea NOT NULL  -- the MergerPlan applied (serialized protobuf)
);

-- Each unit of a merged agency, once moved: from `moved_on` its code answers for `to_unit_code`.
CREATE TABLE cadre_unit_moves (
  unit_code    text PRIMARY KEY REFERENCES cadre_units (code),
  to_unit_code text NOT NULL REFERENCES cadre_units (code),
  moved_on     date NOT NULL,
  merger_id    bigint NOT NULL REFERENCES cadre_mergers (id)
);
CREATE INDEX cadre_unit_moves_to ON cadre_unit_moves (to_unit_code);
