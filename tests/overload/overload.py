# Overload (issue 25, item 4), against the dossier service of a fresh stack:
#  1. capacity: ReceiveDossier and GetDossier, closed loop (as many clients as the service has
#     handler threads, 16), then what an open loop that overloads it gets admitted per second;
#  2. twice that, open loop (tools/loadgen --rate: a fixed arrival rate whatever the answers):
#     admitted calls' p50/p99, RESOURCE_EXHAUSTED count and how fast it came, the service's
#     RSS (VmRSS, sampled), and the fault suite's checker on every acknowledged intake;
#  2b. (--long) a flood: 4x the GetDossier capacity, more than gRPC's threads can refuse here:
#     the service's RSS must stay below twice its value after the warm-up (common/server.h);
#  3. calls whose deadline passes in the queue (100 ms at 2x): answered DEADLINE_EXCEEDED
#     without running (none of them stored);
#  4. slow PostgreSQL: `LOCK TABLE dossiers IN ACCESS EXCLUSIVE MODE` held by psql while intakes
#     hang on it; meanwhile Health/Check, /metrics, GetServiceInfo (the database, not that
#     table) and ListProcedures (memory) must keep answering; afterwards nothing acknowledged
#     is missing.
# Asserts only what does not depend on this machine's speed (see FAILS below); the figures are
# printed for docs/reliability.md. Run by tests/overload/run.sh (which starts the stack).
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "fault"))
from faultlib import ROOT, Recorder, Stack  # noqa: E402  (first: puts the stubs on sys.path)
import grpc  # noqa: E402
from localgov.dossier.v1 import dossier_service_pb2 as pb  # noqa: E402
from localgov.dossier.v1 import dossier_service_pb2_grpc as rpc  # noqa: E402
from workloads import common  # noqa: E402
from workloads.dossier_intake import dossiers_by_citizen  # noqa: E402

BUILD = os.environ.get("LOCALGOV_BUILD_DIR", os.path.join(ROOT, "build"))
LOADGEN = os.path.join(BUILD, "tools", "loadgen", "localgov-loadgen")
CODES = {0: "OK", 1: "CANCELLED", 2: "UNKNOWN", 4: "DEADLINE_EXCEEDED", 8: "RESOURCE_EXHAUSTED",
         13: "INTERNAL", 14: "UNAVAILABLE"}
THREADS = 16  # the service's handler threads (the default: its database pool size)
FAILS = []


def check(ok, what):
    print("  %s: %s" % ("ok" if ok else "FAILED", what), flush=True)
    if not ok:
        FAILS.append(what)


class Rss(threading.Thread):
    """VmRSS of one process, sampled every 0.2 s while a phase runs (kB)."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()

    def now(self):
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmRSS for %d" % self.pid)

    def run(self):
        while not self.stop.is_set():
            self.samples.append(self.now())
            time.sleep(0.2)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.join()


class Overload:
    def __init__(self, args):
        self.args = args
        self.stack = Stack()
        self.key = os.path.join(self.stack.dir, "keys", "issuer.key")
        self.target = self.stack.addr("dossier")
        self.pid = self.stack.pid("dossier")
        self.stub = rpc.DossierServiceStub(self.stack.channels["dossier"])
        self.auth = [("authorization", "Bearer " + self.stack.token(
            "officer", common.AGENCY, "overload-probe"))]
        self.prefix_base = 60000 + random.randrange(3000) * 10
        self.runs = []  # (phase, citizen prefix, Recorder) of every open-loop intake
        self.rows = []  # the table

    def loadgen(self, *args):
        r = subprocess.run([LOADGEN, "--target", self.target, "--key", self.key, *args],
                           capture_output=True, text=True, timeout=900)
        if not r.stdout.strip():
            raise RuntimeError("loadgen %s: %s" % (" ".join(args), r.stderr))
        return json.loads(r.stdout.strip().splitlines()[-1])

    def capacity(self, what, closed_rounds, *extra):
        """Calls/s the service completes when it is offered more than it can take: first the
        closed loop (as many clients as handler threads), then open-loop probes from twice that,
        doubled until some calls are refused; the admitted rate of that probe is the capacity.
        (Intake commits in groups, so it completes more with a backlog than 16 clients see.)
        Measured again before every round: this machine's speed changes with its other work."""
        rates = [self.loadgen("--rpc", what, "--concurrency", str(THREADS), "--seconds",
                              str(self.args.capacity_s), *extra)["calls_per_second"]
                 for _ in range(closed_rounds)]
        closed = statistics.median(rates)
        rate = 2 * closed
        for _ in range(4):
            row = self.open_loop("capacity probe", what, rate, self.args.probe_s, 5000, *extra)
            if row["re"] > 0:
                break
            rate *= 2
        cap = max(row["admitted_per_s"], closed)
        print("capacity %s: closed loop (%d clients) %s calls/s, median %.0f; saturated open "
              "loop (offered %.0f/s) %.0f admitted/s: capacity %.0f/s" % (
                  what, THREADS, ", ".join("%.0f" % r for r in rates), closed, rate,
                  row["admitted_per_s"], cap), flush=True)
        self.capacities.setdefault(what, []).append(cap)
        return cap

    def open_loop(self, phase, what, rate, seconds, deadline_ms, *extra):
        """One open-loop run; an intake run keeps its record for the checker."""
        args = ["--rpc", what, "--rate", "%.0f" % rate, "--seconds", str(seconds),
                "--deadline-ms", str(deadline_ms), *extra]
        acks = None
        if what == "receive-dossier":
            prefix = str(self.prefix_base + len(self.runs))
            acks = os.path.join(self.stack.dir, "acks-%s.tsv" % prefix)
            args += ["--citizen-prefix", prefix, "--run-id", "ov%s" % prefix, "--acks", acks]
        with Rss(self.pid) as rss:
            out = self.loadgen(*args)
        if acks is not None:
            rec = Recorder()
            rec.operations = out["sent"]
            rec.attempted = ["%s%07d" % (prefix, n) for n in range(out["sent"])]
            with open(acks) as f:
                rec.acknowledged = [tuple(line.rstrip("\n").split("\t")) for line in f if line]
            self.runs.append((phase, prefix, rec))
        codes = {CODES.get(int(c), c): v for c, v in out["codes"].items()}
        ok, re = codes.get("OK", {}), codes.get("RESOURCE_EXHAUSTED", {})
        row = {"phase": phase, "rpc": what, "offered": rate, "sent": out["sent"],
               "sent_per_s": out["sent"] / max(out["seconds"], 1e-9),
               "ok": ok.get("count", 0), "re": re.get("count", 0),
               "other": {c: v["count"] for c, v in codes.items()
                         if c not in ("OK", "RESOURCE_EXHAUSTED")},
               "ok_p50": ok.get("p50_ms"), "ok_p99": ok.get("p99_ms"),
               "re_p50": re.get("sent_p50_ms"), "re_p99": re.get("sent_p99_ms"),
               "lag": out["max_send_lag_ms"], "rss": (rss.samples[0], max(rss.samples),
                                                       rss.samples[-1]),
               "admitted_per_s": ok.get("count", 0) / max(out["elapsed_seconds"], 1e-9)}
        self.rows.append(row)
        print("%s: %s" % (phase, json.dumps(row)), flush=True)
        return row

    def metric(self, name, **labels):
        text = urllib.request.urlopen(self.metrics_url(), timeout=5).read().decode()
        want = ['%s="%s"' % kv for kv in labels.items()]
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                   if line.startswith(name + "{") and all(w in line for w in want))

    def metrics_url(self):
        return "http://127.0.0.1:%d/metrics" % int(os.environ["LOCALGOV_METRICS_PORT_BASE"])

    # --- the phases ---
    def overload(self):
        # Warm-up: the first capacity measurement, whose probes already overload.
        self.capacities = {}
        cap_in = self.capacity("receive-dossier", self.args.rounds)
        sample = self.runs[-1][2].acknowledged[0]
        code, factor = sample[2], sample[1][-4:]
        self.capacity("get-dossier", self.args.rounds, "--code", code)
        self.rss_warm = Rss(self.pid).now()
        print("RSS after warm-up: %d kB" % self.rss_warm, flush=True)
        for r in range(self.args.rounds):
            for what, extra in (("receive-dossier", []), ("get-dossier", ["--code", code])):
                cap = self.capacity(what, 1, *extra)
                row = self.open_loop("2x capacity, round %d" % (r + 1), what, 2 * cap,
                                     self.args.overload_s, 5000, *extra)
                check(row["re"] > 0, "%s at 2x: calls beyond the queue answered "
                      "RESOURCE_EXHAUSTED (%d)" % (what, row["re"]))
                bad = {c: n for c, n in row["other"].items() if c != "DEADLINE_EXCEEDED"}
                check(not bad, "%s at 2x: no other error (INTERNAL, UNAVAILABLE...): %s" % (
                    what, bad or "none"))
                check(row["ok"] > 0, "%s at 2x: calls admitted and answered OK (%d)" % (
                    what, row["ok"]))
                if what == "receive-dossier":
                    cap_in = cap
        self.cap = (cap_in,)
        self.lookup = (code, factor)

    def flood(self):
        """More than gRPC's own threads can refuse on this machine: GetDossier offered at 4x its
        capacity (the sender, on the same cores, sends what it can). Before the bound in
        common/server.h (streams per connection, gRPC's memory quota) RSS grew with the
        backlog of streams gRPC held (75 -> 166 MB); now the backlog waits in the client."""
        cap = self.capacities["get-dossier"][-1]
        code = self.lookup[0]
        row = self.open_loop("flood, 4x capacity", "get-dossier", 4 * cap, self.args.overload_s,
                             5000, "--code", code)
        bad = {c: n for c, n in row["other"].items() if c != "DEADLINE_EXCEEDED"}
        check(not bad, "get-dossier flooded: no other error than RESOURCE_EXHAUSTED and the "
              "client's DEADLINE_EXCEEDED: %s" % (bad or "none"))
        check(row["rss"][1] < 2 * self.rss_warm, "memory bounded while flooded: peak RSS %d kB "
              "< 2 x %d kB after warm-up" % (row["rss"][1], self.rss_warm))

    def deadline_in_queue(self):
        """Deadlines (100 ms) shorter than the queue's wait at 2x: they pass while queued."""
        before = self.metric("localgov_rpc_total", method="ReceiveDossier",
                             code="DEADLINE_EXCEEDED")
        row = self.open_loop("2x, deadline 100 ms", "receive-dossier", 2 * self.cap[0],
                             self.args.warmup_s, 100)
        expired = self.metric("localgov_rpc_total", method="ReceiveDossier",
                              code="DEADLINE_EXCEEDED") - before
        prefix, rec = self.runs[-1][1], self.runs[-1][2]
        stored = sum(len(v) for v in dossiers_by_citizen(
            _Run(self.stack, prefix), None).values())
        unacked_stored = stored - len(rec.acknowledged)
        client_expired = row["other"].get("DEADLINE_EXCEEDED", 0)
        print("deadline in queue: the client saw %d DEADLINE_EXCEEDED; the service answered %d "
              "of them without running; %d were stored (they were running when the deadline "
              "passed: not acknowledged, a retry with the same request id gets the dossier)" % (
                  client_expired, expired, unacked_stored), flush=True)
        check(expired > 0, "calls whose deadline passed in the queue answered DEADLINE_EXCEEDED "
              "by the service (%d)" % expired)
        # Stored without an answer <= expired at the client - expired in the queue: none of
        # those the service expired in the queue was written.
        check(unacked_stored <= client_expired - expired, "none of them ran: %d stored without "
              "an answer <= %d - %d" % (unacked_stored, client_expired, expired))
        self.expired = (client_expired, expired, unacked_stored)

    def slow_postgres(self):
        hold = self.args.lock_s
        print("slow PostgreSQL: LOCK TABLE dossiers IN ACCESS EXCLUSIVE MODE for %d s" % hold,
              flush=True)
        lock = subprocess.Popen(
            ["psql", "-h", "127.0.0.1", "-p", self.stack.pg_port, "-U", "postgres", "-XAtq",
             "-v", "ON_ERROR_STOP=1", "-c", "BEGIN; LOCK TABLE dossiers IN ACCESS EXCLUSIVE MODE;"
             " SELECT pg_sleep(%d); COMMIT;" % hold, "localgov_dossier"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(1)
        probes = {k: [] for k in ("Health/Check", "/metrics", "GetServiceInfo",
                                  "ListProcedures")}
        stop = threading.Event()

        def probe():
            calls = {
                "Health/Check": lambda: self.stack.health["dossier"](None, timeout=2) ==
                b"\x08\x01",
                "/metrics": lambda: b"localgov_rpc_total" in urllib.request.urlopen(
                    self.metrics_url(), timeout=2).read(),
                "GetServiceInfo": lambda: self.stub.GetServiceInfo(
                    pb.GetServiceInfoRequest(), metadata=self.auth, timeout=5) is not None,
                "ListProcedures": lambda: len(self.stub.ListProcedures(
                    pb.ListProceduresRequest(page_size=5), metadata=self.auth,
                    timeout=5).procedures) > 0,
            }
            while not stop.is_set():
                for name, call in calls.items():
                    t = time.monotonic()
                    try:
                        ok = call()
                    except Exception as e:  # noqa: BLE001 - every failure is counted
                        ok = "%s" % (e.code().name if isinstance(e, grpc.RpcError) else e)
                    probes[name].append((ok, (time.monotonic() - t) * 1000))
                time.sleep(0.25)

        prober = threading.Thread(target=probe, daemon=True)
        prober.start()
        # A read of the locked table: ended by statement_timeout (10 s), well before its own
        # 30 s deadline and the lock's end — a clear error, not a hang.
        locked_read = {}

        def read_locked():
            t = time.monotonic()
            try:
                self.stub.GetDossier(pb.GetDossierRequest(code=self.lookup[0]),
                                     metadata=self.auth, timeout=30)
                locked_read["code"], locked_read["details"] = "OK", ""
            except grpc.RpcError as e:
                locked_read["code"], locked_read["details"] = e.code().name, e.details()
            locked_read["seconds"] = time.monotonic() - t

        reader = threading.Thread(target=read_locked, daemon=True)
        reader.start()
        # Intakes on the locked table, many more than the handler threads: they hang until
        # statement_timeout (10 s) or their deadline (12 s).
        row = self.open_loop("locked table", "receive-dossier", 50, hold - 2, 12000)
        stop.set()
        prober.join()
        reader.join()
        print("GetDossier on the locked table: %s (%s) after %.1f s" % (
            locked_read["code"], locked_read["details"], locked_read["seconds"]), flush=True)
        check(locked_read["code"] == "DEADLINE_EXCEEDED" and "statement" in
              locked_read["details"], "a read of the locked table ends with statement_timeout's "
              "DEADLINE_EXCEEDED before its own deadline: %s (%s)" % (
                  locked_read["code"], locked_read["details"]))
        self.locked_read = locked_read
        lock.wait(timeout=hold + 60)
        check(lock.returncode == 0, "the lock was held by psql (%s)" % lock.stderr.read().strip())
        bad = {c: n for c, n in row["other"].items() if c in ("INTERNAL", "UNKNOWN")}
        check(not bad, "intakes on the locked table end with a clear code (%s), not INTERNAL: "
              "%s" % (row["other"], bad or "none"))
        self.probes = {}
        for name, results in probes.items():
            failed = [r for r, _ in results if r is not True]
            worst = max((ms for _, ms in results), default=None)
            self.probes[name] = (len(results), len(failed), worst)
            check(results and not failed, "%s answered during the lock: %d of %d (worst %s ms)%s"
                  % (name, len(results) - len(failed), len(results),
                     "%.0f" % worst if worst is not None else "-",
                     "; failures: %s" % sorted(set(map(str, failed))) if failed else ""))

    def checker(self):
        """The fault suite's checker on every acknowledged intake of every run."""
        lost = dup = ack = ops = 0
        for phase, prefix, rec in self.runs:
            by_citizen = dossiers_by_citizen(_Run(self.stack, prefix), None)
            f = common.figures({0: rec}, lambda a: a[2] in by_citizen.get(a[1], []),
                               lambda c: len(by_citizen.get(c, [])))[0]
            lost, dup = lost + f["lost"], dup + f["duplicated"]
            ack, ops = ack + len(rec.acknowledged), ops + rec.operations
        check(ack > 0 and lost == 0 and dup == 0,
              "fault suite checker: %d intakes sent, %d acknowledged, %d lost, %d duplicated" % (
                  ops, ack, lost, dup))
        self.checked = (ops, ack, lost, dup)

    def memory(self):
        final = Rss(self.pid).now()
        peak = max(r["rss"][1] for r in self.rows)
        check(final < 2 * self.rss_warm, "memory bounded: RSS %d kB at the end < 2 x %d kB after "
              "warm-up (peak %d kB)" % (final, self.rss_warm, peak))

    def table(self):
        print("\n| phase | RPC | offered/s (sent/s) | sent | OK | admitted/s | OK p50 / p99 ms | "
              "RESOURCE_EXHAUSTED | its p50 / p99 ms | other | RSS MB start / max / end |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        fmt = lambda v: "-" if v is None else "%.1f" % v  # noqa: E731
        for r in self.rows:
            row = "| %s | %s | %.0f (%.0f) | %d | %d | %.0f | %s / %s | %d | %s / %s | %s | %s |"
            print(row % (
                r["phase"], r["rpc"], r["offered"], r["sent_per_s"], r["sent"], r["ok"],
                r["admitted_per_s"],
                fmt(r["ok_p50"]), fmt(r["ok_p99"]), r["re"], fmt(r["re_p50"]), fmt(r["re_p99"]),
                ", ".join("%s %d" % kv for kv in r["other"].items()) or "-",
                " / ".join("%.0f" % (x / 1024) for x in r["rss"])))
        print("\n| during the lock | probes | failed | worst ms |\n|---|---|---|---|")
        for name, (n, failed, worst) in self.probes.items():
            print("| %s | %d | %d | %s |" % (name, n, failed, fmt(worst)))
        print("| GetDossier on the locked table | 1 | %s | %.0f |" % (
            self.locked_read["code"], self.locked_read["seconds"] * 1000))
        print("\ncapacity (admitted calls/s when overloaded), measured before each round: %s" % (
            "; ".join("%s %s" % (w, ", ".join("%.0f" % c for c in v))
                      for w, v in self.capacities.items())))
        print("load average (1, 5, 15 min): %.2f %.2f %.2f" % os.getloadavg())


class _Run:
    """What dossier_intake's checker asks of the fault suite: the stack and a citizen prefix."""

    def __init__(self, stack, prefix):
        self.stack, self.prefix = stack, prefix

    def citizen_prefix(self, _workload):
        return self.prefix


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--long", action="store_true", help="the figures of docs/reliability.md")
    args = p.parse_args()
    if not os.access(LOADGEN, os.X_OK):
        print("FAIL: no load generator at %s: build the target localgov-loadgen" % LOADGEN)
        sys.exit(1)
    args.rounds = 3 if args.long else 1
    args.capacity_s = 10 if args.long else 4
    args.warmup_s = 5 if args.long else 4
    args.probe_s = 8 if args.long else 4
    args.overload_s = 60 if args.long else 10
    args.lock_s = 30 if args.long else 16
    print("overload: load average %.2f %.2f %.2f at the start" % os.getloadavg(), flush=True)
    o = Overload(args)
    o.overload()
    if args.long:
        o.flood()
    o.deadline_in_queue()
    o.slow_postgres()
    o.checker()
    o.memory()
    o.table()
    print("overload: %s" % ("FAILED: " + "; ".join(FAILS) if FAILS else "PASSED"))
    sys.exit(1 if FAILS else 0)


if __name__ == "__main__":
    main()
