-- Issue 21: units, job positions, quotas, people, qualifications and their bitemporal history.

-- Agencies as the cadre service knows them: who supervises whom (whose personnel office also
-- manages its staff) and which merged into which.
CREATE TABLE cadre_agencies (
  code             text PRIMARY KEY,
  name             text NOT NULL,
  supervisor_codes text[] NOT NULL DEFAULT '{}',
  successor_code   text REFERENCES cadre_agencies (code),
  merged_on        date,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cadre_agencies_successor ON cadre_agencies (successor_code) WHERE successor_code IS NOT NULL;

CREATE TABLE cadre_units (
  code        text PRIMARY KEY,
  agency_code text NOT NULL REFERENCES cadre_agencies (code),
  name        text NOT NULL,
  parent_code text REFERENCES cadre_units (code),
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- ListUnits: an agency's units in code order.
CREATE INDEX cadre_units_agency ON cadre_units (agency_code, code);

CREATE TABLE cadre_positions (
  code                        text PRIMARY KEY,
  unit_code                   text NOT NULL REFERENCES cadre_units (code),
  name                        text NOT NULL,
  required_rank               smallint NOT NULL,
  required_professional_level smallint NOT NULL DEFAULT 0,
  required_field              text NOT NULL DEFAULT '',
  required_political_theory   smallint NOT NULL DEFAULT 0,
  requires_state_management   boolean NOT NULL DEFAULT false,
  leadership                  boolean NOT NULL DEFAULT false,
  max_holders                 integer NOT NULL CHECK (max_holders BETWEEN 1 AND 1000),
  created_at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cadre_positions_unit ON cadre_positions (unit_code, code);

CREATE TABLE cadre_quotas (
  unit_code text NOT NULL REFERENCES cadre_units (code),
  year      integer NOT NULL,
  quota     integer NOT NULL CHECK (quota >= 0),
  version   bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (unit_code, year)
);

CREATE SEQUENCE cadre_people_id_seq;
CREATE TABLE cadre_people (
  id          bigint PRIMARY KEY DEFAULT nextval('cadre_people_id_seq'),
  kind        smallint NOT NULL,
  citizen_id  text NOT NULL UNIQUE,
  full_name   text NOT NULL,
  birth_date  date NOT NULL,
  gender      smallint NOT NULL,
  ethnicity   text NOT NULL DEFAULT '',
  agency_code text NOT NULL REFERENCES cadre_agencies (code),
  version     bigint NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- ListPeople: an agency's people in id order.
CREATE INDEX cadre_people_agency ON cadre_people (agency_code, id);

-- Qualifications: held from awarded_on; recorded_at lets an as-known-at read leave out what
-- was recorded later.
CREATE TABLE cadre_qualifications (
  id          bigserial PRIMARY KEY,
  person_id   bigint NOT NULL REFERENCES cadre_people (id),
  category    smallint NOT NULL,
  level       smallint NOT NULL DEFAULT 0,
  field       text NOT NULL DEFAULT '',
  awarded_on  date NOT NULL,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX cadre_qualifications_person ON cadre_qualifications (person_id, awarded_on);

-- The bitemporal history: one row per version of a record. Valid time [valid_from,
-- valid_until) is when it is true of the world (NULL until: open); recorded time
-- [recorded_from, recorded_until) is when the service believed it (NULL until: current
-- knowledge). A correction or an ending closes the recorded time of the version it replaces
-- and inserts the new version with the same record_id; nothing is ever deleted or rewritten
-- except recorded_until, once.
CREATE SEQUENCE cadre_record_id_seq;
CREATE TABLE cadre_history (
  version_id       bigserial PRIMARY KEY,
  record_id        bigint NOT NULL,
  person_id        bigint NOT NULL REFERENCES cadre_people (id),
  kind             smallint NOT NULL,          -- 1 assignment, 2 rank
  movement         smallint NOT NULL DEFAULT 0,
  position_code    text REFERENCES cadre_positions (code),
  unit_code        text,
  agency_code      text,
  term_end         date,
  rank             smallint NOT NULL DEFAULT 0,
  grade_code       text NOT NULL DEFAULT '',
  step             smallint NOT NULL DEFAULT 0,
  coefficient_x100 integer NOT NULL DEFAULT 0,
  valid_from       date NOT NULL,
  valid_until      date,
  recorded_from    timestamptz NOT NULL,
  recorded_until   timestamptz,
  change_kind      smallint NOT NULL,
  reason           text NOT NULL DEFAULT '',
  recorded_by      text NOT NULL DEFAULT '',
  CHECK (valid_until IS NULL OR valid_until > valid_from),
  CHECK (recorded_until IS NULL OR recorded_until >= recorded_from),
  CHECK (kind <> 1 OR (position_code IS NOT NULL AND unit_code IS NOT NULL AND agency_code IS NOT NULL))
);
-- One current version per record.
CREATE UNIQUE INDEX cadre_history_current ON cadre_history (record_id) WHERE recorded_until IS NULL;
-- A person as of a day (GetPerson, GetPersonHistory): the person's versions by kind and day.
CREATE INDEX cadre_history_person ON cadre_history (person_id, kind, valid_from);
-- The same, as known now (the common read): the record in force is the first entry read
-- backwards from the day.
CREATE INDEX cadre_history_person_now ON cadre_history (person_id, kind, valid_from)
  WHERE recorded_until IS NULL;
-- A unit's roster as of a day, as known now (the common read) and at any time.
CREATE INDEX cadre_history_unit_now ON cadre_history (unit_code, valid_from)
  INCLUDE (valid_until, person_id, position_code)
  WHERE kind = 1 AND recorded_until IS NULL;
CREATE INDEX cadre_history_unit ON cadre_history (unit_code, valid_from)
  INCLUDE (valid_until, recorded_from, recorded_until, person_id) WHERE kind = 1;
CREATE INDEX cadre_history_agency_now ON cadre_history (agency_code, valid_from)
  INCLUDE (valid_until, person_id) WHERE kind = 1 AND recorded_until IS NULL;
CREATE INDEX cadre_history_agency ON cadre_history (agency_code, valid_from)
  INCLUDE (valid_until, recorded_from, recorded_until, person_id) WHERE kind = 1;
-- Holders of a position (the one-holder check and the staffing view).
CREATE INDEX cadre_history_position_now ON cadre_history (position_code, valid_from)
  INCLUDE (valid_until, person_id) WHERE kind = 1 AND recorded_until IS NULL;
