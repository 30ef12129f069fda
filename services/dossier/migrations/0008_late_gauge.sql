-- The late-without-apology gauge (metric localgov_dossiers_late_without_apology, alert
-- LocalgovDossiersLateWithoutApology) counts open dossiers past their due date with no apology,
-- per agency, every minute: a partial index keeps that to the few such dossiers.
CREATE INDEX dossiers_open_unapologized_by_due ON dossiers (due_date, receiving_agency)
  WHERE state IN (2, 4, 6) AND NOT apologized;
