# Sourced by bench/exchange_bench.sh and bench/handoff_baseline.sh: one measured run of
# acknowledged handoffs through the liaison of the local stack (scripts/up.sh).
# Needs ROOT set. measure_handoffs SECONDS CONCURRENCY prints one JSON line.
STACK_DIR="${LOCALGOV_STACK_DIR:-$ROOT/.local}"
CTL="${CTL:-$ROOT/build/tools/localgovctl/localgovctl}"
LOADGEN="${LOADGEN:-$ROOT/build/tools/loadgen/localgov-loadgen}"
BASE_PORT="${LOCALGOV_GRPC_PORT_BASE:-50051}"
LIAISON="127.0.0.1:$((BASE_PORT + 3))"
PG_PORT="${LOCALGOV_PG_PORT:-55432}"
export LOCALGOV_DEV_KEY_FILE="$STACK_DIR/keys/issuer.key"
# localgovctl talks to this stack's ports, not the defaults.
export LOCALGOV_DOSSIER_ADDR="127.0.0.1:$BASE_PORT" LOCALGOV_PETITION_ADDR="127.0.0.1:$((BASE_PORT + 1))"
export LOCALGOV_CADRE_ADDR="127.0.0.1:$((BASE_PORT + 2))" LOCALGOV_LIAISON_ADDR="127.0.0.1:$((BASE_PORT + 3))"
# shellcheck source=bench/proc_cpu.sh
source "$ROOT/bench/proc_cpu.sh"
psql_l() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAq localgov_liaison -c "$1"; }

# The log's last sequence: the PK index's last entry, whatever the table's size.
log_watermark() { psql_l "SELECT COALESCE(max(sequence), 0) FROM message_log"; }

measure_handoffs() {
  local secs="$1" conc="$2" first start send sent target mark answer acked last_at
  local lpid dpid pm l0 d0 p0 l1 d1 p1
  "$CTL" directory admin grant 000.00.31.H41 step-handoff 000.00.32.H41 >/dev/null
  lpid="$(cat "$STACK_DIR/run/liaison.pid")"
  dpid="$(cat "$STACK_DIR/run/dossier.pid")"
  pm="$(stack_postmaster_pid "$ROOT")"
  first="$(log_watermark)"
  local scans0 scans1
  scans0="$(psql_l "SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'envelopes'")"
  l0="$(proc_ticks "$lpid")"; d0="$(proc_ticks "$dpid")"; p0="$(pg_ticks "$pm")"
  start="$(date +%s.%N)"
  send="$("$LOADGEN" --target "$LIAISON" --rpc send-envelope --signing-key "$STACK_DIR/keys/dossier-exchange.key" \
          --from 000.00.31.H41 --to 000.00.32.H41 --concurrency "$conc" --seconds "$secs" || true)"
  sent="$(sed -E 's/.*"0":([0-9]+).*/\1/' <<<"$send")"
  # Each handoff adds two entries ("accepted", "acknowledged"). Poll the watermark (cheap),
  # and count the run's acknowledgements (a range of the primary key: this run's entries
  # only) once it has moved far enough; the end is the last acknowledgement's own time.
  target=$((first + 2 * sent))
  acked=0
  for _ in $(seq 1 600); do
    mark="$(log_watermark)"
    if [ "$mark" -ge "$target" ]; then
      answer="$(psql_l "SELECT count(*), COALESCE(extract(epoch FROM max(at)), 0)
                        FROM message_log WHERE sequence > $first AND event = 'acknowledged'")"
      acked="${answer%%|*}"; last_at="${answer##*|}"
      [ "$acked" -ge "$sent" ] && break
      target=$((mark + sent - acked))
    fi
    sleep 0.2
  done
  l1="$(proc_ticks "$lpid")"; d1="$(proc_ticks "$dpid")"; p1="$(pg_ticks "$pm")"
  # Statistics reach the view within a moment (PostgreSQL 15: at the backend's next idle).
  sleep 1
  scans1="$(psql_l "SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'envelopes'")"
  local shape
  shape="$(psql_l "SELECT count(DISTINCT at) FILTER (WHERE event = 'accepted'),
                          count(DISTINCT at) FILTER (WHERE event = 'acknowledged')
                   FROM message_log WHERE sequence > $first")"
  python3 - "$start" "$last_at" "$acked" "$sent" "$((l1 - l0))" "$((d1 - d0))" "$((p1 - p0))" \
    "$CLK_TCK" "$shape" "$send" "$((scans1 - scans0))" <<'PY'
import json, sys
start, end = float(sys.argv[1]), float(sys.argv[2] or 0)
acked, sent = int(sys.argv[3]), int(sys.argv[4])
lt, dt, pt, hz = (float(x) for x in sys.argv[5:9])
writer_batches, delivery_batches = (int(x) for x in sys.argv[9].split("|"))
send = json.loads(sys.argv[10]) if sys.argv[10].startswith("{") else {}
scans = int(sys.argv[11])
secs = max(end - start, 1e-9)
per = lambda t: round(1000 * t / hz / acked, 3) if acked else 0
print(json.dumps({
    "acknowledged": acked, "sent": sent, "seconds": round(secs, 2),
    "acknowledged_handoffs_per_second": round(acked / secs),
    "send_p50_ms": round(send.get("p50_ms", 0), 1), "send_p99_ms": round(send.get("p99_ms", 0), 1),
    "cpu_ms_per_handoff": {"liaison": per(lt), "dossier": per(dt), "postgresql": per(pt)},
    "log_writer_batch": round(acked / writer_batches, 1) if writer_batches else 0,
    "delivery_batch": round(acked / delivery_batches, 1) if delivery_batches else 0,
    "envelopes_seq_scans": scans}))
PY
}
