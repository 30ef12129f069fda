-- Other services' audit chain heads (issue 25): each is carried by a signed entry of the
-- message log (event "anchored", detail {"chain","position","hash"}); this table finds them by
-- chain and position. Append-only like the log: a rewritten chain cannot be re-anchored at a
-- position with another hash.
CREATE TABLE audit_anchors (
  chain        text   NOT NULL,
  position     bigint NOT NULL CHECK (position > 0),
  hash         text   NOT NULL,
  log_sequence bigint NOT NULL UNIQUE REFERENCES message_log (sequence),
  PRIMARY KEY (chain, position)
);
CREATE TRIGGER audit_anchors_no_update BEFORE UPDATE OR DELETE ON audit_anchors
  FOR EACH ROW EXECUTE FUNCTION message_log_append_only();
CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors
  FOR EACH STATEMENT EXECUTE FUNCTION message_log_append_only();
