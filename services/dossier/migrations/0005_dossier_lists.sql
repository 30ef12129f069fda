-- Lists and worklists: ordered by due date (dossiers without one last), then code, per agency;
-- "late without apology" needs to know whether an apology was issued.
ALTER TABLE dossiers ADD COLUMN apologized boolean NOT NULL DEFAULT false;
DROP INDEX dossiers_by_agency_due;
CREATE INDEX dossiers_worklist ON dossiers
  (receiving_agency, (COALESCE(due_date, DATE '9999-12-31')), code);
DROP INDEX dossiers_by_applicant;
CREATE INDEX dossiers_by_applicant ON dossiers
  (applicant_citizen_id, (COALESCE(due_date, DATE '9999-12-31')), code);
