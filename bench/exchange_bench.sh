#!/usr/bin/env bash
# Acknowledged handoffs per second end to end (liaison issue): signed envelopes sent to the
# liaison service (verified, logged), delivered to the receiving commune's receiver (the
# dossier service, which keeps each in its inbox) and acknowledged (logged) — beside the
# liaison's gRPC health-check rate measured in the same run as the baseline.
# Needs the local stack (scripts/up.sh). Usage: bench/exchange_bench.sh [seconds] [concurrency]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_RUN="${1:-10}"
CONC="${2:-16}"
STACK_DIR="${LOCALGOV_STACK_DIR:-$ROOT/.local}"
CTL="$ROOT/build/tools/localgovctl/localgovctl"
LOADGEN="$ROOT/build/tools/loadgen/localgov-loadgen"
LIAISON="127.0.0.1:$(( ${LOCALGOV_GRPC_PORT_BASE:-50051} + 3 ))"
PG_PORT="${LOCALGOV_PG_PORT:-55432}"
export LOCALGOV_DEV_KEY_FILE="$STACK_DIR/keys/issuer.key"
# localgovctl talks to this stack's ports, not the defaults.
BASE_PORT="${LOCALGOV_GRPC_PORT_BASE:-50051}"
export LOCALGOV_DOSSIER_ADDR="127.0.0.1:$BASE_PORT" LOCALGOV_PETITION_ADDR="127.0.0.1:$((BASE_PORT + 1))"
export LOCALGOV_CADRE_ADDR="127.0.0.1:$((BASE_PORT + 2))" LOCALGOV_LIAISON_ADDR="127.0.0.1:$((BASE_PORT + 3))"
psql_l() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tA localgov_liaison -c "$1"; }

"$CTL" directory admin grant 000.00.31.H41 step-handoff 000.00.32.H41 >/dev/null
echo "baseline: health checks on the liaison service"
"$LOADGEN" --target "$LIAISON" --rpc health --concurrency "$CONC" --seconds "$SECONDS_RUN"

acked_before="$(psql_l "SELECT count(*) FROM envelopes WHERE state = 2")"
start=$(date +%s.%N)
echo "sending signed envelopes for ${SECONDS_RUN}s ($CONC clients)"
send="$("$LOADGEN" --target "$LIAISON" --rpc send-envelope --signing-key "$STACK_DIR/keys/dossier-exchange.key" \
        --from 000.00.31.H41 --to 000.00.32.H41 --concurrency "$CONC" --seconds "$SECONDS_RUN" || true)"
echo "$send"
sent="$(sed -E 's/.*"0":([0-9]+).*/\1/' <<<"$send")"
want=$((acked_before + sent))
for _ in $(seq 1 1200); do
  acked="$(psql_l "SELECT count(*) FROM envelopes WHERE state = 2")"
  [ "$acked" -ge "$want" ] && break
  sleep 0.1
done
end=$(date +%s.%N)
acked=$((acked - acked_before))
python3 - "$start" "$end" "$acked" "$sent" <<'PY'
import sys
start, end, acked, sent = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f'{{"acknowledged": {acked}, "sent": {sent}, "seconds": {end - start:.2f}, '
      f'"acknowledged_handoffs_per_second": {acked / (end - start):.0f}}}')
PY
"$CTL" log verify
