-- The reception register, leaders' reception sessions and voters' recommendations
-- (DOMAIN.md §3; services/petition/reception_store.h). Records are kept as their protobuf
-- (details) with the columns reports filter on.
CREATE TABLE reception_sessions (
  id              text        PRIMARY KEY,
  agency          text        NOT NULL,
  kind            smallint    NOT NULL,
  day             date        NOT NULL,
  leader          text        NOT NULL DEFAULT '',
  leader_role     smallint    NOT NULL DEFAULT 0,
  -- A deputy's session: the head it stands in for.
  stands_in_for   text        NOT NULL DEFAULT '',
  details         bytea       NOT NULL,
  created_at      timestamptz NOT NULL
);
-- GetReceptionDays: an agency's sessions by day.
CREATE INDEX reception_sessions_by_agency_day ON reception_sessions (agency, day);

-- Session ids per agency and day; register numbers per agency and year, gapless (the row is
-- locked until commit; a failed transaction takes its number back).
CREATE TABLE reception_counters (
  agency text NOT NULL,
  series text NOT NULL,
  last   int  NOT NULL,
  PRIMARY KEY (agency, series)
);

CREATE TABLE reception_visits (
  register_number text        PRIMARY KEY,
  agency          text        NOT NULL,
  session_id      text        REFERENCES reception_sessions (id),
  day             date        NOT NULL,
  crowd_case      boolean     NOT NULL,
  details         bytea       NOT NULL,
  created_at      timestamptz NOT NULL
);
CREATE INDEX reception_visits_by_agency_day ON reception_visits (agency, day);
CREATE INDEX reception_visits_by_session ON reception_visits (session_id) WHERE session_id IS NOT NULL;

-- A visitor sealed like a denouncer (a visit that brought a denunciation): bound to the
-- register number, under the identity vault's key.
CREATE TABLE reception_visit_identities (
  register_number text        PRIMARY KEY REFERENCES reception_visits (register_number),
  key_id          text        NOT NULL,
  sealed          bytea       NOT NULL,
  sealed_at       timestamptz NOT NULL
);
CREATE INDEX reception_visit_identities_by_key ON reception_visit_identities (key_id);

-- The petitions a visit yielded, one per matter.
CREATE TABLE reception_visit_petitions (
  register_number text NOT NULL REFERENCES reception_visits (register_number),
  petition_code   text NOT NULL REFERENCES petitions (code),
  PRIMARY KEY (register_number, petition_code)
);

CREATE TABLE voter_sessions (
  id           text        PRIMARY KEY,
  agency       text        NOT NULL,
  details      bytea       NOT NULL,
  created_at   timestamptz NOT NULL
);

CREATE TABLE voter_recommendations (
  id              text        PRIMARY KEY,
  session_id      text        NOT NULL REFERENCES voter_sessions (id),
  seq             int         NOT NULL,
  council_agency  text        NOT NULL,
  assigned_agency text        NOT NULL DEFAULT '',
  state           smallint    NOT NULL,
  details         bytea       NOT NULL,
  version         bigint      NOT NULL,
  updated_at      timestamptz NOT NULL,
  UNIQUE (session_id, seq)
);
-- GetVoterReport: a session's recommendations; an assigned agency's.
CREATE INDEX voter_recommendations_by_assigned ON voter_recommendations (assigned_agency, session_id) WHERE assigned_agency <> '';
