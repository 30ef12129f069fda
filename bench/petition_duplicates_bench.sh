#!/usr/bin/env bash
# Duplicates and statistics at scale (issue 22 item 7), on the running local stack:
#  1. FindDuplicates p99 (a draft by one of 1,000 citizens, each with 10 earlier petitions about
#     the same matter) with 10,000 petitions of the bench agency in the table, then with
#     1,000,000 (100,000 citizens, still 10 each): the goal is p99 at 1M <= 1.5x p99 at 10k;
#  2. GetPetitionStatistics over ten years of 1,000,000 petitions, one caller: the goal is a
#     call within 1 s (median of the runs' p99);
#  3. ReceivePetition with its duplicate check (a new citizen each call), calls/s at 8 clients,
#     beside the health check's rate in the same run (the baseline of this machine, this run).
# Rows are copied from one real intake (details and all) with their matching rows (the keys
# intake computes: SHA-256 of "id\n<citizen id>", the folded content) and statistics columns
# spread over kinds, channels, fields, states and ten years of receipt.
# The bench agency (000.00.96.H41) is created in the exchange directory if missing; its rows
# are deleted at the end (PETITION_DUP_BENCH_KEEP=1 keeps them).
# Honours LOCALGOV_STACK_DIR, LOCALGOV_PG_PORT and LOCALGOV_GRPC_PORT_BASE (petition: base + 1).
# Usage: bench/petition_duplicates_bench.sh [seconds] [rounds] [concurrency]
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
AGENCY=000.00.96.H41
export LOCALGOV_DEV_KEY_FILE="$STACK_DIR/keys/issuer.key"
export LOCALGOV_DOSSIER_ADDR="127.0.0.1:$BASE" LOCALGOV_PETITION_ADDR="$PETITION"
export LOCALGOV_CADRE_ADDR="127.0.0.1:$((BASE + 2))" LOCALGOV_LIAISON_ADDR="127.0.0.1:$((BASE + 3))"
q() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -tA localgov_petition -c "$1"; }

if "$CTL" directory create-agency --code "$AGENCY" --name "Bench $AGENCY" \
  --kind COMMUNE_PEOPLES_COMMITTEE >/dev/null 2>&1; then
  sleep 6
fi
for attempt in 1 2 3 4 5 6; do
  if "$CTL" petition receive --agency "$AGENCY" --kind reflection --field land \
    --title "Phản ánh về đường giao thông nông thôn" \
    --content "Đoạn đường liên thôn bị sụt lún sau mưa lớn, đề nghị kiểm tra, sửa chữa." \
    --name "Nguyễn Văn Mẫu" --citizen-id 001203009999 --process-even-if-duplicate >/dev/null 2>&1; then
    break
  fi
  [[ $attempt == 6 ]] && { echo "could not receive a petition at $AGENCY" >&2; exit 1; }
  sleep 2
done
template="$(q "SELECT code FROM petitions WHERE agency = '$AGENCY' AND code NOT LIKE '$AGENCY-D%'
  ORDER BY created_at LIMIT 1")"
fill() {  # fill N: N bench rows in all, N/10 citizens with 10 petitions each
  local n="$1" people=$(( $1 / 10 ))
  q "DELETE FROM petition_matching WHERE code LIKE '$AGENCY-D%';
     DELETE FROM petitions WHERE code LIKE '$AGENCY-D%';
     DELETE FROM petition_matters WHERE matter_group LIKE '$AGENCY-D%';
     INSERT INTO petitions (code, agency, kind, field, channel, state, officer,
       petitioner_citizen_id, matter, received_at, next_due, follow_hash, details, version,
       source_envelope, forward_envelope, created_at, updated_at, matter_group, duplicate_of,
       decision, not_processed_reason, outcome, on_time, derived)
     SELECT '$AGENCY-D' || lpad(g::text, 7, '0'), agency, 1 + g % 4, 1 + g % 10, 1 + g % 3,
       (ARRAY[1, 2, 5, 6, 7, 7, 7, 8])[1 + g % 8], officer,
       '0019' || lpad((g % $people)::text, 8, '0'), matter,
       received_at - (g % 3650) * interval '1 day',
       CASE WHEN g % 8 < 2 THEN next_due + (g % 400)::int END, follow_hash, details, version,
       NULL, NULL, created_at, updated_at, '$AGENCY-D' || lpad((g % $people)::text, 7, '0'),
       CASE WHEN g >= $people THEN '$AGENCY-D' || lpad((g % $people)::text, 7, '0') ELSE '' END,
       CASE WHEN g % 8 >= 2 THEN 1 ELSE 0 END, 0, CASE WHEN g % 8 >= 4 THEN 7 ELSE 0 END,
       CASE WHEN g % 8 >= 4 THEN g % 5 <> 0 END, 1
     FROM petitions, generate_series(0, $n - 1) g WHERE code = '$template';
     INSERT INTO petition_matching (code, agency, person_id_key, person_name_key, matter_key,
       content_folded, received_at, matter_group)
     SELECT p.code, p.agency,
       'h:' || encode(sha256(convert_to('id' || chr(10) || p.petitioner_citizen_id, 'UTF8')), 'hex'),
       '', '', m.content_folded, p.received_at, p.matter_group
     FROM petitions p, petition_matching m WHERE p.code LIKE '$AGENCY-D%' AND m.code = '$template';
     INSERT INTO petition_matters (matter_group, agency, filings, first_received, last_received)
     SELECT matter_group, agency, count(*), min(received_at), max(received_at) FROM petitions
     WHERE code LIKE '$AGENCY-D%' GROUP BY matter_group, agency
     ON CONFLICT (matter_group) DO UPDATE SET filings = EXCLUDED.filings" >/dev/null
  q "VACUUM ANALYZE petitions" >/dev/null
  q "VACUUM ANALYZE petition_matching" >/dev/null
  q "VACUUM ANALYZE petition_matters" >/dev/null
  # The fill's dirty pages are written now, not by a checkpoint during the measured calls.
  q "CHECKPOINT" >/dev/null
}
load() {  # load RPC CONCURRENCY
  "$LOADGEN" --target "$PETITION" --rpc "$1" --code "$AGENCY" --concurrency "$2" \
    --seconds "$SECS" --key "$STACK_DIR/keys/issuer.key" || true
}
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(round(d['$1'], 2))"; }
report() {
  echo "$1: $(field calls_per_second <<<"$2") calls/s; p50 $(field p50_ms <<<"$2") ms," \
    "p99 $(field p99_ms <<<"$2") ms; codes $(python3 -c "import json,sys; print(json.load(sys.stdin)['codes'])" <<<"$2")"
}
results=()
fill 10000
echo "10,000 bench petitions: $(q "SELECT count(*) FROM petitions WHERE code LIKE '$AGENCY-D%'")"
for r in $(seq 1 "$ROUNDS"); do
  results+=("dup10k=$(load find-duplicates "$CONC")"); report "FindDuplicates at 10k, run $r" "${results[-1]#*=}"
  results+=("stats10k=$(load petition-stats 1)"); report "GetPetitionStatistics at 10k, run $r" "${results[-1]#*=}"
done
fill 1000000
echo "1,000,000 bench petitions: $(q "SELECT count(*) FROM petitions WHERE code LIKE '$AGENCY-D%'")"
for r in $(seq 1 "$ROUNDS"); do
  results+=("dup1m=$(load find-duplicates "$CONC")"); report "FindDuplicates at 1M, run $r" "${results[-1]#*=}"
  results+=("stats1m=$(load petition-stats 1)"); report "GetPetitionStatistics at 1M, run $r" "${results[-1]#*=}"
  results+=("intake=$(load receive-petition "$CONC")"); report "ReceivePetition (duplicate check), run $r" "${results[-1]#*=}"
  results+=("health=$("$LOADGEN" --target "$PETITION" --rpc health --concurrency "$CONC" --seconds "$SECS" || true)")
  report "health check, run $r" "${results[-1]#*=}"
done
q "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT channel, kind, count(*) FROM petitions
   WHERE agency = '$AGENCY' AND received_at >= '2017-01-01' GROUP BY 1, 2" | sed 's/^/    /' | head -12
python3 - "${results[@]}" <<'PY'
import json, statistics, sys
runs = {}
for a in sys.argv[1:]:
    k, v = a.split("=", 1)
    runs.setdefault(k, []).append(json.loads(v))
med = lambda k, f: statistics.median(r[f] for r in runs[k])
for k in ("dup10k", "dup1m", "stats10k", "stats1m", "intake", "health"):
    print("median %-8s %8.0f calls/s  p50 %8.2f ms  p99 %8.2f ms" %
          (k, med(k, "calls_per_second"), med(k, "p50_ms"), med(k, "p99_ms")))
ratio = med("dup1m", "p99_ms") / med("dup10k", "p99_ms")
print("FindDuplicates p99 at 1M / at 10k: %.2f (goal <= 1.5): %s" % (ratio, "met" if ratio <= 1.5 else "NOT met"))
s = med("stats1m", "p99_ms")
print("GetPetitionStatistics over 1M, p99: %.0f ms (goal <= 1000): %s" % (s, "met" if s <= 1000 else "NOT met"))
print("ReceivePetition with its duplicate check: %.0f/s = %.1f%% of the health check's %.0f/s (same run)" %
      (med("intake", "calls_per_second"), 100 * med("intake", "calls_per_second") / med("health", "calls_per_second"),
       med("health", "calls_per_second")))
PY
if [[ "${PETITION_DUP_BENCH_KEEP:-0}" != 1 ]]; then
  q "DELETE FROM petition_matching WHERE code LIKE '$AGENCY-D%'; DELETE FROM petitions WHERE code LIKE '$AGENCY-D%';
     DELETE FROM petition_matters WHERE matter_group LIKE '$AGENCY-D%'" >/dev/null
  q "VACUUM ANALYZE petitions" >/dev/null
fi
