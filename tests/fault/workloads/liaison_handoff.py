# Liaison handoffs (Decree 63/2024 liên thông): an LT-01 dossier received, started and its own
# step done, which hands the residence and health-insurance steps through the liaison service
# to the police and social-insurance receivers (localgovctl exchange serve-receiver); each
# sends its result back through the liaison to the dossier. Besides the writes (as the
# transitions), every acknowledged handoff must be taken once by its receiver and its result
# applied once to the dossier: "not once" counts those taken or applied 0 or 2+ times.
import os
import subprocess
import time

from localgov.dossier.v1 import dossier_service_pb2 as pb
from localgov.dossier.v1 import dossier_service_pb2_grpc as rpc

from workloads.dossier_transitions import check_history, transitions

NAME = "liaison handoffs"
KEY = "lh"
THREADS = 2
STEPS = [
    ("StartProcessing", lambda c, v, r: pb.StartProcessingRequest(code=c, expected_version=v,
                                                                  request_id=r)),
    ("CompleteStep", lambda c, v, r: pb.CompleteStepRequest(
        code=c, expected_version=v, step_index=0, note="Đã đăng ký khai sinh", request_id=r)),
]
RECEIVERS = [("police", "000.00.10.G01", 10, 1), ("insurance", "000.00.11.G02", 11, 2)]


class Workload:
    KEY = KEY

    def __init__(self, suite):
        self.suite = suite
        self.stub = rpc.DossierServiceStub(suite.stack.channels["dossier"])
        self.client = suite.portal
        self.receivers = []

    def setup(self):
        stack = self.suite.stack
        for name, agency, port, _ in RECEIVERS:
            folder = os.path.join(stack.dir, "fault-" + name)
            os.makedirs(folder, exist_ok=True)
            out = open(os.path.join(folder, "receiver.out"), "a")
            self.receivers.append(subprocess.Popen(
                [stack.ctl, "exchange", "serve-receiver", "--agency", agency, "--listen",
                 "127.0.0.1:%d" % (stack.base + port), "--key",
                 os.path.join(stack.dir, "keys", name + ".key"), "--complete-after", "1"],
                cwd=folder, stdout=out, stderr=subprocess.STDOUT))

    def teardown(self):
        for p in self.receivers:
            p.terminate()
        for p in self.receivers:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()

    def operate(self, recorder):
        done = transitions(self, recorder, "LT-01", ["to-khai-lien-thong", "giay-chung-sinh"],
                           STEPS)
        if done is not None:
            with recorder.lock:
                recorder.effects.append(done[0])  # the dossier whose steps were handed off

    def taken(self):
        """The envelopes the stand-in receivers took: the file each writes an envelope id to,
        under its lock, before acknowledging it for the first time (its stdout is not used:
        lines of concurrent deliveries can interleave there)."""
        counts = {}
        for name, agency, _, _ in RECEIVERS:
            path = os.path.join(self.suite.stack.dir, "fault-" + name, agency + ".received")
            if not os.path.exists(path):
                continue
            with open(path, errors="replace") as f:
                for line in f:
                    envelope = line.strip()
                    if envelope and not envelope.startswith("cancelled "):
                        counts[envelope] = counts.get(envelope, 0) + 1
        return counts

    def check(self, phases, stall_s=60, limit_s=1800):
        figures = check_history(self, phases)
        want = {p: [(c, k) for c in r.effects for _, _, _, k in RECEIVERS]
                for p, r in phases.items()}
        # Deliveries and results are asynchronous, and the dossier's outbox relay may be behind
        # (it drains about 30 envelopes a second on a small machine): wait while the count
        # still moves, then count. A handoff stuck for stall_s is not once.
        started = time.monotonic()
        last, moved = None, started
        while True:
            taken = self.taken()
            applied = dict(self.suite.stack.sql(
                "dossier", "SELECT request_id, count(*) FROM dossier_events WHERE request_id "
                "LIKE '%%:step-_:result' AND dossier_code IN (SELECT code FROM dossiers WHERE "
                "applicant_citizen_id LIKE '%s%%') GROUP BY 1" % self.suite.citizen_prefix(self)))

            def once(code, k):
                envelope = "%s:step-%d" % (code, k)
                result = int(applied.get(envelope + ":result", 0))
                return taken.get(envelope, 0) == 1 and result == 1

            bad = {p: sum(1 for c, k in w if not once(c, k)) for p, w in want.items()}
            now = time.monotonic()
            if sum(bad.values()) != last:
                last, moved = sum(bad.values()), now
            if not last or now - moved > stall_s or now - started > limit_s:
                break
            time.sleep(2)
        print("[check] liaison handoffs: %d handoffs settled in %.0f s, %d not once" % (
            sum(len(w) for w in want.values()), time.monotonic() - started, last), flush=True)
        for p in figures:
            figures[p]["not_once"] = bad[p]
        missed = [(c, k) for w in want.values() for c, k in w if not once(c, k)]
        for code, k in missed[:10]:
            self.explain(code, k, taken, applied)
        return figures

    def explain(self, code, k, taken, applied):
        """Where a handoff stopped: the dossier's outbox, the liaison's envelopes, the receiver."""
        envelope = "%s:step-%d" % (code, k)
        sql = self.suite.stack.sql
        outbox = sql("dossier", "SELECT message_key, attempts, delivered_at IS NOT NULL, "
                     "coalesce(set_aside_reason, ''), coalesce(last_error, '') FROM outbox "
                     "WHERE message_key = '%s'" % envelope)
        envelopes = sql("liaison", "SELECT id, state, attempts, ack_code, ack_reason FROM "
                        "envelopes WHERE id LIKE '%s%%'" % envelope)
        print("  not once: %s taken %d, result applied %s; dossier outbox %s; liaison %s" % (
            envelope, taken.get(envelope, 0), applied.get(envelope + ":result", 0), outbox,
            envelopes), flush=True)
