-- Issue 21: agencies come from the liaison service's signed directory (their codes, names and
-- mergers with their effective dates); the cadre service adds only who supervises whom.
-- A row the directory projection inserted has no supervision registered yet
-- (supervision_registered = false) until RegisterAgency sets it.
ALTER TABLE cadre_agencies
  ADD COLUMN from_directory boolean NOT NULL DEFAULT false,
  ADD COLUMN supervision_registered boolean NOT NULL DEFAULT true;

-- The directory version last projected into cadre_agencies (one row).
CREATE TABLE cadre_directory (
  id           boolean PRIMARY KEY DEFAULT true CHECK (id),
  version      bigint NOT NULL,
  projected_at timestamptz NOT NULL
);
