-- Route steps as they are completed, one row each, for the statistics of the agency that did
-- them (Circular 01/2018 indicator 2: each participating agency's own time). The receiving
-- agency's own steps and the steps other agencies return through the exchange alike. Steps
-- completed before this migration are not counted (their dossiers keep them).
CREATE TABLE dossier_step_outcomes (
  dossier_code text        NOT NULL REFERENCES dossiers (code),
  step_index   integer     NOT NULL,
  agency       text        NOT NULL,
  own          boolean     NOT NULL,   -- the receiving agency's own step
  due_date     date        NOT NULL,
  done_at      timestamptz NOT NULL,
  outcome      smallint    NOT NULL,   -- OutcomeClass: 1 early, 2 on time, 3 late
  points       smallint    NOT NULL,   -- indicator 2: 2, 1, 0
  PRIMARY KEY (dossier_code, step_index)
);
CREATE INDEX dossier_step_outcomes_by_agency ON dossier_step_outcomes (agency, done_at);
