-- The cadre service's own schema starts here; its domain tables arrive with their issues.
-- Version 1 records that the service's database was created by its migrations.
CREATE TABLE cadre_meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO cadre_meta (key, value) VALUES ('service', 'cadre');
