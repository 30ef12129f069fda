-- Petitions (DOMAIN.md §3). The petition itself is kept as its protobuf (details) with the
-- columns lists filter and sort on; a denouncer's identity is never in it: it lives sealed in
-- petition_identities.
CREATE TABLE petition_code_counters (
  agency text NOT NULL,
  day    date NOT NULL,
  last   int  NOT NULL,
  PRIMARY KEY (agency, day)
);

CREATE TABLE petitions (
  code            text        PRIMARY KEY,
  agency          text        NOT NULL,
  kind            smallint    NOT NULL,
  field           smallint    NOT NULL,
  channel         smallint    NOT NULL,
  state           smallint    NOT NULL,
  officer         text        NOT NULL DEFAULT '',
  -- The petitioner's citizen ID for a citizen's own reads and duplicate checks; empty for a
  -- denunciation (sealed) and for an anonymous petition.
  petitioner_citizen_id text  NOT NULL DEFAULT '',
  -- The act concerned (decision number or dossier code), for "same matter" checks.
  matter          text        NOT NULL DEFAULT '',
  received_at     timestamptz NOT NULL,
  -- The earliest binding clock; NULL when none binds (a final state).
  next_due        date,
  -- SHA-256 of the follow secret (bound to the code); LookupPetition compares it.
  follow_hash     bytea       NOT NULL,
  details         bytea       NOT NULL,
  version         bigint      NOT NULL,
  -- A petition another agency forwarded to us: the envelope it came in, once.
  source_envelope text        UNIQUE,
  -- A petition we forwarded: the envelope that carried it (its answer names it).
  forward_envelope text       UNIQUE,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
-- ListPetitions: an agency's petitions by next deadline (open first), then code.
CREATE INDEX petitions_by_agency_due ON petitions (agency, (COALESCE(next_due, 'infinity'::date)), code);
CREATE INDEX petitions_by_agency_state_due ON petitions (agency, state, (COALESCE(next_due, 'infinity'::date)), code);
CREATE INDEX petitions_by_officer ON petitions (agency, officer, (COALESCE(next_due, 'infinity'::date)), code) WHERE officer <> '';
-- The overdue gauge and "due before": open petitions by day.
CREATE INDEX petitions_open_due ON petitions (next_due) WHERE next_due IS NOT NULL;
CREATE INDEX petitions_by_petitioner ON petitions (petitioner_citizen_id, matter) WHERE petitioner_citizen_id <> '';

CREATE TABLE petition_events (
  petition_code text        NOT NULL REFERENCES petitions (code),
  sequence      bigint      NOT NULL,
  details       bytea       NOT NULL,
  at            timestamptz NOT NULL,
  PRIMARY KEY (petition_code, sequence)
);

-- The feed of WatchPetitions: gap-free sequence in commit order (the counter row's lock).
CREATE TABLE petition_change_counter (last bigint NOT NULL);
INSERT INTO petition_change_counter (last) VALUES (0);
CREATE TABLE petition_changes (
  sequence       bigint      PRIMARY KEY,
  petition_code  text        NOT NULL REFERENCES petitions (code),
  agency         text        NOT NULL,
  kind           smallint    NOT NULL,
  event_sequence bigint      NOT NULL,
  next_due       date,
  at             timestamptz NOT NULL,
  UNIQUE (petition_code, event_sequence)
);
CREATE INDEX petition_changes_by_agency ON petition_changes (agency, sequence);

-- A denouncer's identity, sealed (services/petition/identity_vault.h): the key id names the
-- key (kept outside the database); the blob opens only for this petition code.
CREATE TABLE petition_identities (
  petition_code text        PRIMARY KEY REFERENCES petitions (code),
  key_id        text        NOT NULL,
  sealed        bytea       NOT NULL,
  sealed_at     timestamptz NOT NULL
);
CREATE INDEX petition_identities_by_key ON petition_identities (key_id);

-- Every reading of a sealed identity: who, when, why.
CREATE TABLE identity_readings (
  id            bigserial   PRIMARY KEY,
  petition_code text        NOT NULL REFERENCES petitions (code),
  agency        text        NOT NULL,
  reader        text        NOT NULL,
  role          text        NOT NULL,
  reason        text        NOT NULL,
  at            timestamptz NOT NULL
);
CREATE INDEX identity_readings_by_agency ON identity_readings (agency, id DESC);
CREATE INDEX identity_readings_by_petition ON identity_readings (petition_code, id DESC);

-- Envelopes delivered to us (ReceiverService.Deliver), kept once: a redelivery is answered
-- with the same acknowledgement.
CREATE TABLE inbox (
  envelope_id   text        PRIMARY KEY,
  type          smallint    NOT NULL,
  sender        text        NOT NULL,
  delivered_to  text        NOT NULL,
  ack_code      smallint    NOT NULL,
  ack_reason    text        NOT NULL DEFAULT '',
  reference     text        NOT NULL DEFAULT '',
  received_at   timestamptz NOT NULL
);
