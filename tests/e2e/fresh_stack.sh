# Sourced by the end-to-end tests: a fresh local stack (scripts/stack.sh: PostgreSQL, Redis, the
# four services and the demo data) in a temporary folder on free ports, stopped and removed on
# exit (KEEP_E2E=1 keeps the folder). After fresh_stack_up: LOCALGOV_STACK_DIR and the ports,
# LOCALGOV_DEV_KEY_FILE and LOCALGOV_{DOSSIER,PETITION,CADRE,LIAISON}_ADDR are exported.
# Needs ROOT and BUILD_DIR.
free_port() {
  while true; do
    local p=$(((RANDOM % 20000) + 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
# Four consecutive free ports (the services, or their metrics).
free_block() {
  while true; do
    local p busy=0
    p=$(((RANDOM % 20000) + 30000))
    for i in 0 1 2 3; do (exec 3<>"/dev/tcp/127.0.0.1/$((p + i))") 2>/dev/null && busy=1; done
    [ "$busy" = 0 ] && { echo "$p"; return; }
  done
}

export LOCALGOV_SKIP_INSTALL=1 LOCALGOV_SKIP_BUILD=1 LOCALGOV_BUILD_DIR="$BUILD_DIR"
STACK="$ROOT/scripts/stack.sh"
export LOCALGOV_STACK_DIR LOCALGOV_PG_PORT LOCALGOV_REDIS_PORT LOCALGOV_GRPC_PORT_BASE LOCALGOV_METRICS_PORT_BASE
PG_DIR=""
fresh_stack_down() {
  [ -n "${LOCALGOV_STACK_DIR:-}" ] && bash "$STACK" down >/dev/null 2>&1
  [ -n "${KEEP_E2E:-}" ] || rm -rf "${LOCALGOV_STACK_DIR:-/nonexistent}" "${PG_DIR:-/nonexistent}"
}

# Random free ports can still be taken between the check and the bind: up to three tries.
fresh_stack_up() {
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
      local name=(dossier petition cadre liaison) i
      for i in 0 1 2 3; do
        export "LOCALGOV_${name[$i]^^}_ADDR=127.0.0.1:$((LOCALGOV_GRPC_PORT_BASE + i))"
      done
      return 0
    fi
    echo "stack up failed (attempt $attempt); trying again on other ports"
    fresh_stack_down
  done
  return 1
}
