# Sourced by bench/handoff_baseline.sh: the same-work baseline of issue 27 for acknowledged
# handoffs — pgbench replaying, on a scratch database with the liaison's schema and the dossier
# service's inbox table, the statements one acknowledged handoff costs, with the service's
# transaction boundaries and batch shapes:
#   handoff.sql   per handoff: Send's insert, committed on its own; the receiver's inbox insert,
#                 committed on its own (two round trips, as in the service);
#   writer.sql    the log writer's batch: BEGIN, the log's lock, the unlogged envelopes with the
#                 log's head, the entries inserted and the envelopes marked in one statement,
#                 COMMIT;
#   delivery.sql  the delivery worker's batch: BEGIN, the outcomes (attempts and states) in one
#                 statement, the log's lock, the head, the entries, COMMIT.
# The batch scripts run with weights that give the batch sizes measured in the service's run.
# What the replay cannot do as the service does: pgbench cannot build JSON, so the JSON the
# service builds from rows it holds is built by the read before it (the unlogged read; the
# head read), and the delivery batch picks its envelopes inside its outcomes statement (the
# service holds them in memory); hashes and signatures are text of the same length. The
# statements' text is otherwise the service's (services/liaison/exchange_store.cc,
# services/dossier/dossier_store.cc InsertInbox).
REPLAY_DB=bench_handoff
PGBENCH="${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}"
psql_r() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAq "$@"; }

replay_setup() {
  local dir="$1"
  psql_r -c "DROP DATABASE IF EXISTS $REPLAY_DB" postgres >/dev/null
  psql_r -c "CREATE DATABASE $REPLAY_DB" postgres >/dev/null
  pg_dump -h 127.0.0.1 -p "$PG_PORT" -U postgres -s localgov_liaison | psql_r "$REPLAY_DB" >/dev/null
  pg_dump -h 127.0.0.1 -p "$PG_PORT" -U postgres -s -t inbox localgov_dossier | psql_r "$REPLAY_DB" >/dev/null
  # The rows the statements read: the directory's version, the two agencies, a log head.
  psql_r "$REPLAY_DB" >/dev/null <<'SQL'
INSERT INTO directory_state (version, changed_at) VALUES (1, now());
INSERT INTO agencies (code, name, kind, created_at, receiver_endpoint) VALUES
  ('000.00.31.H41', 'sender', 1, now(), 'service:dossier'),
  ('000.00.32.H41', 'receiver', 1, now(), 'service:dossier');
INSERT INTO message_log VALUES (1, now(), 'genesis', '', '', repeat('0', 64), repeat('0', 64), 'k', '');
SQL
  # One envelope as the load generator sends it, serialized (its size is what is stored).
  local env_hex
  env_hex="$(psql_r -c "SELECT encode(envelope, 'hex') FROM envelopes ORDER BY accepted_at DESC LIMIT 1" localgov_liaison)"
  [ -n "$env_hex" ] || env_hex="$(head -c 230 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  echo "$env_hex" >"$dir/envelope.hex"

  cat >"$dir/handoff.sql" <<'SQL'
\set id random(1, 1000000000000000)
\set us :t0 + random(0, 100000000)
INSERT INTO envelopes (id, type, sender, addressed_to, delivered_to, redirect_chain, correlation_id, in_reply_to, envelope, digest, state, next_attempt_at, accepted_at, acknowledge_by) SELECT :id, 1, '000.00.31.H41', '000.00.32.H41', '000.00.32.H41', '', 'loadgen', '', :env, :digest, 1, timestamptz 'epoch' + :us::bigint * interval '1 microsecond', timestamptz 'epoch' + :us::bigint * interval '1 microsecond', timestamptz 'epoch' + NULLIF(0::bigint, 0) * interval '1 microsecond' WHERE (SELECT version FROM directory_state) = 1 ON CONFLICT (id) DO NOTHING RETURNING id;
INSERT INTO inbox (envelope_id, type, sender, delivered_to, correlation_id, in_reply_to, envelope, received_at) VALUES (:id, 1, '000.00.31.H41', '000.00.32.H41', 'loadgen', '', :env, timestamptz 'epoch' + :us::bigint * interval '1 microsecond') ON CONFLICT (envelope_id) DO NOTHING RETURNING envelope_id;
SQL
  # The unlogged read returns what the service reads (the envelope columns, the endpoint and
  # the head) as the two JSON documents the service then builds from them.
  cat >"$dir/writer.sql" <<'SQL'
BEGIN;
SELECT pg_advisory_xact_lock(7263002027);
WITH u AS (SELECT id, envelope, digest, delivered_to, redirect_chain, state, ack_code, ack_reason, receiver_ref, attempts, (extract(epoch FROM accepted_at) * 1000000)::bigint AS acc, COALESCE((extract(epoch FROM ack_at) * 1000000)::bigint, 0), COALESCE(log_sequence, 0), (extract(epoch FROM acknowledge_by) * 1000000)::bigint, (SELECT receiver_endpoint FROM agencies a WHERE a.code = delivered_to), (SELECT sequence FROM message_log ORDER BY sequence DESC LIMIT 1) AS head, (SELECT hash FROM message_log ORDER BY sequence DESC LIMIT 1), row_number() OVER (ORDER BY accepted_at, id) AS ord FROM envelopes WHERE log_sequence IS NULL AND state = 1 AND ('' = '' OR id = '') ORDER BY accepted_at, id LIMIT 500)
SELECT COALESCE(jsonb_agg(jsonb_build_object('sequence', head + ord, 'at', acc, 'event', 'accepted', 'envelope_id', id, 'detail', 'ENVELOPE_TYPE_STEP_HANDOFF 000.00.31.H41 > 000.00.32.H41 re loadgen sha256 ' || digest || ' sig ' || digest || digest, 'prev_hash', digest, 'hash', digest, 'key_id', 'liaison-log-local', 'signature', digest || digest)), '[]') AS logjson, COALESCE(jsonb_agg(jsonb_build_object('id', id, 'seq', head + ord)), '[]') AS markjson, count(*) AS k FROM u \gset
WITH appended AS (INSERT INTO message_log (sequence, at, event, envelope_id, detail, prev_hash, hash, key_id, signature) SELECT sequence, timestamptz 'epoch' + at * interval '1 microsecond', event, envelope_id, detail, prev_hash, hash, key_id, signature FROM jsonb_to_recordset(:logjson::jsonb) AS x(sequence bigint, at bigint, event text, envelope_id text, detail text, prev_hash text, hash text, key_id text, signature text) ORDER BY sequence) UPDATE envelopes e SET log_sequence = x.seq, lease_until = now() + 60000000::bigint * interval '1 microsecond' FROM (SELECT * FROM jsonb_to_recordset(:markjson::jsonb) AS x(id text, seq bigint) LIMIT :k) x WHERE e.id = x.id;
COMMIT;
SQL
  cat >"$dir/delivery.sql" <<'SQL'
BEGIN;
WITH x AS (SELECT e.id, e.attempts + 1 AS n, 1 AS ack, '' AS error, 2 AS state, '' AS reason, 'loadgen' AS ref, 0::bigint AS next FROM envelopes e WHERE e.state = 1 AND e.log_sequence IS NOT NULL ORDER BY e.next_attempt_at LIMIT 64 FOR UPDATE SKIP LOCKED), a AS (INSERT INTO delivery_attempts (envelope_id, n, at, ack_code, error) SELECT id, n, now(), ack, error FROM x ON CONFLICT DO NOTHING), u AS (UPDATE envelopes e SET attempts = x.n, state = CASE WHEN x.state = 1 THEN e.state ELSE x.state END, ack_code = CASE WHEN x.state IN (2, 3) THEN x.ack ELSE e.ack_code END, ack_reason = CASE WHEN x.state IN (2, 3) OR (x.state = 4 AND x.reason <> '') THEN x.reason ELSE e.ack_reason END, receiver_ref = CASE WHEN x.state IN (2, 3) THEN x.ref ELSE e.receiver_ref END, ack_at = CASE WHEN x.state IN (2, 3) THEN now() ELSE e.ack_at END, next_attempt_at = CASE WHEN x.state = 1 THEN timestamptz 'epoch' + x.next * interval '1 microsecond' ELSE e.next_attempt_at END, lease_until = NULL FROM x WHERE e.id = x.id RETURNING e.id, e.digest) SELECT COALESCE(jsonb_agg(jsonb_build_object('id', id, 'digest', digest)), '[]') AS ids FROM u \gset
SELECT pg_advisory_xact_lock(7263002027);
SELECT (SELECT COALESCE(jsonb_agg(jsonb_build_object('sequence', sequence + ord, 'at', 0, 'event', 'acknowledged', 'envelope_id', y.id, 'detail', '000.00.32.H41 ACK_CODE_REGISTERED ref loadgen', 'prev_hash', y.digest, 'hash', y.digest, 'key_id', 'liaison-log-local', 'signature', y.digest || y.digest)), '[]') FROM ROWS FROM (jsonb_to_recordset(:ids::jsonb) AS (id text, digest text)) WITH ORDINALITY AS y(id, digest, ord)) AS logjson FROM (SELECT sequence, hash FROM message_log ORDER BY sequence DESC LIMIT 1) h \gset
INSERT INTO message_log (sequence, at, event, envelope_id, detail, prev_hash, hash, key_id, signature) SELECT sequence, timestamptz 'epoch' + at * interval '1 microsecond', event, envelope_id, detail, prev_hash, hash, key_id, signature FROM jsonb_to_recordset(:logjson::jsonb) AS x(sequence bigint, at bigint, event text, envelope_id text, detail text, prev_hash text, hash text, key_id text, signature text) ORDER BY sequence;
COMMIT;
SQL
}

# replay DIR MODE SECONDS CONCURRENCY WRITER_BATCH DELIVERY_BATCH -> one JSON line
replay_run() {
  local dir="$1" mode="$2" secs="$3" conc="$4" wb="$5" db="$6" pm p0 p1 out
  local ww dw
  ww="$(python3 -c "print(max(1, round(1000 / max(1.0, float('$wb')))))")"
  # At most 64 envelopes per delivery batch (the worker's batch size): weighted to keep up.
  dw="$(python3 -c "print(max(1, round(1000 / min(60.0, max(1.0, float('$db'))))))")"
  pm="$(stack_postmaster_pid "$ROOT")"
  p0="$(pg_ticks "$pm")"
  out="$("$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M "$mode" -c "$conc" -j 2 -T "$secs" \
          -D t0="$(date +%s)000000" -D env="\\x$(cat "$dir/envelope.hex")" -D digest="$(printf '%064d' 0)" \
          -f "$dir/handoff.sql@1000" -f "$dir/writer.sql@$ww" -f "$dir/delivery.sql@$dw" \
          "$REPLAY_DB" 2>&1)" || { echo "$out" >&2; return 1; }
  p1="$(pg_ticks "$pm")"
  python3 - "$out" "$((p1 - p0))" "$CLK_TCK" "$mode" <<'PY'
import json, re, sys
out, ticks, hz, mode = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
tps = {m.group(1): float(m.group(2)) for m in re.finditer(
    r"SQL script \d+: \S*/(\w+)\.sql\n.*?tps = ([0-9.]+)", out, re.S)}
n = {m.group(1): int(m.group(2)) for m in re.finditer(
    r"SQL script \d+: \S*/(\w+)\.sql\n.*?- (\d+) transactions", out, re.S)}
handoffs = n.get("handoff", 0)
print(json.dumps({"mode": mode, "handoffs_per_second": round(tps.get("handoff", 0)),
                  "writer_batches": n.get("writer", 0), "delivery_batches": n.get("delivery", 0),
                  "postgresql_cpu_ms_per_handoff":
                      round(1000 * ticks / hz / handoffs, 3) if handoffs else 0}))
PY
}
