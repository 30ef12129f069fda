-- The change feed behind WatchDossiers: one row per dossier event, written in the event's
-- transaction. `sequence` comes from a single counter row whose lock is held until commit, so
-- sequences are handed out in commit order: a reader that has seen sequence N has seen every
-- committed change <= N, and a portal resuming "after N" misses nothing.
CREATE TABLE dossier_change_counter (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last      bigint  NOT NULL
);

CREATE TABLE dossier_changes (
  sequence         bigint      PRIMARY KEY,
  dossier_code     text        NOT NULL REFERENCES dossiers (code),
  receiving_agency text        NOT NULL,
  procedure_code   text        NOT NULL,
  event_sequence   bigint      NOT NULL,
  from_state       smallint    NOT NULL,
  to_state         smallint    NOT NULL,
  version          bigint      NOT NULL,
  due_date         date,
  at               timestamptz NOT NULL,
  UNIQUE (dossier_code, event_sequence)
);
CREATE INDEX dossier_changes_by_agency ON dossier_changes (receiving_agency, sequence);

-- Dossiers received before the feed existed: their history, in time order.
INSERT INTO dossier_changes
SELECT row_number() OVER (ORDER BY e.at, e.dossier_code, e.sequence), e.dossier_code,
       d.receiving_agency, d.procedure_code, e.sequence, e.from_state, e.to_state,
       e.sequence, d.due_date, e.at
FROM dossier_events e JOIN dossiers d ON d.code = e.dossier_code;
INSERT INTO dossier_change_counter (last) SELECT COALESCE(max(sequence), 0) FROM dossier_changes;
