#!/usr/bin/env bash
# Overload (issue 25, item 4): the dossier service at twice its measured capacity (open loop),
# calls whose deadline passes in the queue, and a table locked in PostgreSQL while health,
# metrics and other RPCs must keep answering; then the fault suite's checker. On a fresh stack
# started as the fault suite starts it (tests/fault/run.sh, tests/e2e/lib.sh); see
# tests/overload/overload.py for what is asserted and docs/reliability.md ("Overload").
#
#   bash tests/overload/run.sh          the short run (CI, ctest overload_short: ~2 minutes)
#   bash tests/overload/run.sh --long   the figures of docs/reliability.md (3 rounds of 60 s)
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
LOCALGOV_FAULT_DRIVER="$HERE/overload.py" exec bash "$HERE/../fault/run.sh" "$@"
