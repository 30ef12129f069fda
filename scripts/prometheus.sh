#!/usr/bin/env bash
# Debian's Prometheus against the local stack (scripts/up.sh): scrapes the four services'
# metrics ports and evaluates the alert rules of deploy/base/monitoring.yaml (extracted to a
# plain rules file), on loopback, with its data under the stack folder.
#
#   scripts/prometheus.sh start   write the config and rules, start Prometheus, wait until ready
#   scripts/prometheus.sh stop    stop it (its data is kept)
#   scripts/prometheus.sh status  its address, targets' health and the alerts firing
#
# Settings (environment), besides the stack's (LOCALGOV_STACK_DIR, LOCALGOV_METRICS_PORT_BASE):
# LOCALGOV_PROMETHEUS_PORT (9190: not 9090, where the prometheus package's own
# system service may listen), LOCALGOV_PROMETHEUS_INTERVAL (scrape and rule evaluation
# interval, 15s), LOCALGOV_PROMETHEUS_RULE_FOR (replaces every alert's `for:` in the local copy
# of the rules, e.g. 5s to see an alert fire quickly; unset: the rules as deployed).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STACK_DIR="${LOCALGOV_STACK_DIR:-$ROOT/.local}"
METRICS_BASE="${LOCALGOV_METRICS_PORT_BASE:-9101}"
PORT="${LOCALGOV_PROMETHEUS_PORT:-9190}"
INTERVAL="${LOCALGOV_PROMETHEUS_INTERVAL:-15s}"
DIR="$STACK_DIR/prometheus"
SERVICES=(dossier petition cadre liaison)

log() { printf '[prometheus] %s\n' "$*"; }
die() { printf '[prometheus] error: %s\n' "$*" >&2; exit 1; }
running() { [ -f "$DIR/prometheus.pid" ] && kill -0 "$(cat "$DIR/prometheus.pid")" 2>/dev/null; }

write_config() {
  mkdir -p "$DIR/data"
  local args=(rules "$DIR/localgov.rules.yaml")
  [ -n "${LOCALGOV_PROMETHEUS_RULE_FOR:-}" ] && args+=(--for "$LOCALGOV_PROMETHEUS_RULE_FOR")
  node "$ROOT/tools/deploy-check/prometheus.mjs" "${args[@]}"
  # job "localgov/localgov" and the pod label: as the Prometheus Operator names the PodMonitor's
  # series in a cluster, so the alerts (LocalgovServiceDown) and dashboards read them alike.
  {
    printf 'global:\n  scrape_interval: %s\n  evaluation_interval: %s\n' "$INTERVAL" "$INTERVAL"
    printf 'rule_files:\n  - %s\n' "$DIR/localgov.rules.yaml"
    printf 'scrape_configs:\n  - job_name: localgov/localgov\n    static_configs:\n'
    local i
    for i in "${!SERVICES[@]}"; do
      printf '      - targets: ["127.0.0.1:%s"]\n        labels: {pod: %s-local, namespace: local}\n' \
        "$((METRICS_BASE + i))" "${SERVICES[$i]}"
    done
  } >"$DIR/prometheus.yml"
  promtool check config "$DIR/prometheus.yml" >"$DIR/check.log" 2>&1 || { cat "$DIR/check.log" >&2; die "bad config"; }
}

cmd_start() {
  command -v prometheus >/dev/null || die "prometheus is not installed (Debian: apt-get install prometheus; scripts/install-deps.sh)"
  if running; then log "already running on http://127.0.0.1:$PORT (pid $(cat "$DIR/prometheus.pid"))"; return; fi
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && die "port $PORT is busy; set LOCALGOV_PROMETHEUS_PORT"
  write_config
  nohup prometheus --config.file="$DIR/prometheus.yml" --storage.tsdb.path="$DIR/data" \
    --web.listen-address="127.0.0.1:$PORT" --web.enable-lifecycle >>"$DIR/prometheus.log" 2>&1 &
  echo $! >"$DIR/prometheus.pid"
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$PORT/-/ready" >/dev/null 2>&1; then
      log "running on http://127.0.0.1:$PORT (alerts: /alerts, targets: /targets; log $DIR/prometheus.log)"
      return
    fi
    running || break
    sleep 0.2
  done
  tail -n 20 "$DIR/prometheus.log" >&2 || true
  die "Prometheus did not become ready; see $DIR/prometheus.log"
}

cmd_stop() {
  if running; then
    local pid; pid="$(cat "$DIR/prometheus.pid")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    log "stopped"
  fi
  rm -f "$DIR/prometheus.pid"
}

cmd_status() {
  running || { log "not running"; exit 3; }
  log "http://127.0.0.1:$PORT"
  curl -fsS "http://127.0.0.1:$PORT/api/v1/targets" | node -e '
    const t = JSON.parse(require("fs").readFileSync(0, "utf8")).data.activeTargets;
    for (const x of t) console.log(`target ${x.labels.pod} ${x.scrapeUrl} ${x.health}`);'
  curl -fsS "http://127.0.0.1:$PORT/api/v1/alerts" | node -e '
    const a = JSON.parse(require("fs").readFileSync(0, "utf8")).data.alerts;
    if (!a.length) console.log("no alerts pending or firing");
    for (const x of a) console.log(`alert ${x.labels.alertname} ${x.state}: ${x.annotations.summary}`);'
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
