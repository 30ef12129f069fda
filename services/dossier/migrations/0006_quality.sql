-- Service quality: when and how each dossier finished, and the applicants' ratings.
ALTER TABLE dossiers ADD COLUMN finished_at timestamptz;
ALTER TABLE dossiers ADD COLUMN outcome smallint NOT NULL DEFAULT 0;  -- OutcomeClass
CREATE INDEX dossiers_received_by_agency ON dossiers (receiving_agency, received_at);
CREATE INDEX dossiers_finished_by_agency ON dossiers (receiving_agency, finished_at)
  WHERE finished_at IS NOT NULL;

CREATE TABLE dossier_ratings (
  dossier_code text        PRIMARY KEY REFERENCES dossiers (code),  -- one rating per dossier
  agency       text        NOT NULL,
  level        smallint    NOT NULL,
  comment      text        NOT NULL,
  rated_at     timestamptz NOT NULL,
  rater        text        NOT NULL
);
CREATE INDEX dossier_ratings_by_agency ON dossier_ratings (agency, rated_at);
