#!/usr/bin/env bash
# Issue 27, acknowledged handoffs: the service beside its same-work baseline, in the same run.
# Each round measures acknowledged handoffs through the liaison (bench/handoff_lib.sh: rate,
# and the CPU the liaison, the dossier service and PostgreSQL spent per handoff, from /proc),
# then pgbench replaying the statements of those handoffs (bench/handoff_replay.sh) with the
# batch shapes just measured, unprepared (-M extended: what libpqxx's exec_params sends) and
# prepared (-M prepared). It prints every round, the medians and the ratios.
#
# A/B of builds in the same run: LIAISON_BINARIES="old=/path/liaison new=build/..." runs each
# round once per binary, swapped into the stack's build directory between runs (restored at the
# end); the replay runs once per round, after the last binary.
# First, once: a statement capture (log_min_duration_statement = 0 for a few seconds of the
# same load), counted per acknowledged handoff and per database (CAPTURE=0 skips it).
# Needs the local stack (scripts/up.sh) and pgbench (postgresql-15).
# Usage: bench/handoff_baseline.sh [rounds] [seconds] [concurrency]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-3}"
SECONDS_RUN="${2:-10}"
CONC="${3:-16}"
BUILD_DIR="${LOCALGOV_BUILD_DIR:-$ROOT/build}"
# shellcheck source=bench/handoff_lib.sh
source "$ROOT/bench/handoff_lib.sh"
# shellcheck source=bench/handoff_replay.sh
source "$ROOT/bench/handoff_replay.sh"
WORK="$(mktemp -d)"
LIAISON_BIN="$BUILD_DIR/services/liaison/liaison"
cp -p "$LIAISON_BIN" "$WORK/liaison.orig"
restore() {
  if ! cmp -s "$LIAISON_BIN" "$WORK/liaison.orig"; then
    swap_liaison "$WORK/liaison.orig" || true
  fi
  rm -rf "$WORK"
}
trap restore EXIT

# Stops the stack's liaison, puts binary $1 in its place, starts it and waits for SERVING.
swap_liaison() {
  local pid
  pid="$(cat "$STACK_DIR/run/liaison.pid")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  cp -p "$1" "$LIAISON_BIN.swap" && mv -f "$LIAISON_BIN.swap" "$LIAISON_BIN"
  LOCALGOV_SKIP_BUILD=1 bash "$ROOT/scripts/stack.sh" services >/dev/null
  sleep 1
}

pg_data="$(bash "$ROOT/scripts/stack.sh" pg-dir)"
capture() {
  local log="$pg_data/server.log" from
  from="$(stat -c %s "$log")"
  psql_r -c "ALTER SYSTEM SET log_min_duration_statement = 0" \
    -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] %d '" -c "SELECT pg_reload_conf()" postgres >/dev/null
  sleep 0.5
  local m
  m="$(measure_handoffs 3 "$CONC")"
  psql_r -c "ALTER SYSTEM RESET log_min_duration_statement" -c "ALTER SYSTEM RESET log_line_prefix" \
    -c "SELECT pg_reload_conf()" postgres >/dev/null
  echo "statement capture, 3 s at $CONC clients (logging every statement slows the run): $m"
  tail -c +"$((from + 1))" "$log" >"$WORK/capture.log"
  python3 - "$WORK/capture.log" "$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['acknowledged'])" "$m")" <<'PY'
import collections, re, sys
acked = int(sys.argv[2])
pat = re.compile(r"^\S+ \S+ \S+ \[\d+\] (\S+) LOG:  duration: [0-9.]+ ms  (statement|execute [^:]*): (.*)")
count = collections.Counter()
per_db = collections.Counter()
for line in open(sys.argv[1], errors="replace"):
    m = pat.match(line)
    if not m:
        continue
    db, kind, sql = m.groups()
    if not db.startswith("localgov_"):
        continue
    key = re.sub(r"\s+", " ", sql)[:90]
    count[(db, key)] += 1
    per_db[db] += 1
print(f"round trips per acknowledged handoff ({acked} acknowledged):")
for db in sorted(per_db):
    print(f"  {db}: {per_db[db] / acked:.2f}")
    for (d, key), n in sorted(count.items(), key=lambda kv: -kv[1]):
        if d == db and n / acked >= 0.005:
            print(f"    {n / acked:6.3f}  {key}")
PY
}

[ "${CAPTURE:-1}" = 1 ] && capture
replay_setup "$WORK"

declare -A rates cpu
names=()
if [ -n "${LIAISON_BINARIES:-}" ]; then
  for kv in $LIAISON_BINARIES; do
    names+=("${kv%%=*}"); cp -p "${kv#*=}" "$WORK/liaison.${kv%%=*}"
  done
else
  names=(service); cp -p "$LIAISON_BIN" "$WORK/liaison.service"
fi
results="$WORK/results"
: >"$results"
for r in $(seq 1 "$ROUNDS"); do
  last=""
  for n in "${names[@]}"; do
    [ "${#names[@]}" -gt 1 ] && swap_liaison "$WORK/liaison.$n"
    m="$(measure_handoffs "$SECONDS_RUN" "$CONC")"
    echo "round $r $n: $m"
    echo "$r service $n $m" >>"$results"
    last="$m"
  done
  wb="$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['log_writer_batch'])" "$last")"
  db="$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['delivery_batch'])" "$last")"
  for mode in extended prepared; do
    m="$(replay_run "$WORK" "$mode" "$SECONDS_RUN" "$CONC" "$wb" "$db")"
    echo "round $r replay: $m"
    echo "$r replay $mode $m" >>"$results"
  done
done
"$CTL" log verify

python3 - "$results" "${names[@]}" <<'PY'
import json, statistics, sys
rows = [l.split(" ", 3) for l in open(sys.argv[1]).read().splitlines()]
names = sys.argv[2:]
svc = {n: [] for n in names}
rep = {"extended": [], "prepared": []}
for r, kind, name, js in rows:
    d = json.loads(js)
    (svc[name] if kind == "service" else rep[name]).append((int(r), d))
med = lambda xs: statistics.median(xs) if xs else 0
print("\nmedians of", len({r for r, *_ in rows}), "rounds:")
rounds = sorted({int(r) for r, *_ in rows})
def ratio_per_round(name, mode):
    out = []
    for r in rounds:
        s = [d for rr, d in svc[name] if rr == r]
        p = [d for rr, d in rep[mode] if rr == r]
        if s and p and p[0]["handoffs_per_second"]:
            out.append(100 * s[0]["acknowledged_handoffs_per_second"] / p[0]["handoffs_per_second"])
    return out
for mode in rep:
    print(f"  replay {mode}: {med([d['handoffs_per_second'] for _, d in rep[mode]]):.0f} handoffs/s,"
          f" PostgreSQL {med([d['postgresql_cpu_ms_per_handoff'] for _, d in rep[mode]]):.3f} ms CPU per handoff")
for n in names:
    ds = [d for _, d in svc[n]]
    rates = [d["acknowledged_handoffs_per_second"] for d in ds]
    print(f"  {n}: {med(rates):.0f} acknowledged handoffs/s (rounds {', '.join(map(str, rates))});"
          f" CPU per handoff: liaison {med([d['cpu_ms_per_handoff']['liaison'] for d in ds]):.3f} ms,"
          f" dossier {med([d['cpu_ms_per_handoff']['dossier'] for d in ds]):.3f} ms,"
          f" PostgreSQL {med([d['cpu_ms_per_handoff']['postgresql'] for d in ds]):.3f} ms;"
          f" batches: writer {med([d['log_writer_batch'] for d in ds])}, delivery {med([d['delivery_batch'] for d in ds])}")
    for mode in rep:
        print(f"    {n} / replay {mode}: median {med(ratio_per_round(n, mode)):.1f}%"
              f" (rounds {', '.join('%.1f%%' % x for x in ratio_per_round(n, mode))})")
if len(names) == 2:
    a, b = names
    ab = []
    for r in rounds:
        x = [d for rr, d in svc[a] if rr == r]; y = [d for rr, d in svc[b] if rr == r]
        if x and y and x[0]["acknowledged_handoffs_per_second"]:
            ab.append(y[0]["acknowledged_handoffs_per_second"] / x[0]["acknowledged_handoffs_per_second"])
    print(f"  {b} / {a}: median {med(ab):.2f}x (rounds {', '.join('%.2f' % x for x in ab)}) (goal >= 1.5x)")
new = names[-1]
ds = [d for _, d in svc[new]]
goals = [
    ("every round >= 1,000/s", all(d["acknowledged_handoffs_per_second"] >= 1000 for d in ds)),
    (">= 90% of the prepared replay", med(ratio_per_round(new, "prepared")) >= 90),
    ("liaison CPU <= 0.2 ms per handoff", med([d["cpu_ms_per_handoff"]["liaison"] for d in ds]) <= 0.2),
]
for g, ok in goals:
    print(f"  goal {g} ({new}): {'met' if ok else 'not met'}")
PY
