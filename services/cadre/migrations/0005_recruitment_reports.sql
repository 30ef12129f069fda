-- Issue 23 (items 4–5): recruitment rounds and their candidates. The ranking and the
-- standards report are computed on each read from these rows and the history, never stored.
CREATE TABLE cadre_recruitment_rounds (
  id             bigserial PRIMARY KEY,
  unit_code      text NOT NULL REFERENCES cadre_units (code),
  position_code  text NOT NULL REFERENCES cadre_positions (code),
  agency_code    text NOT NULL REFERENCES cadre_agencies (code),
  name           text NOT NULL,
  posts          integer NOT NULL CHECK (posts BETWEEN 1 AND 1000),
  with_interview boolean NOT NULL,
  opened_on      date NOT NULL,
  version        bigint NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL
);
CREATE INDEX cadre_recruitment_rounds_unit ON cadre_recruitment_rounds (unit_code, id);

-- Candidates are citizens: citizen_id and full_name are returned masked / to the personnel
-- office only and never logged.
CREATE TABLE cadre_candidates (
  id                   bigserial PRIMARY KEY,
  round_id             bigint NOT NULL REFERENCES cadre_recruitment_rounds (id),
  citizen_id           text NOT NULL,
  full_name            text NOT NULL,
  priority_points_x100 integer NOT NULL DEFAULT 0 CHECK (priority_points_x100 IN (0, 250, 500, 750)),
  round1_correct       smallint CHECK (round1_correct BETWEEN 0 AND 60),
  written              smallint CHECK (written BETWEEN 0 AND 100),
  interview            smallint CHECK (interview BETWEEN 0 AND 100),
  version              bigint NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL,
  UNIQUE (round_id, citizen_id)
);
