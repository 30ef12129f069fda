-- Envelopes the liaison service delivered to this service (ReceiverService.Deliver): kept
-- before the acknowledgement, once per envelope id (a redelivery after a lost answer finds
-- the row and is acknowledged again without a second effect).
CREATE TABLE inbox (
  envelope_id    text        PRIMARY KEY,
  type           smallint    NOT NULL,
  sender         text        NOT NULL,
  delivered_to   text        NOT NULL,
  correlation_id text        NOT NULL,
  in_reply_to    text        NOT NULL,
  envelope       bytea       NOT NULL,
  received_at    timestamptz NOT NULL
);
CREATE INDEX inbox_by_correlation ON inbox (correlation_id, received_at);
