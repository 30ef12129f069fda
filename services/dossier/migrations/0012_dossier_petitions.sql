-- The petitions that name a dossier, as the petition service last reported them (its outbox,
-- RecordDossierPetition): this service's own copy, which GetDossier shows. Never the petitioner
-- or the content. `sequence` is the petition service's change sequence: a report is kept only
-- when it is newer than the one held.
CREATE TABLE dossier_petitions (
  petition_code text PRIMARY KEY,
  dossier_code text NOT NULL,
  agency text NOT NULL,
  kind integer NOT NULL,
  state integer NOT NULL,
  next_due date,
  received_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  sequence bigint NOT NULL
);
CREATE INDEX dossier_petitions_by_dossier ON dossier_petitions (dossier_code, received_at);
