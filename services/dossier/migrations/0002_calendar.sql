-- The working-day calendar, one row per year (DOMAIN.md §2: data per year, editable). The
-- dossier service seeds missing years at start (never overwriting an administrator's edit).
CREATE TABLE calendar_years (
  year       integer PRIMARY KEY,
  data       jsonb       NOT NULL,  -- holidays, swapped_days_off, make_up_working_days, source, provisional
  version    bigint      NOT NULL,
  updated_at timestamptz NOT NULL
);
