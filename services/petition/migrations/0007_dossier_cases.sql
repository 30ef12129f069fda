-- Dossiers that went wrong for their applicant (refused at intake, stopped, late), as the dossier
-- service reported them (its outbox, RecordDossierCase): this service's own copy, to show a
-- petition by the same person, or naming the dossier, its related cases. The applicant is kept
-- only as the matching keys (common/person_key: hashes), never the ID, name or address.
-- `version` is the dossier's: a report is kept only when newer than the one held.
CREATE TABLE dossier_cases (
  dossier_code text PRIMARY KEY,
  agency text NOT NULL,
  procedure_code text NOT NULL,
  state text NOT NULL,
  kind integer NOT NULL,
  at timestamptz NOT NULL,
  person_id_key text NOT NULL DEFAULT '',
  person_name_key text NOT NULL DEFAULT '',
  version bigint NOT NULL
);
CREATE INDEX dossier_cases_by_person_id ON dossier_cases (person_id_key) WHERE person_id_key <> '';
CREATE INDEX dossier_cases_by_person_name ON dossier_cases (person_name_key)
  WHERE person_name_key <> '';
