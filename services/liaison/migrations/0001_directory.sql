-- The exchange directory: agencies (DOMAIN.md §0, §5). Administrative units, succession,
-- endpoints, keys and access rights arrive with the liaison issue.
CREATE TABLE agencies (
  code                     text PRIMARY KEY,          -- national agency code, e.g. 000.00.00.G22
  name                     text        NOT NULL,
  kind                     smallint    NOT NULL,      -- localgov.liaison.v1.AgencyKind
  administrative_unit_code text        NOT NULL DEFAULT '',
  status                   smallint    NOT NULL DEFAULT 1,  -- AgencyStatus, 1 = active
  created_at               timestamptz NOT NULL,
  version                  bigint      NOT NULL DEFAULT 1
);
