#!/usr/bin/env bash
# ListPetitions p99 (an agency's list, first page of 20, by next deadline) with 10,000
# petitions of that agency in the table, then with 1,000,000 — all of them that agency's, the
# worst case for its list. The goal: p99 at 1M no worse than 1.5× p99 at 10k. Rows are
# copied from one real intake (details and all), each with its own code and next deadline
# (spread over 400 days), so each is what ReceivePetition writes.
# The bench agency (000.00.95.H41) is created in the exchange directory if missing; its rows
# are deleted at the end (PETITION_LIST_BENCH_KEEP=1 keeps them).
# Needs the local stack (scripts/stack.sh up). Honours LOCALGOV_STACK_DIR, LOCALGOV_PG_PORT
# and LOCALGOV_GRPC_PORT_BASE (petition: base + 1).
# Each size is measured in ROUNDS runs (default 3); the script prints each run and the median
# p50/p99 of each size, and the ratio of the medians.
# Usage: bench/petition_list_bench.sh [seconds] [rounds] [concurrency]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECS="${1:-10}"
ROUNDS="${2:-3}"
CONC="${3:-8}"
STACK_DIR="${LOCALGOV_STACK_DIR:-$ROOT/.local}"
CTL="$ROOT/build/tools/localgovctl/localgovctl"
LOADGEN="$ROOT/build/tools/loadgen/localgov-loadgen"
PG_PORT="${LOCALGOV_PG_PORT:-55432}"
BASE="${LOCALGOV_GRPC_PORT_BASE:-50051}"
PETITION="127.0.0.1:$((BASE + 1))"
AGENCY=000.00.95.H41
export LOCALGOV_DEV_KEY_FILE="$STACK_DIR/keys/issuer.key"
# localgovctl finds each service by these (as scripts/stack.sh sets them), else the defaults.
export LOCALGOV_DOSSIER_ADDR="127.0.0.1:$BASE" LOCALGOV_PETITION_ADDR="$PETITION"
export LOCALGOV_CADRE_ADDR="127.0.0.1:$((BASE + 2))" LOCALGOV_LIAISON_ADDR="127.0.0.1:$((BASE + 3))"
q() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -tA localgov_petition -c "$1"; }
field() { python3 -c "import json,sys; print(round(json.load(sys.stdin)['$1'], 2))"; }

# The bench agency, in the directory the petition service reads (every few seconds).
if "$CTL" directory create-agency --code "$AGENCY" --name "Bench $AGENCY" \
  --kind COMMUNE_PEOPLES_COMMITTEE >/dev/null 2>&1; then
  sleep 6
fi
# One real petition of the bench agency to copy.
for attempt in 1 2 3 4 5 6; do
  if "$CTL" petition receive --agency "$AGENCY" --kind reflection --field land \
    --title "Phản ánh về đường giao thông nông thôn" \
    --content "Đoạn đường liên thôn bị sụt lún sau mưa lớn, đề nghị kiểm tra, sửa chữa." \
    --name "Nguyễn Văn Mẫu" --citizen-id 001203009999 >/dev/null 2>&1; then
    break
  fi
  [[ $attempt == 6 ]] && {
    echo "could not receive a petition at $AGENCY" >&2
    exit 1
  }
  sleep 2
done
template="$(q "SELECT code FROM petitions WHERE agency = '$AGENCY' AND code NOT LIKE '$AGENCY-B%'
  ORDER BY created_at LIMIT 1")"
fill() {  # fill N: the agency has N petitions in all
  q "INSERT INTO petitions (code, agency, kind, field, channel, state, officer,
       petitioner_citizen_id, matter, received_at, next_due, follow_hash, details, version,
       source_envelope, forward_envelope, created_at, updated_at)
     SELECT '$AGENCY-B' || lpad(g::text, 7, '0'), agency, kind, field, channel, state, officer,
       petitioner_citizen_id, matter, received_at, next_due + (g % 400)::int, follow_hash,
       details, version, NULL, NULL, created_at, updated_at
     FROM petitions, generate_series((SELECT count(*) FROM petitions WHERE agency = '$AGENCY'),
       $1 - 1) g
     WHERE code = '$template'" >/dev/null
  # As autovacuum leaves a table in steady state: hint bits set, visibility map current (the
  # first readers of a million fresh rows would otherwise pay for writing them).
  q "VACUUM ANALYZE petitions" >/dev/null
}
run() {
  "$LOADGEN" --target "$PETITION" --rpc list-petitions --code "$AGENCY" --concurrency "$CONC" \
    --seconds "$SECS" --key "$STACK_DIR/keys/issuer.key" || true  # errors show in its codes
}
plan() {  # the service's list query (PetitionStore::ListQuery, first page of 20)
  q "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT details, version FROM petitions
     WHERE agency = '$AGENCY'
     ORDER BY COALESCE(next_due, 'infinity'::date), code LIMIT 21" | sed 's/^/    /'
}
report() {  # report LABEL JSON
  echo "$1: $(field calls_per_second <<<"$2") calls/s; p50 $(field p50_ms <<<"$2") ms," \
    "p99 $(field p99_ms <<<"$2") ms; codes $(python3 -c "import json,sys; print(json.load(sys.stdin)['codes'])" <<<"$2")"
}

q "DELETE FROM petitions WHERE code LIKE '$AGENCY-B%'" >/dev/null  # an interrupted run's rows
q "VACUUM ANALYZE petitions" >/dev/null
fill 10000
echo "10,000 petitions of $AGENCY: $(q "SELECT count(*) FROM petitions WHERE agency = '$AGENCY'")"
plan
small=()
for r in $(seq 1 "$ROUNDS"); do
  small+=("$(run)")
  report "ListPetitions at 10k, run $r" "${small[-1]}"
done
fill 1000000
echo "1,000,000 petitions of $AGENCY: $(q "SELECT count(*) FROM petitions WHERE agency = '$AGENCY'")"
plan
large=()
for r in $(seq 1 "$ROUNDS"); do
  large+=("$(run)")
  report "ListPetitions at 1M, run $r" "${large[-1]}"
done
python3 - "$ROUNDS" "${small[@]}" "${large[@]}" <<'EOF'
import json, statistics, sys
n = int(sys.argv[1])
runs = [json.loads(a) for a in sys.argv[2:]]
small, large = runs[:n], runs[n:]
med = lambda rs, k: statistics.median(r[k] for r in rs)
for name, rs in (("10k", small), ("1M", large)):
    print("median at %s: %.0f calls/s; p50 %.2f ms, p99 %.2f ms" %
          (name, med(rs, "calls_per_second"), med(rs, "p50_ms"), med(rs, "p99_ms")))
print("p99 at 1M / p99 at 10k (medians): %.2f (goal <= 1.5); p50: %.2f" %
      (med(large, "p99_ms") / med(small, "p99_ms"), med(large, "p50_ms") / med(small, "p50_ms")))
EOF
if [[ "${PETITION_LIST_BENCH_KEEP:-0}" != 1 ]]; then
  q "DELETE FROM petitions WHERE code LIKE '$AGENCY-B%'" >/dev/null
  q "VACUUM ANALYZE petitions" >/dev/null  # so the next run's 10k list does not skip dead entries
fi
