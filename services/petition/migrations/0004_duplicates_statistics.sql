-- Duplicates, long-running matters and statistics (issue 22).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- What intake matches a petition by (services/petition/matching.h): the person's keys (a hash
-- of the citizen ID, a hash of the name and address folded without diacritics; for a
-- denouncer, keyed blind-index hashes instead, never the identity itself), the act concerned
-- folded, and the content folded for trigram similarity. One row per petition, written in the
-- petition's creating transaction.
CREATE TABLE petition_matching (
  code            text        PRIMARY KEY REFERENCES petitions (code),
  agency          text        NOT NULL,
  person_id_key   text        NOT NULL DEFAULT '',
  person_name_key text        NOT NULL DEFAULT '',
  matter_key      text        NOT NULL DEFAULT '',
  content_folded  text        NOT NULL,
  received_at     timestamptz NOT NULL
);
-- Candidates: the same person's petitions (the store never asks for an empty key; no partial
-- index, so that a generic plan of the prepared statement still uses these).
CREATE INDEX petition_matching_by_id_key ON petition_matching (person_id_key, agency);
CREATE INDEX petition_matching_by_name_key ON petition_matching (person_name_key, agency);

-- A matter (the same person's petitions about the same matter, across years) and how many
-- petitions it has had: long-running from LOCALGOV_PETITION_MATCHING's long_running_filings.
CREATE TABLE petition_matters (
  matter_group   text        PRIMARY KEY,
  agency         text        NOT NULL,
  filings        int         NOT NULL,
  first_received timestamptz NOT NULL,
  last_received  timestamptz NOT NULL
);

-- Kept by every write beside the stored petition, for lists and statistics: its matter (the
-- code of the matter's first petition), the earlier petition it repeats, the classification
-- decision, the not-processed reason, the outcome and whether it was resolved on time.
ALTER TABLE petitions
  ADD COLUMN matter_group text NOT NULL DEFAULT '',
  ADD COLUMN duplicate_of text NOT NULL DEFAULT '',
  ADD COLUMN decision smallint NOT NULL DEFAULT 0,
  ADD COLUMN not_processed_reason smallint NOT NULL DEFAULT 0,
  ADD COLUMN outcome smallint NOT NULL DEFAULT 0,
  ADD COLUMN on_time boolean,
  -- 0: a petition stored before this migration, whose columns above and matching row the
  -- backfill worker has not derived yet; 1: derived.
  ADD COLUMN derived smallint NOT NULL DEFAULT 0;
-- GetPetitionStatistics: an agency's petitions by time of receipt, read from the index alone.
CREATE INDEX petitions_statistics ON petitions (agency, received_at)
  INCLUDE (kind, field, channel, state, decision, not_processed_reason, outcome, on_time, next_due,
           matter_group, duplicate_of);
CREATE INDEX petitions_not_derived ON petitions (received_at, code) WHERE derived = 0;

-- Statistics: the persons a visit received (a delegation counts its size), kept by every
-- registered visit.
ALTER TABLE reception_visits ADD COLUMN persons int NOT NULL DEFAULT 1;
