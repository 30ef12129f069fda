-- The exchange (DOMAIN.md §5; liaison issue): mergers and endpoints in the directory, signing
-- keys, access rights (deny by default), envelopes with their delivery history, and the
-- message log: hash-chained and signed with the liaison service's key.
ALTER TABLE agencies ADD COLUMN successor_code text REFERENCES agencies (code);
ALTER TABLE agencies ADD COLUMN status_effective date;
ALTER TABLE agencies ADD COLUMN receiver_endpoint text NOT NULL DEFAULT '';

-- A key id is unique per agency: one service (the dossier service) may sign for several
-- agencies with the same key.
CREATE TABLE agency_keys (
  agency      text        NOT NULL REFERENCES agencies (code),
  key_id      text        NOT NULL,
  public_key  bytea       NOT NULL CHECK (length(public_key) = 32),
  valid_from  timestamptz NOT NULL,
  valid_until timestamptz,
  PRIMARY KEY (agency, key_id)
);

CREATE TABLE access_rights (
  sender   text     NOT NULL REFERENCES agencies (code),
  type     smallint NOT NULL,
  receiver text     NOT NULL REFERENCES agencies (code),
  PRIMARY KEY (sender, type, receiver)
);

CREATE TABLE envelopes (
  id              text        PRIMARY KEY,
  type            smallint    NOT NULL,
  sender          text        NOT NULL,
  addressed_to    text        NOT NULL,
  delivered_to    text        NOT NULL,
  redirect_chain  text        NOT NULL DEFAULT '',  -- codes joined by ' > ' when redirected
  correlation_id  text        NOT NULL,
  in_reply_to     text        NOT NULL,
  envelope        bytea       NOT NULL,             -- localgov.liaison.v1.Envelope as signed
  digest          text        NOT NULL,             -- hex SHA-256 of the request body
  state           smallint    NOT NULL,             -- DeliveryState
  ack_code        smallint    NOT NULL DEFAULT 0,
  ack_reason      text        NOT NULL DEFAULT '',
  receiver_ref    text        NOT NULL DEFAULT '',
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until     timestamptz,
  accepted_at     timestamptz NOT NULL,
  ack_at          timestamptz
);
CREATE INDEX envelopes_due ON envelopes (next_attempt_at) WHERE state = 1;
CREATE INDEX envelopes_by_accepted ON envelopes (accepted_at DESC, id DESC);
CREATE INDEX envelopes_by_sender ON envelopes (sender, accepted_at DESC, id DESC);
CREATE INDEX envelopes_by_receiver ON envelopes (delivered_to, accepted_at DESC, id DESC);

CREATE TABLE delivery_attempts (
  envelope_id text        NOT NULL REFERENCES envelopes (id),
  n           integer     NOT NULL,
  at          timestamptz NOT NULL,
  ack_code    smallint    NOT NULL,
  error       text        NOT NULL,
  PRIMARY KEY (envelope_id, n)
);

-- Append-only: every accepted envelope and every state change. hash = SHA-256 over the
-- entry's fields and prev_hash; signature = Ed25519 of hash by the key key_id.
CREATE TABLE message_log (
  sequence    bigint      PRIMARY KEY,
  at          timestamptz NOT NULL,
  event       text        NOT NULL,
  envelope_id text        NOT NULL,
  detail      text        NOT NULL,
  prev_hash   text        NOT NULL,
  hash        text        NOT NULL,
  key_id      text        NOT NULL,
  signature   text        NOT NULL
);
CREATE FUNCTION message_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'message_log is append-only';
END $$;
CREATE TRIGGER message_log_no_update BEFORE UPDATE OR DELETE ON message_log
  FOR EACH ROW EXECUTE FUNCTION message_log_append_only();
CREATE TRIGGER message_log_no_truncate BEFORE TRUNCATE ON message_log
  FOR EACH STATEMENT EXECUTE FUNCTION message_log_append_only();

-- The liaison's own log-signing public keys, so a verifier knows every key id ever used.
CREATE TABLE log_keys (
  key_id     text        PRIMARY KEY,
  public_key bytea       NOT NULL,
  first_used timestamptz NOT NULL
);
