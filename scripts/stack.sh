#!/usr/bin/env bash
# The local stack, the embedded default: a project-local PostgreSQL 15 and Redis 7 on loopback
# (data under .local/, git-ignored), one database per service, the four services on fixed
# loopback ports, and the demo province seeded.
#
#   scripts/stack.sh up      install what is missing, build, start everything, wait for SERVING
#   scripts/stack.sh down    stop the services, Redis and PostgreSQL (data is kept)
#   scripts/stack.sh status  health of each service
#   scripts/stack.sh pg-stop | pg-start   stop/start only PostgreSQL (to watch recovery)
#   scripts/stack.sh pg-crash     stop PostgreSQL with -m immediate (a crash: recovery on start)
#   scripts/stack.sh redis-kill | redis-start   kill -9 Redis / start it again
#   scripts/stack.sh services     start the services that are not running (after a kill -9),
#                                 wait for SERVING; no seeding (tests/fault/)
#
# Settings (environment): LOCALGOV_STACK_DIR (default .local), LOCALGOV_PG_PORT (55432),
# LOCALGOV_REDIS_PORT (56379), LOCALGOV_GRPC_PORT_BASE (50051: dossier, +1 petition, +2 cadre,
# +3 liaison), LOCALGOV_METRICS_PORT_BASE (9101), LOCALGOV_SKIP_INSTALL=1, LOCALGOV_SKIP_BUILD=1,
# LOCALGOV_PROMETHEUS=1 (also start Prometheus against the stack: scripts/prometheus.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STACK_DIR="${LOCALGOV_STACK_DIR:-$ROOT/.local}"
BUILD_DIR="${LOCALGOV_BUILD_DIR:-$ROOT/build}"
PG_PORT="${LOCALGOV_PG_PORT:-55432}"
REDIS_PORT="${LOCALGOV_REDIS_PORT:-56379}"
GRPC_BASE="${LOCALGOV_GRPC_PORT_BASE:-50051}"
METRICS_BASE="${LOCALGOV_METRICS_PORT_BASE:-9101}"
PG_BIN="${LOCALGOV_PG_BINDIR:-/usr/lib/postgresql/15/bin}"
SERVICES=(dossier petition cadre liaison)
CTL="$BUILD_DIR/tools/localgovctl/localgovctl"

log() { printf '[stack] %s\n' "$*"; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

# PostgreSQL refuses to run as root: as root it runs as `nobody`, which must reach its data.
pg_data_dir() {
  local d="$STACK_DIR/pg"
  if [ "$(id -u)" -eq 0 ]; then
    mkdir -p "$STACK_DIR"
    if ! runuser -u nobody -- test -x "$STACK_DIR" 2>/dev/null; then
      d="/var/tmp/localgov-pg-$(printf '%s' "$STACK_DIR" | sha1sum | cut -c1-10)"
    fi
  fi
  printf '%s' "$d"
}

service_port() { echo $((GRPC_BASE + $1)); }
metrics_port() { echo $((METRICS_BASE + $1)); }

export_addrs() {
  local i
  for i in "${!SERVICES[@]}"; do
    export "LOCALGOV_${SERVICES[$i]^^}_ADDR=127.0.0.1:$(service_port "$i")"
  done
  export LOCALGOV_DEV_KEY_FILE="$STACK_DIR/keys/issuer.key"
}

pg_start() {
  local data; data="$(pg_data_dir)"
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initialising PostgreSQL in $data"
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown nobody "$data"
    chmod 700 "$data"
    as_pg_user "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale >"$STACK_DIR/logs/initdb.log" 2>&1 \
      || die "initdb failed, see $STACK_DIR/logs/initdb.log"
    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 200
# As deploy/base's PostgreSQL (the figures in docs/benchmarks.md are measured on this stack).
shared_buffers = 256MB
CONF
  fi
  if as_pg_user "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
    return
  fi
  port_busy "$PG_PORT" && die "port $PG_PORT is busy: another program holds it; set LOCALGOV_PG_PORT"
  if ! as_pg_user "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null; then
    tail -n 20 "$data/server.log" >&2 || true
    die "PostgreSQL did not start; see $data/server.log"
  fi
  log "PostgreSQL running on 127.0.0.1:$PG_PORT"
}

pg_stop() {
  local data; data="$(pg_data_dir)"
  if [ -f "$data/PG_VERSION" ] && as_pg_user "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg_user "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
    log "PostgreSQL stopped"
  fi
}

pg_crash() {
  local data; data="$(pg_data_dir)"
  as_pg_user "$PG_BIN/pg_ctl" -D "$data" -m immediate -w -t 60 stop >/dev/null
  log "PostgreSQL stopped with -m immediate"
}

redis_start() {
  if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    if [ -f "$STACK_DIR/redis/redis.pid" ]; then log "Redis already running on 127.0.0.1:$REDIS_PORT"; return; fi
    die "port $REDIS_PORT answers as another Redis; set LOCALGOV_REDIS_PORT"
  fi
  port_busy "$REDIS_PORT" && die "port $REDIS_PORT is busy: another program holds it; set LOCALGOV_REDIS_PORT"
  mkdir -p "$STACK_DIR/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$STACK_DIR/redis" \
    --appendonly yes --pidfile "$STACK_DIR/redis/redis.pid" --logfile "$STACK_DIR/logs/redis.log" >/dev/null
  for _ in $(seq 1 100); do
    redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && { log "Redis running on 127.0.0.1:$REDIS_PORT"; return; }
    sleep 0.1
  done
  die "Redis did not start; see $STACK_DIR/logs/redis.log"
}

redis_kill() {
  if [ -f "$STACK_DIR/redis/redis.pid" ]; then
    kill -KILL "$(cat "$STACK_DIR/redis/redis.pid")" 2>/dev/null || true
    rm -f "$STACK_DIR/redis/redis.pid"
    log "Redis killed"
  fi
}

redis_stop() {
  if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && [ -f "$STACK_DIR/redis/redis.pid" ]; then
    redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
    rm -f "$STACK_DIR/redis/redis.pid"
    log "Redis stopped"
  fi
}

create_databases() {
  local s
  for s in "${SERVICES[@]}"; do
    if ! psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'localgov_$s'" postgres | grep -q 1; then
      psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE localgov_$s" postgres
      log "created database localgov_$s"
    fi
  done
}

# Alive and not a zombie (a service killed with -9 stays one until its parent reaps it).
service_running() {
  local pid
  [ -f "$STACK_DIR/run/$1.pid" ] && pid="$(cat "$STACK_DIR/run/$1.pid")" && kill -0 "$pid" 2>/dev/null &&
    [ "$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1)" != Z ]
}

services_start() {
  local i s port mport trust_key
  mkdir -p "$STACK_DIR/run"
  # The liaison's public key: the trust anchor of the directory snapshot the dossier caches.
  trust_key="$("$CTL" exchange public-key "$STACK_DIR/keys/liaison-log.key")" \
    || die "cannot read $STACK_DIR/keys/liaison-log.key"
  for i in "${!SERVICES[@]}"; do
    s="${SERVICES[$i]}"; port="$(service_port "$i")"; mport="$(metrics_port "$i")"
    if service_running "$s"; then log "$s already running (pid $(cat "$STACK_DIR/run/$s.pid"))"; continue; fi
    port_busy "$port" && die "port $port for $s is busy: another program holds it; set LOCALGOV_GRPC_PORT_BASE"
    port_busy "$mport" && die "metrics port $mport for $s is busy; set LOCALGOV_METRICS_PORT_BASE"
    # The service's own token for calls to its peers (it anchors its audit chain in the
    # liaison's log with it), minted again at each start so it never expires here.
    LOCALGOV_DEV_KEY_FILE="$STACK_DIR/keys/issuer.key" "$CTL" token mint --role system \
      --agency 000.00.00.H41 --subject "service:$s" --ttl 8760h \
      >"$STACK_DIR/keys/service-$s.token" || die "cannot mint the $s service token"
    LOCALGOV_DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/localgov_$s" \
    LOCALGOV_LISTEN="127.0.0.1:$port" \
    LOCALGOV_METRICS_LISTEN="127.0.0.1:$mport" \
    LOCALGOV_REDIS_ADDR="127.0.0.1:$REDIS_PORT" \
    LOCALGOV_AUTH_PUBLIC_KEY_FILE="$STACK_DIR/keys/issuer.pub" \
    LOCALGOV_DOSSIER_ADDR="127.0.0.1:$(service_port 0)" \
    LOCALGOV_PETITION_ADDR="127.0.0.1:$(service_port 1)" \
    LOCALGOV_LIAISON_ADDR="127.0.0.1:$(service_port 3)" \
    LOCALGOV_LOG_SIGNING_KEY_FILE="$STACK_DIR/keys/liaison-log.key" \
    LOCALGOV_EXCHANGE_SIGNING_KEY_FILE="$STACK_DIR/keys/dossier-exchange.key" \
    LOCALGOV_DIRECTORY_TRUST_KEY="$trust_key" \
    LOCALGOV_IDENTITY_KEYS_FILE="$STACK_DIR/keys/identity.keys" \
    LOCALGOV_SERVICE_TOKEN_FILE="$STACK_DIR/keys/service-$s.token" \
    LOCALGOV_AUDIT_ANCHOR_INTERVAL_S="${LOCALGOV_AUDIT_ANCHOR_INTERVAL_S:-60}" \
    LOCALGOV_DRAIN_SECONDS=1 \
      nohup "$BUILD_DIR/services/$s/$s" serve >>"$STACK_DIR/logs/$s.log" 2>&1 &
    echo $! >"$STACK_DIR/run/$s.pid"
    log "started $s on 127.0.0.1:$port (metrics :$mport, log $STACK_DIR/logs/$s.log)"
  done
}

services_stop() {
  local s pid
  for s in "${SERVICES[@]}"; do
    if service_running "$s"; then
      pid="$(cat "$STACK_DIR/run/$s.pid")"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
      log "$s stopped"
    fi
    rm -f "$STACK_DIR/run/$s.pid"
  done
}

wait_serving() {
  export_addrs
  for _ in $(seq 1 120); do
    if "$CTL" health >/dev/null 2>&1; then "$CTL" health; return 0; fi
    for s in "${SERVICES[@]}"; do
      service_running "$s" || { tail -n 20 "$STACK_DIR/logs/$s.log" >&2; die "$s exited; see $STACK_DIR/logs/$s.log"; }
    done
    sleep 0.5
  done
  "$CTL" health || true
  die "services did not become SERVING within 60 s; see $STACK_DIR/logs/"
}

cmd_up() {
  [ "${LOCALGOV_SKIP_INSTALL:-0}" = 1 ] || bash "$ROOT/scripts/install-deps.sh"
  [ "${LOCALGOV_SKIP_BUILD:-0}" = 1 ] || bash "$ROOT/scripts/build.sh"
  mkdir -p "$STACK_DIR/logs" "$STACK_DIR/keys"
  if [ ! -f "$STACK_DIR/keys/issuer.key" ]; then "$CTL" token keygen --out-dir "$STACK_DIR/keys" >/dev/null; log "created a development issuer key in $STACK_DIR/keys"; fi
  local k
  for k in liaison-log dossier-exchange police insurance; do
    [ -f "$STACK_DIR/keys/$k.key" ] || "$CTL" exchange keygen --key-id "$k-local" --out "$STACK_DIR/keys/$k.key" >/dev/null
  done
  # The key ring that seals denouncers' identities (petition service), outside the database.
  [ -f "$STACK_DIR/keys/identity.keys" ] \
    || "$CTL" petition sealing-keygen --key-id seal-local-1 --out "$STACK_DIR/keys/identity.keys" >/dev/null
  pg_start
  redis_start
  create_databases
  services_start
  wait_serving
  "$CTL" seed demo --exchange-keys "$STACK_DIR/keys" \
    --police-endpoint "127.0.0.1:$(service_port 10)" --insurance-endpoint "127.0.0.1:$(service_port 11)"
  # A year of the commune's petitions (idempotent; waits for the petition service's directory).
  "$CTL" seed petitions || die "seeding the demo petitions failed (above)"
  # A year of its reception register (leaders' days, a crowd case) and voters' meetings.
  "$CTL" seed receptions || die "seeding the demo receptions failed (above)"
  # The cadre service's demo province: 3,000+ cadres with ten years of history, generated
  # deterministically and loaded once into its database (a second run says "already loaded").
  "$CTL" cadre load-demo --database-url "postgresql://postgres@127.0.0.1:$PG_PORT/localgov_cadre" \
    || die "loading the cadre demo province failed (above)"
  local prom_port="${LOCALGOV_PROMETHEUS_PORT:-9190}" prom_hint
  if [ "${LOCALGOV_PROMETHEUS:-0}" = 1 ] || [ -f "$STACK_DIR/prometheus/prometheus.pid" ]; then
    bash "$ROOT/scripts/prometheus.sh" start
    prom_hint="Prometheus (alerts of deploy/): http://127.0.0.1:$prom_port (scripts/prometheus.sh status|stop)"
  elif command -v prometheus >/dev/null 2>&1; then
    prom_hint="Watch them with Prometheus and the alert rules of deploy/: scripts/prometheus.sh start (http://127.0.0.1:$prom_port)"
  else
    prom_hint="Install Debian's prometheus package (scripts/install-deps.sh) to watch them: scripts/prometheus.sh start"
  fi
  cat <<MSG

Metrics (Prometheus text format): dossier http://127.0.0.1:$(metrics_port 0)/metrics, petition :$(metrics_port 1),
cadre :$(metrics_port 2), liaison :$(metrics_port 3) (docs/operations.md, "Health, metrics, logs").
$prom_hint

localgov is up. Try:
  export LOCALGOV_DEV_KEY_FILE=$STACK_DIR/keys/issuer.key
  $CTL health
  $CTL info
  $CTL directory get 000.00.31.H41
  TOKEN=\$($CTL token mint --role officer --agency 000.00.31.H41)
  tools/node_modules/.bin/buf curl --protocol grpc --http2-prior-knowledge http://127.0.0.1:$GRPC_BASE/grpc.health.v1.Health/Check
  tools/node_modules/.bin/buf curl --protocol grpc --http2-prior-knowledge -H "authorization: Bearer \$TOKEN" \\
    http://127.0.0.1:$((GRPC_BASE + 3))/localgov.liaison.v1.LiaisonService/GetAgency -d '{"code":"000.00.31.H41"}'
The liên thông demo (docs/operations.md, "Demo: a liên thông dossier"): start the police and
social-insurance receivers, then receive an LT-01 dossier and start processing it:
  $CTL exchange serve-receiver --agency 000.00.10.G01 --listen 127.0.0.1:$((GRPC_BASE + 10)) --key $STACK_DIR/keys/police.key &
  $CTL exchange serve-receiver --agency 000.00.11.G02 --listen 127.0.0.1:$((GRPC_BASE + 11)) --key $STACK_DIR/keys/insurance.key &
Stop with: scripts/down.sh
MSG
}

cmd_down() {
  bash "$ROOT/scripts/prometheus.sh" stop
  services_stop
  redis_stop
  pg_stop
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) export_addrs; "$CTL" health ;;
  pg-stop) pg_stop ;;
  pg-start) pg_start ;;
  pg-crash) pg_crash ;;
  pg-dir) pg_data_dir; echo ;;
  redis-kill) redis_kill ;;
  redis-start) mkdir -p "$STACK_DIR/logs"; redis_start ;;
  services) mkdir -p "$STACK_DIR/logs"; services_start; wait_serving >/dev/null ;;
  *) echo "usage: $0 up|down|status|pg-stop|pg-start|pg-crash|pg-dir|redis-kill|redis-start|services" >&2; exit 2 ;;
esac
