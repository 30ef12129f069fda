#!/usr/bin/env bash
# The petition issue's intake rate, beside its baseline measured in the same round:
#   intake — ReceivePetition/s (a reflection received at a reception session, all at one
#            commune, 000.00.31.H41) against the same statements replayed by pgbench, one
#            transaction per intake, on a scratch database with the petition service's schema.
# The statements are those one ReceivePetition runs (captured with log_statement=all; see
# docs/benchmarks.md): the idempotency claim, the code counter, the petition, its first event,
# the feed counter and feed row, the audit chain (advisory lock, last record, append) and the
# idempotency response, between BEGIN and COMMIT. The petition, event and response bytes are
# copied from one real intake, so each row is the size the service writes.
# Each round runs the baseline, then the measurement; the script prints every round and the
# median of the ratios. Needs the local stack (scripts/stack.sh up) and pgbench (postgresql-15).
# Honours LOCALGOV_STACK_DIR, LOCALGOV_PG_PORT and LOCALGOV_GRPC_PORT_BASE (petition: base + 1).
# PETITION_BENCH_SCRIPT=FILE also writes the pgbench script to FILE (to read it, or to run
# pgbench with other options against the bench_petition database).
# Usage: bench/petition_bench.sh intake [rounds] [seconds] [concurrency]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WHAT="${1:?usage: bench/petition_bench.sh intake [rounds] [seconds] [concurrency]}"
ROUNDS="${2:-3}"
SECONDS_RUN="${3:-8}"
CONC="${4:-8}"
[[ "$WHAT" == intake ]] || {
  echo "usage: bench/petition_bench.sh intake [rounds] [seconds] [concurrency]" >&2
  exit 2
}
STACK_DIR="${LOCALGOV_STACK_DIR:-$ROOT/.local}"
LOADGEN="$ROOT/build/tools/loadgen/localgov-loadgen"
KEY="$STACK_DIR/keys/issuer.key"
PETITION="127.0.0.1:$((${LOCALGOV_GRPC_PORT_BASE:-50051} + 1))"
PG_PORT="${LOCALGOV_PG_PORT:-55432}"
PG_BIN=/usr/lib/postgresql/15/bin
AGENCY=000.00.31.H41
psql_pg() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -tAq "$@"; }
field() { python3 -c "import json,sys; print(round(json.load(sys.stdin)['$1'], 2))"; }

# One real intake, to copy its bytes (the stored petition, its first event, the response).
"$LOADGEN" --target "$PETITION" --rpc receive-petition --concurrency 1 --max-calls 1 \
  --seconds 5 --key "$KEY" >/dev/null
template="$(psql_pg -c "SELECT code FROM petitions WHERE agency = '$AGENCY'
  ORDER BY created_at DESC LIMIT 1" localgov_petition)"
hex() { psql_pg -c "$1" localgov_petition; }
details_hex="$(hex "SELECT encode(details, 'hex') FROM petitions WHERE code = '$template'")"
event_hex="$(hex "SELECT encode(details, 'hex') FROM petition_events
  WHERE petition_code = '$template' AND sequence = 1")"
response_hex="$(hex "SELECT encode(k.response, 'hex') FROM idempotency_keys k
  WHERE k.method = 'ReceivePetition' AND k.response IS NOT NULL ORDER BY k.created_at DESC
  LIMIT 1" 2>/dev/null || true)"
if [[ -z "$response_hex" ]]; then  # no created_at column: any stored response of the method
  response_hex="$(hex "SELECT encode(response, 'hex') FROM idempotency_keys
    WHERE method = 'ReceivePetition' AND response IS NOT NULL LIMIT 1")"
fi
echo "copying $template: petition $((${#details_hex} / 2)) bytes, event $((${#event_hex} / 2))," \
  "response $((${#response_hex} / 2))"

# A scratch database with the petition service's schema (tables, indexes, no rows), fresh
# each run so that both sides start from tables of similar size.
psql_pg -c "DROP DATABASE IF EXISTS bench_petition" postgres
psql_pg -c "CREATE DATABASE bench_petition" postgres
"$PG_BIN/pg_dump" -h 127.0.0.1 -p "$PG_PORT" -U postgres --schema-only --no-owner \
  localgov_petition | psql_pg -o /dev/null bench_petition
psql_pg -c "INSERT INTO petition_change_counter (last) VALUES (0)" \
  -c "INSERT INTO audit_log (position, at_us, actor, role, agency, action, entity_type,
        entity_id, request_id, change_digest, prev_hash, hash)
      SELECT 1, 0, 'bench', 'system', '', 'bench.start', '', '', '', repeat('0', 64),
        repeat('0', 64), repeat('0', 64)" bench_petition

script="$(mktemp)"
trap 'rm -f "$script"' EXIT
cat >"$script" <<EOF
\set r random(1, 1000000000000)
BEGIN;
WITH x AS (SELECT * FROM jsonb_to_recordset(jsonb_build_array(jsonb_build_object('i', 0,
    'subject', 'loadgen', 'method', 'ReceivePetition',
    'request_id', 'pgbench-' || :client_id::text || '-' || :r::text,
    'request_digest', md5(:r::text) || md5(:client_id::text))))
  AS x(i int, subject text, method text, request_id text, request_digest text)),
  ins AS (INSERT INTO idempotency_keys (subject, method, request_id, request_digest)
    SELECT subject, method, request_id, request_digest FROM x
    ORDER BY subject, method, request_id ON CONFLICT DO NOTHING
    RETURNING subject, method, request_id)
SELECT x.i FROM x JOIN ins USING (subject, method, request_id);
INSERT INTO petition_code_counters (agency, day, last) VALUES ('$AGENCY', current_date, 1)
  ON CONFLICT (agency, day) DO UPDATE SET last = petition_code_counters.last + 1
  RETURNING '$AGENCY-PA-' || to_char(day, 'YYMMDD') || '-'
    || lpad(last::text, greatest(4, length(last::text)), '0') AS code
\gset
INSERT INTO petitions (code, agency, kind, field, channel, state, officer,
    petitioner_citizen_id, matter, received_at, next_due, follow_hash, details, version,
    source_envelope, forward_envelope, created_at, updated_at)
  VALUES (:code::text, '$AGENCY', 4, 1, 1, 1, '', '001203004567', '', now(),
    current_date + 14, sha256(:r::text::bytea), '\\x$details_hex'::bytea, 1, NULLIF('', ''),
    NULLIF('', ''), now(), now());
INSERT INTO petition_events (petition_code, sequence, details, at)
  VALUES (:code::text, 1, '\\x$event_hex'::bytea, now());
UPDATE petition_change_counter SET last = last + 1 RETURNING last AS seq
\gset
INSERT INTO petition_changes (sequence, petition_code, agency, kind, event_sequence, next_due,
    at)
  VALUES (:seq::bigint, :code::text, '$AGENCY', 4, 1, current_date + 14, now());
SELECT pg_advisory_xact_lock(7263002026);
SELECT position AS pos, hash AS prev FROM audit_log ORDER BY position DESC LIMIT 1
\gset
INSERT INTO audit_log (position, at_us, actor, role, agency, action, entity_type, entity_id,
    request_id, change_digest, prev_hash, hash)
  SELECT position, at_us, actor, role, agency, action, entity_type, entity_id, request_id,
    change_digest, prev_hash, hash
  FROM jsonb_to_recordset(jsonb_build_array(jsonb_build_object(
      'position', :pos::bigint + 1, 'at_us', (extract(epoch FROM now()) * 1000000)::bigint,
      'actor', 'loadgen', 'role', 'officer', 'agency', '$AGENCY',
      'action', 'petition.ReceivePetition', 'entity_type', 'petition', 'entity_id', :code::text,
      'request_id', md5(:r::text), 'change_digest', encode(sha256(:r::text::bytea), 'hex'),
      'prev_hash', :prev::text,
      'hash', encode(sha256((:prev::text || :code::text)::bytea), 'hex'))))
  AS x(position bigint, at_us bigint, actor text, role text, agency text, action text,
    entity_type text, entity_id text, request_id text, change_digest text, prev_hash text,
    hash text);
INSERT INTO idempotency_keys AS k (subject, method, request_id, request_digest, response)
  SELECT subject, method, request_id, request_digest, decode(response, 'hex')
  FROM jsonb_to_recordset(jsonb_build_array(jsonb_build_object(
      'subject', 'loadgen', 'method', 'ReceivePetition',
      'request_id', 'pgbench-' || :client_id::text || '-' || :r::text,
      'request_digest', md5(:r::text) || md5(:client_id::text),
      'response', '$response_hex')))
  AS x(subject text, method text, request_id text, request_digest text, response text)
  ORDER BY subject, method, request_id
  ON CONFLICT (subject, method, request_id) DO UPDATE SET response = excluded.response
  RETURNING k.xmax = 0;
COMMIT;
EOF
[[ -n "${PETITION_BENCH_SCRIPT:-}" ]] && cp "$script" "$PETITION_BENCH_SCRIPT"

baseline() {
  # -M prepared: the service prepares its statements too (ExecPrepared).
  "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$CONC" -j 2 \
    -T "$SECONDS_RUN" -f "$script" bench_petition 2>"$script.err" |
    sed -nE 's/^tps = ([0-9.]+).*/\1/p'
}
measure() {
  "$LOADGEN" --target "$PETITION" --rpc receive-petition --concurrency "$CONC" \
    --seconds "$SECONDS_RUN" --key "$KEY"
}

ratios=()
for r in $(seq 1 "$ROUNDS"); do
  base_raw="$(baseline)"
  if [[ -z "$base_raw" ]] || grep -q aborted "$script.err"; then
    echo "pgbench failed:" >&2
    cat "$script.err" >&2
    exit 1
  fi
  base="$(python3 -c "print(round(float('$base_raw')))")"
  out="$(measure)"
  rate="$(python3 -c "import json,sys; print(round(json.load(sys.stdin)['calls_per_second']))" <<<"$out")"
  p50="$(field p50_ms <<<"$out")"
  p99="$(field p99_ms <<<"$out")"
  codes="$(python3 -c "import json,sys; print(json.load(sys.stdin)['codes'])" <<<"$out")"
  ratio="$(python3 -c "print(round(100 * $rate / $base, 1))")"
  ratios+=("$ratio")
  echo "round $r: pgbench (same statements) ${base} tps; ReceivePetition ${rate}/s" \
    "(p50 ${p50} ms, p99 ${p99} ms; codes $codes); ${ratio}%"
done
rm -f "$script.err"
python3 -c "import statistics,sys; print('median ratio: %.1f%%' % statistics.median(map(float, sys.argv[1:])))" "${ratios[@]}"
