#!/usr/bin/env bash
# The dossier issue's two rate goals, each beside its baseline measured in the same round:
#   intake  — ReceiveDossier/s against pgbench single-row inserts/s (goal ≥ 50%)
#   lookup  — LookupDossier/s (the portal's role, one code) against grpc.health.v1 Check/s on
#             the dossier service (goal ≥ 50%)
# Each round runs the baseline, then the measurement; the script prints every round and the
# median of the ratios. Needs the local stack (scripts/up.sh) and pgbench (postgresql-15).
# Usage: bench/dossier_bench.sh intake|lookup [rounds] [seconds] [concurrency]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WHAT="${1:?usage: bench/dossier_bench.sh intake|lookup [rounds] [seconds] [concurrency]}"
ROUNDS="${2:-3}"
SECONDS_RUN="${3:-8}"
CONC="${4:-8}"
STACK_DIR="${LOCALGOV_STACK_DIR:-$ROOT/.local}"
LOADGEN="$ROOT/build/tools/loadgen/localgov-loadgen"
KEY="$STACK_DIR/keys/issuer.key"
DOSSIER="127.0.0.1:${LOCALGOV_GRPC_PORT_BASE:-50051}"
PG_PORT="${LOCALGOV_PG_PORT:-55432}"
PGBENCH=/usr/lib/postgresql/15/bin/pgbench
psql_pg() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAq "$@"; }
field() { python3 -c "import json,sys; print(round(json.load(sys.stdin)['$1'], 2))"; }

case "$WHAT" in
  intake)
    # A scratch database beside the service's: one table, single-row inserts.
    psql_pg -c "CREATE DATABASE bench" postgres 2>/dev/null || true
    psql_pg -c "SET client_min_messages = warning" \
      -c "CREATE TABLE IF NOT EXISTS t (id bigserial PRIMARY KEY, x int, s text)" bench
    insert="$(mktemp)"
    trap 'rm -f "$insert"' EXIT
    echo "INSERT INTO t (x, s) VALUES (1, 'dossier');" >"$insert"
    baseline() {
      "$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -c "$CONC" -j 2 -T "$SECONDS_RUN" \
        -f "$insert" bench 2>/dev/null | sed -nE 's/^tps = ([0-9.]+).*/\1/p'
    }
    measure() {
      "$LOADGEN" --target "$DOSSIER" --rpc receive-dossier --concurrency "$CONC" \
        --seconds "$SECONDS_RUN" --key "$KEY" --agencies 20
    }
    base_name="pgbench inserts/s"
    ;;
  lookup)
    # One dossier to look up: received now, applicant's citizen ID ending 4567.
    "$LOADGEN" --target "$DOSSIER" --rpc receive-dossier --concurrency 1 --max-calls 1 \
      --seconds 5 --key "$KEY" --agencies 1 >/dev/null
    code="$(psql_pg -c "SELECT code FROM dossiers ORDER BY created_at DESC, code DESC LIMIT 1" \
      localgov_dossier)"
    echo "looking up $code"
    baseline() {
      "$LOADGEN" --target "$DOSSIER" --rpc health --concurrency "$CONC" --seconds "$SECONDS_RUN" |
        field calls_per_second
    }
    measure() {
      "$LOADGEN" --target "$DOSSIER" --rpc lookup-dossier --code "$code" --factor 4567 \
        --concurrency "$CONC" --seconds "$SECONDS_RUN" --key "$KEY"
    }
    base_name="health checks/s"
    ;;
  *)
    echo "usage: bench/dossier_bench.sh intake|lookup [rounds] [seconds] [concurrency]" >&2
    exit 2
    ;;
esac

ratios=()
for r in $(seq 1 "$ROUNDS"); do
  base="$(python3 -c "print(round(float('$(baseline)')))")"
  out="$(measure)"
  rate="$(python3 -c "import json,sys; print(round(json.load(sys.stdin)['calls_per_second']))" <<<"$out")"
  p50="$(field p50_ms <<<"$out")"
  p99="$(field p99_ms <<<"$out")"
  ratio="$(python3 -c "print(round(100 * $rate / $base, 1))")"
  ratios+=("$ratio")
  echo "round $r: $base_name $base; $WHAT ${rate}/s (p50 ${p50} ms, p99 ${p99} ms); ${ratio}%"
done
python3 -c "import statistics,sys; print('median ratio: %.1f%% (goal 50%%)' % statistics.median(map(float, sys.argv[1:])))" "${ratios[@]}"
