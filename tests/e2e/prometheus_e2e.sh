#!/usr/bin/env bash
# End to end, as an operator would see it: Debian's Prometheus (scripts/prometheus.sh, on
# loopback, its own port and folder) scrapes a fresh local stack and evaluates the alert rules
# of deploy/base/monitoring.yaml. A receiving agency's system (the police) goes down while an
# LT-01 dossier hands it a step: the envelope waits, and LocalgovHandoffsNotSyncedWithinTenMinutes
# fires in Prometheus (/api/v1/alerts); the receiver comes back and the alert resolves.
# Every Grafana dashboard's metric is in its service's real /metrics and every panel's query
# runs in Prometheus and returns data.
#
# What is not real time: the test does not wait 10 minutes. It moves the pending envelope's
# acceptance time 11 minutes back in the liaison's database (the gauge is computed from it), and
# a late dossier's due date 3 days back in the dossier's; and the test's copy of the rules has
# `for: 5s` instead of the deployed 1m/15m (LOCALGOV_PROMETHEUS_RULE_FOR). The expressions and
# thresholds are the deployed ones; tests/prometheus/alerts.test.yaml checks the real `for:`.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
command -v prometheus >/dev/null || { echo "FAIL: prometheus is not installed (scripts/install-deps.sh)"; exit 1; }

export LOCALGOV_PROMETHEUS_INTERVAL=1s LOCALGOV_PROMETHEUS_RULE_FOR=5s
RECV=""
cleanup() {
  [ -n "${POLICE_PID:-}" ] && kill -KILL "$POLICE_PID" 2>/dev/null
  [ -n "${INSURANCE_PID:-}" ] && kill -KILL "$INSURANCE_PID" 2>/dev/null
  [ -n "${LOCALGOV_STACK_DIR:-}" ] && bash "$ROOT/scripts/prometheus.sh" stop >/dev/null 2>&1
  [ -n "$RECV" ] && rm -rf "$RECV"
  stack_cleanup
}
trap cleanup EXIT

if stack_up; then ok "stack up"; else ko "stack up"; echo "e2e: $passed passed, $failed failed"; exit 1; fi
export LOCALGOV_PROMETHEUS_PORT
for _ in 1 2 3; do
  LOCALGOV_PROMETHEUS_PORT="$(free_port)"
  bash "$ROOT/scripts/prometheus.sh" start && break
done
PROM="http://127.0.0.1:$LOCALGOV_PROMETHEUS_PORT"
if curl -fsS "$PROM/-/ready" >/dev/null; then ok "Prometheus ready on $PROM"; else ko "Prometheus not ready"; exit 1; fi

# A PromQL query's result as "labels value" lines (empty when no series); exit 1 on an error.
query() {
  curl -fsS --get "$PROM/api/v1/query" --data-urlencode "query=$1" | node -e '
    const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
    if (r.status !== "success") { console.error(JSON.stringify(r)); process.exit(1); }
    for (const s of r.data.result) console.log(JSON.stringify(s.metric), s.value[1]);'
}
# The alert's state in /api/v1/alerts: firing, pending or none.
alert_state() {
  curl -fsS "$PROM/api/v1/alerts" | node -e '
    const a = JSON.parse(require("fs").readFileSync(0, "utf8")).data.alerts.filter((x) => x.labels.alertname === process.argv[1]);
    console.log(a.some((x) => x.state === "firing") ? "firing" : a.length ? "pending" : "none");' "$1"
}
wait_for() {  # wait_for SECONDS command...: until the command succeeds
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do [ "$SECONDS" -ge "$deadline" ] && return 1; sleep 0.5; done
}
is_state() { [ "$(alert_state "$1")" = "$2" ]; }
targets_up() { [ "$(query 'sum(up{job="localgov/localgov"})')" != "" ] && [ "$(query 'sum(up{job="localgov/localgov"})' | awk '{print $2}')" = 4 ]; }

if wait_for 30 targets_up; then ok "Prometheus scrapes the four services (up == 1)"; else ko "targets: $(bash "$ROOT/scripts/prometheus.sh" status)"; fi
rules="$(curl -fsS "$PROM/api/v1/rules" | node -e 'const g = JSON.parse(require("fs").readFileSync(0, "utf8")).data.groups; console.log(g.flatMap((x) => x.rules).filter((r) => r.type === "alerting").length)')"
if [ "$rules" -ge 10 ]; then ok "Prometheus loaded the $rules alert rules of deploy/"; else ko "rules loaded: $rules"; fi

# Both receivers up: an LT-01 dossier's two handoffs are delivered; no handoff alert.
RECV="$(mktemp -d)"
start_receiver() {  # start_receiver NAME AGENCY PORT_OFFSET KEY
  ( cd "$RECV" && exec "$CTL" exchange serve-receiver --agency "$2" \
      --listen "127.0.0.1:$((LOCALGOV_GRPC_PORT_BASE + $3))" --key "$LOCALGOV_STACK_DIR/keys/$4.key" \
      --complete-after 3600 >>"$1.out" 2>&1 ) &
}
start_receiver police 000.00.10.G01 10 police; POLICE_PID=$!
start_receiver insurance 000.00.11.G02 11 insurance; INSURANCE_PID=$!
lt01() {  # receives an LT-01 dossier, finishes the commune's step (two handoffs); prints its code
  local out code
  out="$("$CTL" dossier receive --procedure LT-01 --name "Nguyễn Thị Hoa" --citizen-id 079203001234 \
        --doc to-khai-lien-thong --doc giay-chung-sinh 2>&1)"
  code="$(awk '/^dossier/ {print $2}' <<<"$out")"
  "$CTL" dossier act "$code" --action start >/dev/null
  "$CTL" dossier act "$code" --action step-done --step 0 --reason "Đã đăng ký khai sinh" >/dev/null
  echo "$code"
}
LT1="$(lt01)"
none_pending() {
  [ "$("$CTL" envelopes list --state acknowledged 2>/dev/null | grep -c "^$LT1:step-[12]")" = 2 ] &&
    [ "$(query 'max(localgov_envelopes{state="pending"})' | awk '{print $2}')" = 0 ]
}
if [ -n "$LT1" ] && wait_for 30 none_pending; then ok "receivers up: $LT1's handoffs delivered (no envelope pending)"; else ko "handoffs with receivers up: $("$CTL" envelopes list 2>&1)"; fi
if is_state LocalgovHandoffsNotSyncedWithinTenMinutes none; then ok "no handoff alert while the receivers answer"; else ko "handoff alert with receivers up"; fi

# The police system goes down (killed: it answers nothing); the next dossier's police handoff
# waits.
kill -KILL "$POLICE_PID"; wait "$POLICE_PID" 2>/dev/null; POLICE_PID=""
LT2="$(lt01)"
one_pending() { [ "$(query 'max(localgov_envelopes{state="pending"})' | awk '{print $2}')" = 1 ]; }
if wait_for 30 one_pending; then ok "police down: its handoff of $LT2 is pending (localgov_envelopes in Prometheus)"; else ko "pending: $("$CTL" envelopes list 2>&1)"; fi
sleep 8  # past the rules' `for: 5s`: young envelopes must not alert
if is_state LocalgovHandoffsNotSyncedWithinTenMinutes none; then ok "a handoff pending for seconds does not alert"; else ko "alert on a young envelope"; fi

# Ten minutes later (the envelope's acceptance moved back 11 minutes; the receiver still down).
psql -h 127.0.0.1 -p "$LOCALGOV_PG_PORT" -U postgres -qc \
  "UPDATE envelopes SET accepted_at = accepted_at - interval '11 minutes' WHERE state = 1" localgov_liaison
if wait_for 40 is_state LocalgovHandoffsNotSyncedWithinTenMinutes firing; then
  ok "the receiver outage fires LocalgovHandoffsNotSyncedWithinTenMinutes in Prometheus"
else
  ko "handoff alert not firing: $(curl -fsS "$PROM/api/v1/alerts")"
fi
summary="$(curl -fsS "$PROM/api/v1/alerts" | node -e '
  const a = JSON.parse(require("fs").readFileSync(0, "utf8")).data.alerts.find((x) => x.labels.alertname === "LocalgovHandoffsNotSyncedWithinTenMinutes");
  console.log(a ? `${a.labels.severity} ${a.labels.service}: ${a.annotations.summary}` : "");')"
if grep -qE '^warning liaison: An envelope has waited (6[6-9][0-9]|7[0-9][0-9]) s for its receiver' <<<"$summary"; then ok "alert: $summary"; else ko "alert labels/summary: $summary"; fi

# The police system is back (the delivery retries back off, up to 5 min apart: the checks
# below run meanwhile).
start_receiver police 000.00.10.G01 10 police; POLICE_PID=$!

# A dossier past its due date with no apology: LocalgovDossiersLateWithoutApology (the gauge
# refreshes every minute).
psql -h 127.0.0.1 -p "$LOCALGOV_PG_PORT" -U postgres -qc \
  "UPDATE dossiers SET due_date = current_date - 3 WHERE code = '$LT2'" localgov_dossier
# A complaint received a year ago and never classified: overdue (LocalgovPetitionsOverdue).
"$CTL" petition receive --kind complaint --field land --title "Khiếu nại cũ" --content "Chưa được xem xét" \
  --name "Trần Văn Cũ" --citizen-id 079203002222 --act "Quyết định thu hồi đất" \
  --received "$(date -d '1 year ago' '+%Y-%m-%d') 09:00" --learned-date "$(date -d '1 year ago' '+%Y-%m-%d')" >/dev/null
# A recommendation forwarded to the province: the petition service's outbox delivers it.
out="$("$CTL" petition receive --kind recommendation --field construction --channel online \
      --title "Kiến nghị sửa tỉnh lộ" --content "Tỉnh lộ 8 xuống cấp" --name "Lê Thị Kiến" 2>&1)"
"$CTL" petition classify "$(awk '/^code/ {print $2; exit}' <<<"$out")" --decision forward --to 000.00.00.H41 \
  --reason "Thuộc thẩm quyền UBND tỉnh" >/dev/null
if wait_for 90 is_state LocalgovDossiersLateWithoutApology firing; then ok "a late dossier fires LocalgovDossiersLateWithoutApology"; else ko "late-dossier alert: $(query 'localgov_dossiers_late_without_apology')"; fi
if wait_for 90 is_state LocalgovPetitionsOverdue firing; then ok "an overdue complaint fires LocalgovPetitionsOverdue"; else ko "overdue-petition alert: $(query 'localgov_petitions_overdue')"; fi


if wait_for 330 is_state LocalgovHandoffsNotSyncedWithinTenMinutes none; then ok "police back: the handoff delivered, the alert resolved"; else ko "alert still $(alert_state LocalgovHandoffsNotSyncedWithinTenMinutes)"; fi

# Every service called (cadre's RPC metrics appear with its first call).
"$CTL" info >/dev/null && "$CTL" cadre roster --of 000.00.31.H41 >/dev/null
sleep 3
# The dashboards against the real scrape: each metric a service's dashboard reads is in that
# service's /metrics; each panel's query runs in Prometheus and returns series.
names=(dossier petition cadre liaison)
for i in 0 1 2 3; do
  s="${names[$i]}"
  exported="$(curl -fsS "http://127.0.0.1:$((LOCALGOV_METRICS_PORT_BASE + i))/metrics" | awk '/^# TYPE/ {print $3}')"
  missing=""
  for m in $(node "$ROOT/tools/deploy-check/prometheus.mjs" dashboard-metrics "$s"); do
    grep -qx "${m%_bucket}" <<<"$exported" || missing="$missing ${m}"
  done
  if [ -z "$missing" ]; then ok "$s dashboard: every metric is in $s's /metrics"; else ko "$s dashboard reads metrics $s does not export:$missing"; fi
done
empty=""; bad=""; n=0
while IFS=$'\t' read -r s title q; do
  n=$((n + 1))
  if ! out="$(query "$q" 2>&1)"; then bad="$bad [$s / $title: $out]"; elif [ -z "$out" ]; then empty="$empty [$s / $title]"; fi
done < <(node "$ROOT/tools/deploy-check/prometheus.mjs" dashboard-queries)
if [ -z "$bad" ] && [ "$n" -ge 30 ]; then ok "all $n dashboard queries run in Prometheus"; else ko "dashboard queries failing ($n):$bad"; fi
if [ -z "$empty" ]; then ok "every dashboard query returns data from the stack"; else ko "dashboard queries with no data:$empty"; fi

echo "e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
