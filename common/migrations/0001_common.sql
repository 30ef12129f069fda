-- Tables every localgov service carries in its own database.

-- Append-only, hash-chained audit log (ARCHITECTURE.md "audit record"). Each row's hash covers
-- its fields and the previous row's hash; positions are gapless, so an edited, deleted or
-- inserted row breaks the chain and VerifyAuditChain names the first broken position.
CREATE TABLE audit_log (
  position      bigint PRIMARY KEY,
  at_us         bigint NOT NULL,           -- microseconds since the Unix epoch, UTC
  actor         text   NOT NULL,           -- token subject
  role          text   NOT NULL,
  agency        text   NOT NULL,
  action        text   NOT NULL,           -- e.g. liaison.CreateAgency
  entity_type   text   NOT NULL,
  entity_id     text   NOT NULL,
  request_id    text   NOT NULL,
  change_digest text   NOT NULL,           -- SHA-256 of the change, never the change itself
  prev_hash     text   NOT NULL,
  hash          text   NOT NULL
);

CREATE FUNCTION localgov_audit_log_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION localgov_audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION localgov_audit_log_is_append_only();

-- Transactional outbox (ARCHITECTURE.md): written in the transaction of the change that causes
-- it, relayed by OutboxRelay until the receiver acknowledges. Receivers deduplicate on
-- message_id.
CREATE TABLE outbox (
  id           bigserial PRIMARY KEY,
  message_id   text        NOT NULL UNIQUE,
  topic        text        NOT NULL,
  message_key  text        NOT NULL,
  payload      bytea       NOT NULL,
  content_type text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  available_at timestamptz NOT NULL DEFAULT now(),
  attempts     integer     NOT NULL DEFAULT 0,
  last_error   text,
  delivered_at timestamptz
);
CREATE INDEX outbox_pending_by_available ON outbox (available_at, id) WHERE delivered_at IS NULL;
CREATE INDEX outbox_pending_by_created ON outbox (created_at) WHERE delivered_at IS NULL;

-- Idempotency keys of create RPCs: a retried create returns the first response.
CREATE TABLE idempotency_keys (
  subject        text        NOT NULL,
  method         text        NOT NULL,
  request_id     text        NOT NULL,
  request_digest text        NOT NULL,
  response       bytea,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject, method, request_id)
);
