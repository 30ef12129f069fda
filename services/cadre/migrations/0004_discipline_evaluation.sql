-- Issue 23, part 1: discipline decisions and annual evaluations. What falls due (raises,
-- terms, rotations, evaluations) is computed from these and the history, never stored.

-- A discipline decision (Decree 172/2025). Append-only: recorded_until is set, once, when a
-- later version replaces it.
CREATE TABLE cadre_disciplines (
  id                 bigserial PRIMARY KEY,
  person_id          bigint NOT NULL REFERENCES cadre_people (id),
  form               smallint NOT NULL,
  offence            smallint NOT NULL,
  conduct_on         date NOT NULL,
  processing_started date NOT NULL,
  complex            boolean NOT NULL DEFAULT false,
  decided_on         date NOT NULL,
  effect_from        date NOT NULL,
  effect_until       date NOT NULL,
  decision_number    text NOT NULL,
  agency_code        text NOT NULL,
  recorded_from      timestamptz NOT NULL,
  recorded_until     timestamptz,
  recorded_by        text NOT NULL,
  CHECK (processing_started >= conduct_on AND decided_on >= processing_started),
  CHECK (effect_from >= decided_on AND effect_until > effect_from)
);
-- A person's decisions (the raise computation, the appointment check), as known now.
CREATE INDEX cadre_disciplines_person ON cadre_disciplines (person_id, effect_from)
  WHERE recorded_until IS NULL;

-- An annual evaluation; one current per person and year, a correction keeps the one it
-- replaces (recorded_until set).
CREATE TABLE cadre_evaluations (
  id                      bigserial PRIMARY KEY,
  person_id               bigint NOT NULL REFERENCES cadre_people (id),
  year                    integer NOT NULL,
  level                   smallint NOT NULL,
  evaluated_on            date NOT NULL,
  agency_code             text NOT NULL,
  previous_agency_code    text NOT NULL DEFAULT '',
  previous_agency_opinion text NOT NULL DEFAULT '',
  early_raise_months      smallint NOT NULL DEFAULT 0 CHECK (early_raise_months BETWEEN 0 AND 12),
  correction_reason       text NOT NULL DEFAULT '',
  recorded_from           timestamptz NOT NULL,
  recorded_until          timestamptz,
  recorded_by             text NOT NULL
);
CREATE UNIQUE INDEX cadre_evaluations_current ON cadre_evaluations (person_id, year)
  WHERE recorded_until IS NULL;
-- The agency's shares of "excellent" and of early raises in a year.
CREATE INDEX cadre_evaluations_agency ON cadre_evaluations (agency_code, year)
  WHERE recorded_until IS NULL;
