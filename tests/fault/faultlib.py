# The fault suite's shared parts: the stack it drives (scripts/stack.sh), a client that retries
# with the same request id as a real client that lost the answer would, the record of every
# acknowledged answer, and read-only access to the services' databases (psql) for the checker.
import itertools
import os
import socket
import subprocess
import threading
import time

import sys

sys.path.insert(0, os.environ.get("LOCALGOV_STUBS", "stubs"))  # protoc's Python stubs

import grpc  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVICES = ["dossier", "petition", "cadre", "liaison"]
# Codes after which the same request may have committed or not: retried with the same id.
RETRIED = {
    grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.UNKNOWN,
    grpc.StatusCode.INTERNAL, grpc.StatusCode.CANCELLED, grpc.StatusCode.RESOURCE_EXHAUSTED,
}


class Refused(Exception):
    """A definite error that a retry would not change (a bug in a workload or a service)."""


class GaveUp(Exception):
    """No answer within the client's patience: not acknowledged, which is allowed."""


class Stack:
    """The local stack of scripts/stack.sh on the ports of the environment (tests/e2e/lib.sh)."""

    def __init__(self):
        self.dir = os.environ["LOCALGOV_STACK_DIR"]
        self.pg_port = os.environ["LOCALGOV_PG_PORT"]
        self.redis_port = os.environ["LOCALGOV_REDIS_PORT"]
        self.base = int(os.environ["LOCALGOV_GRPC_PORT_BASE"])
        build = os.environ.get("LOCALGOV_BUILD_DIR", os.path.join(ROOT, "build"))
        self.ctl = os.path.join(build, "tools", "localgovctl", "localgovctl")
        self.can_partition = self._setup_partitions()
        # Reconnect quickly after a restart: the recovery measured is the services', not the
        # client's backoff (gRPC's default grows to 120 s).
        options = [("grpc.initial_reconnect_backoff_ms", 100),
                   ("grpc.min_reconnect_backoff_ms", 100), ("grpc.max_reconnect_backoff_ms", 1000)]
        self.channels = {s: grpc.insecure_channel(self.addr(s), options=options)
                         for s in SERVICES}
        # grpc.health.v1.Health/Check by hand (its stub's package would shadow grpcio's):
        # an empty request; SERVING is field 1 = 1.
        self.health = {s: c.unary_unary("/grpc.health.v1.Health/Check",
                                        request_serializer=lambda _: b"",
                                        response_deserializer=bytes)
                       for s, c in self.channels.items()}

    def addr(self, service):
        return "127.0.0.1:%d" % (self.base + SERVICES.index(service))

    def script(self, *args):
        r = subprocess.run(["bash", os.path.join(ROOT, "scripts", "stack.sh"), *args],
                           capture_output=True, text=True, timeout=180)
        if r.returncode != 0:
            raise RuntimeError("scripts/stack.sh %s: %s%s" % (" ".join(args), r.stdout, r.stderr))

    def ctl_out(self, *args, check=True):
        r = subprocess.run([self.ctl, *args], capture_output=True, text=True, timeout=120)
        if check and r.returncode != 0:
            raise RuntimeError("localgovctl %s: %s%s" % (" ".join(args), r.stdout, r.stderr))
        return r

    def token(self, role, agency, subject, office=None):
        extra = ["--office", office] if office else []
        return self.ctl_out("token", "mint", "--role", role, "--agency", agency, "--subject",
                            subject, "--ttl", "8h", *extra).stdout.strip()

    def pid(self, service):
        with open(os.path.join(self.dir, "run", service + ".pid")) as f:
            return int(f.read().strip())

    # Partitions: an htb class of 8 bit/s with a one-packet queue on the namespace's loopback
    # is the black hole; u32 filters send a port's packets (both ways) into it.
    def _tc(self, *args):
        r = subprocess.run(["tc", *args], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("tc %s: %s" % (" ".join(args), r.stderr))

    def _setup_partitions(self):
        # Only inside the private namespace run.sh made: never on a loopback others share.
        ns = os.environ.get("LOCALGOV_FAULT_NETNS")
        here = subprocess.run(["ip", "netns", "identify", str(os.getpid())],
                              capture_output=True, text=True).stdout.strip()
        if not ns or here != ns:
            return False
        self._tc("qdisc", "add", "dev", "lo", "root", "handle", "1:", "htb", "default", "1")
        self._tc("class", "add", "dev", "lo", "parent", "1:", "classid", "1:1", "htb", "rate",
                 "100gbit")
        self._tc("class", "add", "dev", "lo", "parent", "1:", "classid", "1:2", "htb", "rate",
                 "8bit", "ceil", "8bit")
        self._tc("qdisc", "add", "dev", "lo", "parent", "1:2", "handle", "20:", "pfifo", "limit",
                 "1")
        return True

    def partition(self, service):
        port = str(self.base + SERVICES.index(service))
        for way in ("dport", "sport"):
            self._tc("filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip", "prio", "1",
                     "u32", "match", "ip", way, port, "0xffff", "flowid", "1:2")

    def heal(self):
        self._tc("filter", "del", "dev", "lo", "parent", "1:", "prio", "1")

    def listening(self, service):
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.base + SERVICES.index(service))) == 0

    def serving(self, service):
        try:
            return self.health[service](None, timeout=0.5) == b"\x08\x01"
        except grpc.RpcError:
            return False

    def wait_all_serving(self, limit_s=120):
        """Seconds until every service answers SERVING (grpc.health.v1); None past limit_s."""
        start = time.monotonic()
        while time.monotonic() - start < limit_s:
            if all(self.serving(s) for s in SERVICES):
                return time.monotonic() - start
            time.sleep(0.05)
        return None

    def sql(self, database, query):
        """Rows of a query on one service's database, as lists of strings (tab-separated)."""
        r = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", self.pg_port, "-U", "postgres", "-XAt", "-F", "\t",
             "-v", "ON_ERROR_STOP=1", "-c", query, "localgov_" + database],
            capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            raise RuntimeError("psql %s: %s" % (database, r.stderr))
        return [line.split("\t") for line in r.stdout.splitlines() if line]


class Recorder:
    """One workload's operations in one phase: every acknowledged answer is kept."""

    def __init__(self):
        self.lock = threading.Lock()
        self.operations = 0
        self.attempted = []  # request ids (or what identifies each write), acknowledged or not
        self.acknowledged = []  # whatever the workload needs to find it again
        self.effects = []  # acknowledged writes whose asynchronous effects the checker awaits
        self.gave_up = 0
        self.refused = []  # (what, message): should be none
        self.retries = 0


class Client:
    """Calls with a request id sent twice: in the body (idempotency) and as x-request-id (kept
    in the audit record and the event history, which the checker reads)."""

    def __init__(self, token, patience_s=60.0, attempt_timeout_s=5.0):
        self.auth = ("authorization", "Bearer " + token)
        self.patience_s = patience_s
        self.attempt_timeout_s = attempt_timeout_s

    def call(self, method, request, request_id, recorder):
        metadata = [self.auth, ("x-request-id", request_id)]
        give_up = time.monotonic() + self.patience_s
        attempt = 0
        while True:
            try:
                return method(request, metadata=metadata, timeout=self.attempt_timeout_s)
            except grpc.RpcError as e:
                if e.code() not in RETRIED:
                    raise Refused("%s %s: %s" % (request_id, e.code().name, e.details()))
                if time.monotonic() > give_up:
                    raise GaveUp(request_id)
                with recorder.lock:
                    recorder.retries += 1
                time.sleep(min(0.05 * (2 ** attempt), 1.0))
                attempt += 1


_ids = itertools.count(1)


def next_id():
    """A process-wide counter: unique request ids and citizen ids across all workloads."""
    return next(_ids)
