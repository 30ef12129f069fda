#!/usr/bin/env bash
# Acknowledged handoffs per second end to end (liaison issue): signed envelopes sent to the
# liaison service (verified, logged), delivered to the receiving commune's receiver (the
# dossier service, which keeps each in its inbox) and acknowledged (logged) — beside the
# liaison's gRPC health-check rate measured in the same run as the baseline.
# The end of the run is the last acknowledgement's time in the message log; the script
# watches the log's last sequence (an index's last entry) instead of counting envelopes
# (issue 27: a sequential scan every 0.1 s that grew with the table and competed with the
# pipeline). Also prints the CPU each process spent per acknowledged handoff (/proc).
# Needs the local stack (scripts/up.sh). Usage: bench/exchange_bench.sh [seconds] [concurrency]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_RUN="${1:-10}"
CONC="${2:-16}"
# shellcheck source=bench/handoff_lib.sh
source "$ROOT/bench/handoff_lib.sh"

echo "baseline: health checks on the liaison service"
"$LOADGEN" --target "$LIAISON" --rpc health --concurrency "$CONC" --seconds "$SECONDS_RUN"
echo "sending signed envelopes for ${SECONDS_RUN}s ($CONC clients)"
measure_handoffs "$SECONDS_RUN" "$CONC"
"$CTL" log verify
