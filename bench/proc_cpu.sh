# Sourced by the benchmarks: CPU time of processes from /proc/<pid>/stat (utime + stime, in
# clock ticks), to report what the service itself spends per operation beside PostgreSQL.
# PostgreSQL's figure sums every live server process and what the postmaster has reaped
# (cutime + cstime: backends that exited, such as pgbench's), so a delta over a run counts
# every backend that ran in it.
CLK_TCK="$(getconf CLK_TCK)"

# Ticks used by process $1 (0 if it is gone).
proc_ticks() {
  local f
  f="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  # After "comm)": field 3 is the state; utime and stime are fields 14 and 15.
  awk '{print $12 + $13}' <<<"$f"
}

# Ticks used by the PostgreSQL server whose postmaster is $1 (its pid), children included.
pg_ticks() {
  local pm="$1" total=0 p f
  f="$(sed 's/.*) //' "/proc/$pm/stat" 2>/dev/null)" || { echo 0; return; }
  total="$(awk '{print $12 + $13 + $14 + $15}' <<<"$f")"
  for p in $(pgrep -P "$pm"); do total=$((total + $(proc_ticks "$p"))); done
  echo "$total"
}

# The postmaster's pid of the local stack (scripts/stack.sh pg-dir holds postmaster.pid).
stack_postmaster_pid() {
  head -1 "$(bash "$1/scripts/stack.sh" pg-dir)/postmaster.pid"
}

# Milliseconds of CPU per operation: ticks delta $1 over $2 operations.
ms_per_op() {
  python3 -c "import sys; t, n, hz = map(float, sys.argv[1:]); print(round(1000 * t / hz / n, 3) if n else 0)" \
    "$1" "$2" "$CLK_TCK"
}
