#!/usr/bin/env bash
# ListDossiers p99 (an agency's worklist, first page of 20) with 10,000 dossiers in the table,
# then with 1,000,000 — all of them that agency's, the worst case for its worklist. The goal:
# p99 at 1M no worse than 1.5× p99 at 10k. Rows are copied from one real intake (details
# and all), so each is what ReceiveDossier writes.
# Then the same 1,000,000 spread over the agency and two communes merged into it (its worklist
# merges their index ranges); LIST_BENCH_MERGED=0 skips that run.
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
# The last run: SUCCESSOR, with two communes merged into it (another agency than AGENCY, so
# that AGENCY's own runs read one index range, round after round).
SUCCESSOR=000.00.96.H41 MERGED_A=000.00.97.H41 MERGED_B=000.00.98.H41
export LOCALGOV_DEV_KEY_FILE="$STACK_DIR/keys/issuer.key"
# localgovctl talks to this stack's ports, not the defaults.
BASE_PORT="${LOCALGOV_GRPC_PORT_BASE:-50051}"
export LOCALGOV_DOSSIER_ADDR="127.0.0.1:$BASE_PORT" LOCALGOV_PETITION_ADDR="127.0.0.1:$((BASE_PORT + 1))"
export LOCALGOV_CADRE_ADDR="127.0.0.1:$((BASE_PORT + 2))" LOCALGOV_LIAISON_ADDR="127.0.0.1:$((BASE_PORT + 3))"
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
  "$LOADGEN" --target "$DOSSIER" --rpc list-dossiers --code "${1:-$AGENCY}" --concurrency 8 \
    --seconds "$SECS" --key "$STACK_DIR/keys/issuer.key"
}
q "VACUUM ANALYZE dossiers" >/dev/null  # rows left dead by an earlier round
fill 10000
echo "10,000 dossiers of $AGENCY: $(q "SELECT count(*) FROM dossiers WHERE receiving_agency = '$AGENCY'")"
run
fill 1000000
echo "1,000,000 dossiers of $AGENCY: $(q "SELECT count(*) FROM dossiers WHERE receiving_agency = '$AGENCY'")"
run
if [[ "${LIST_BENCH_MERGED:-1}" == 1 ]]; then
  # The same 1,000,000, 40% received by SUCCESSOR and 30% by each of two communes since merged
  # into it (DOMAIN.md §0): its worklist reads three index ranges and merges them.
  for code in "$SUCCESSOR" "$MERGED_A" "$MERGED_B"; do
    "$CTL" directory create-agency --code "$code" --name "Bench $code" \
      --kind COMMUNE_PEOPLES_COMMITTEE >/dev/null 2>&1 || true
  done
  for code in "$MERGED_A" "$MERGED_B"; do
    "$CTL" directory admin merge "$code" "$SUCCESSOR" 2026-01-01 >/dev/null 2>&1 || true
  done
  q "UPDATE dossiers SET receiving_agency = CASE WHEN right(code, 1) IN ('1', '4', '7') THEN '$MERGED_A'
       WHEN right(code, 1) IN ('3', '6', '9') THEN '$MERGED_B' ELSE '$SUCCESSOR' END
     WHERE code LIKE '$AGENCY-B%'" >/dev/null
  q "ANALYZE dossiers" >/dev/null
  sleep 6  # the dossier service reads the directory every 5 s
  echo "1,000,000 dossiers, $(q "SELECT count(*) FROM dossiers WHERE receiving_agency = '$SUCCESSOR'") of them" \
    "$SUCCESSOR's, the rest of $MERGED_A and $MERGED_B (merged into it):"
  run "$SUCCESSOR"
fi
q "DELETE FROM dossiers WHERE code LIKE '$AGENCY-B%'" >/dev/null
q "VACUUM ANALYZE dossiers" >/dev/null  # so the next round's 10k run does not skip dead entries
