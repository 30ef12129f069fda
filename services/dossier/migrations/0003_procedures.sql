-- The procedure catalogue (DOMAIN.md §1): every version of every procedure is kept, since a
-- dossier follows the version in force at intake; lists show the latest version.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE procedures (
  code           text        NOT NULL,
  version        integer     NOT NULL CHECK (version > 0),
  effective_from date        NOT NULL,
  is_latest      boolean     NOT NULL,
  search_name    text        NOT NULL,  -- name folded: no diacritics, lower case
  search_field   text        NOT NULL,  -- field folded the same way
  level          smallint    NOT NULL,
  definition     bytea       NOT NULL,  -- localgov.dossier.v1.Procedure, binary protobuf
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (code, version)
);
CREATE UNIQUE INDEX procedures_latest_by_code ON procedures (code) WHERE is_latest;
CREATE INDEX procedures_latest_by_field ON procedures (search_field, code) WHERE is_latest;
CREATE INDEX procedures_latest_by_level ON procedures (level, code) WHERE is_latest;
CREATE INDEX procedures_latest_name_trgm ON procedures USING gin (search_name gin_trgm_ops)
  WHERE is_latest;
