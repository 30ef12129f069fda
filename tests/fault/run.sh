#!/usr/bin/env bash
# The fault suite (issue 25): acknowledged writes of every workload in tests/fault/workloads/
# against the four service binaries, with PostgreSQL 15 and Redis 7, while each service is
# killed with -9 and restarted, PostgreSQL is stopped with -m immediate and restarted, and Redis
# is killed and restarted; then the checker's table (docs/reliability.md).
#
#   bash tests/fault/run.sh            the short schedule (CI, ctest fault_short: ~3 minutes)
#   bash tests/fault/run.sh --long     the long schedule: every fault 3 times, >= 100k operations
#   bash tests/fault/run.sh --only di pi      some workloads only (keys: ci ct di dt lh pi pt)
#   bash tests/fault/run.sh --self-check      then proves the checker counts a lost and a duplicate
#   bash tests/fault/run.sh --rounds 5        each fault 5 times
#
# A fresh stack on free loopback ports in a temporary folder (tests/e2e/lib.sh), stopped and
# removed at the end (KEEP_E2E=1 keeps it). A missing tool is a failure, not a skip.
set -uo pipefail
# In a private network namespace (its own loopback) when this machine allows one: the partition
# faults then cut a service's port off with tc on that loopback only, touching nobody else's.
if [ -z "${LOCALGOV_FAULT_NETNS:-}" ]; then
  NS="localgov-fault-$$"
  if [ "$(id -u)" = 0 ] && ip netns add "$NS" 2>/dev/null; then
    trap 'ip netns del "$NS" 2>/dev/null' EXIT
    ip netns exec "$NS" ip link set lo up || { echo "FAIL: lo up in $NS"; exit 1; }
    LOCALGOV_FAULT_NETNS="$NS" ip netns exec "$NS" bash "$0" "$@"
    exit $?
  fi
  echo "fault suite: no network namespace here (ip netns add needs root with CAP_SYS_ADMIN):" \
    "the partition faults will be reported as not run"
fi
source "$(dirname "$0")/../e2e/lib.sh"
PYTHON=/usr/bin/python3
fail() { echo "FAIL: $*"; exit 1; }

"$PYTHON" -c 'import grpc, google.protobuf' 2>/dev/null ||
  fail "python3-grpcio / python3-protobuf missing for $PYTHON: run scripts/install-deps.sh"
command -v protoc >/dev/null || fail "protoc missing (protobuf-compiler): run scripts/install-deps.sh"
[ -x /usr/bin/grpc_python_plugin ] ||
  fail "grpc_python_plugin missing (protobuf-compiler-grpc): run scripts/install-deps.sh"
command -v psql >/dev/null || fail "psql missing (postgresql-client-15): run scripts/install-deps.sh"
command -v tc >/dev/null || fail "tc missing (iproute2): run scripts/install-deps.sh"
[ -x "$CTL" ] || fail "no localgovctl at $CTL: build first"

WORK="$(mktemp -d)"
trap 'stack_cleanup; rm -rf "$WORK"' EXIT
(cd "$ROOT" && protoc -Iprotos --python_out="$WORK" --grpc_out="$WORK" \
  --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin \
  $(cd protos && find localgov google -name '*.proto')) || fail "protoc: Python stubs"
stack_up >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; fail "stack up"; }
echo "fault suite: stack up in $LOCALGOV_STACK_DIR (dossier at $LOCALGOV_DOSSIER_ADDR) after ${SECONDS} s"
# tests/overload/run.sh drives the same stack with its own script.
PYTHONDONTWRITEBYTECODE=1 LOCALGOV_STUBS="$WORK" "$PYTHON" \
  "${LOCALGOV_FAULT_DRIVER:-$ROOT/tests/fault/fault.py}" "$@"
