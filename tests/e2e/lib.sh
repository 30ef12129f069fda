# Shared by the end-to-end tests (sourced): free loopback ports, a fresh local stack started by
# scripts/stack.sh in a temporary folder (three tries on other ports), PASS/FAIL counting.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD_DIR="${LOCALGOV_BUILD_DIR:-$ROOT/build}"
CTL="$BUILD_DIR/tools/localgovctl/localgovctl"
BUF="$ROOT/tools/node_modules/.bin/buf"
STACK="$ROOT/scripts/stack.sh"
passed=0; failed=0
ok() { echo "PASS: $*"; passed=$((passed + 1)); }
ko() { echo "FAIL: $*"; failed=$((failed + 1)); }

free_port() {
  while true; do
    local p=$(( (RANDOM % 20000) + 30000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
# Four consecutive free ports for the services, four for metrics.
free_block() {
  while true; do
    local p; p=$(( (RANDOM % 20000) + 30000 ))
    local busy=0
    for i in 0 1 2 3; do (exec 3<>"/dev/tcp/127.0.0.1/$((p + i))") 2>/dev/null && busy=1; done
    [ "$busy" = 0 ] && { echo "$p"; return; }
  done
}

export LOCALGOV_SKIP_INSTALL=1 LOCALGOV_SKIP_BUILD=1 LOCALGOV_BUILD_DIR="$BUILD_DIR"
export LOCALGOV_STACK_DIR LOCALGOV_PG_PORT LOCALGOV_REDIS_PORT LOCALGOV_GRPC_PORT_BASE LOCALGOV_METRICS_PORT_BASE
PG_DIR=""
stack_cleanup() {
  [ -n "${LOCALGOV_STACK_DIR:-}" ] && bash "$STACK" down >/dev/null 2>&1
  stack_keep_logs
  [ -n "${KEEP_E2E:-}" ] || rm -rf "${LOCALGOV_STACK_DIR:-/nonexistent}" "${PG_DIR:-/nonexistent}"
}

# The services' logs outlive the stack: ctest log_secrets searches every test's for tokens and
# citizen IDs after the suite (tests/access/log_scan.py).
stack_keep_logs() {
  local logs="${LOCALGOV_STACK_DIR:-/nonexistent}/logs" keep
  [ -d "$logs" ] || return 0
  keep="$BUILD_DIR/test-logs/$(basename "$0" .sh)-$$"
  mkdir -p "$keep" && cp "$logs"/{dossier,petition,cadre,liaison}.log "$keep/" 2>/dev/null
  return 0
}

# Random free ports can still be taken between the check and the bind: try up to three times.
# Returns 1 when the stack did not come up; on success the clients' settings are exported.
stack_up() {
  local attempt
  for attempt in 1 2 3; do
    LOCALGOV_STACK_DIR="$(mktemp -d)"
    LOCALGOV_PG_PORT="$(free_port)"
    LOCALGOV_REDIS_PORT="$(free_port)"
    LOCALGOV_GRPC_PORT_BASE="$(free_block)"
    LOCALGOV_METRICS_PORT_BASE="$(free_block)"
    PG_DIR="$(bash "$STACK" pg-dir)"
    if bash "$STACK" up; then
      export LOCALGOV_DEV_KEY_FILE="$LOCALGOV_STACK_DIR/keys/issuer.key"
      local i name=(dossier petition cadre liaison)
      for i in 0 1 2 3; do
        export "LOCALGOV_${name[$i]^^}_ADDR=127.0.0.1:$((LOCALGOV_GRPC_PORT_BASE + i))"
      done
      return 0
    fi
    echo "stack up failed (attempt $attempt); trying again on other ports"
    stack_cleanup
  done
  return 1
}
