-- Dossiers and their history (DOMAIN.md §1).

-- Dossier code sequence per receiving agency and intake day (Circular 01/2018 Art. 19:
-- <agency>-YYMMDD-XXXX). The row lock of the upsert serialises concurrent intakes of one
-- agency and day, so every code is used once.
CREATE TABLE dossier_code_counters (
  agency text    NOT NULL,
  day    date    NOT NULL,
  last   integer NOT NULL,
  PRIMARY KEY (agency, day)
);

CREATE TABLE dossiers (
  code                  text        PRIMARY KEY,
  procedure_code        text        NOT NULL,
  procedure_version     integer     NOT NULL,
  receiving_agency      text        NOT NULL,
  channel               smallint    NOT NULL,
  state                 smallint    NOT NULL,
  applicant_name        text        NOT NULL,
  applicant_citizen_id  text        NOT NULL,   -- never logged; masked in lists
  details               bytea       NOT NULL,   -- the rest: localgov.dossier.v1.Dossier without events
  received_at           timestamptz NOT NULL,
  clock_start           date        NOT NULL,
  due_date              date,
  deadline              timestamptz,
  version               bigint      NOT NULL,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  FOREIGN KEY (procedure_code, procedure_version) REFERENCES procedures (code, version)
);
CREATE INDEX dossiers_by_agency_due ON dossiers (receiving_agency, due_date, code);
CREATE INDEX dossiers_by_applicant ON dossiers (applicant_citizen_id, code);

CREATE TABLE dossier_events (
  dossier_code text        NOT NULL REFERENCES dossiers (code),
  sequence     bigint      NOT NULL,
  at           timestamptz NOT NULL,
  actor        text        NOT NULL,
  role         text        NOT NULL,
  agency       text        NOT NULL,
  from_state   smallint    NOT NULL,
  to_state     smallint    NOT NULL,
  note         text        NOT NULL,
  request_id   text        NOT NULL,
  PRIMARY KEY (dossier_code, sequence)
);
