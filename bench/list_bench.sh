#!/usr/bin/env bash
# ListDossiers p99 (an agency's worklist, first page of 20) with 10,000 dossiers in the table,
# then with 1,000,000 — all of them that agency's, the worst case for its worklist. The goal:
# p99 at 1M no worse than 1.5× p99 at 10k. Rows are copied from one real intake (details
# and all), so each is what ReceiveDossier writes.
# Needs the local stack (scripts/up.sh). Usage: bench/list_bench.sh [seconds]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECS="${1:-10}"
STACK_DIR="${LOCALGOV_STACK_DIR:-$ROOT/.local}"
CTL="$ROOT/build/tools/localgovctl/localgovctl"
LOADGEN="$ROOT/build/tools/loadgen/localgov-loadgen"
PG_PORT="${LOCALGOV_PG_PORT:-55432}"
DOSSIER="127.0.0.1:${LOCALGOV_GRPC_PORT_BASE:-50051}"
AGENCY=000.00.99.H41
export LOCALGOV_DEV_KEY_FILE="$STACK_DIR/keys/issuer.key"
q() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tA localgov_dossier -c "$1"; }

# One real dossier of the bench agency to copy.
"$CTL" dossier receive --procedure HT-01 --agency "$AGENCY" --name "Nguyễn Văn Mẫu" \
  --citizen-id 001203009999 --doc to-khai --doc giay-chung-sinh >/dev/null
template="$(q "SELECT code FROM dossiers WHERE receiving_agency = '$AGENCY' ORDER BY code LIMIT 1")"
fill() {  # fill N: the agency has N dossiers in all
  q "INSERT INTO dossiers (code, procedure_code, procedure_version, receiving_agency, channel, state,
       applicant_name, applicant_citizen_id, details, received_at, clock_start, due_date, deadline,
       version, created_at, updated_at, apologized, finished_at, outcome)
     SELECT '$AGENCY-B' || lpad(g::text, 7, '0'), procedure_code, procedure_version, receiving_agency,
       channel, state, applicant_name, applicant_citizen_id, details, received_at, clock_start,
       due_date + (g % 400)::int, deadline, version, created_at, updated_at, apologized, finished_at, outcome
     FROM dossiers, generate_series((SELECT count(*) FROM dossiers WHERE receiving_agency = '$AGENCY'), $1 - 1) g
     WHERE code = '$template'" >/dev/null
  q "ANALYZE dossiers" >/dev/null
}
run() {
  "$LOADGEN" --target "$DOSSIER" --rpc list-dossiers --code "$AGENCY" --concurrency 8 \
    --seconds "$SECS" --key "$STACK_DIR/keys/issuer.key"
}
fill 10000
echo "10,000 dossiers of $AGENCY: $(q "SELECT count(*) FROM dossiers WHERE receiving_agency = '$AGENCY'")"
run
fill 1000000
echo "1,000,000 dossiers of $AGENCY: $(q "SELECT count(*) FROM dossiers WHERE receiving_agency = '$AGENCY'")"
run
q "DELETE FROM dossiers WHERE code LIKE '$AGENCY-B%'" >/dev/null
