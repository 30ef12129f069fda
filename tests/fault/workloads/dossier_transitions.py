# Dossier transitions: a dossier received, started, its result recorded and returned; each
# transition with the expected version and a request id, retried with both unchanged (a
# StartProcessing that committed before a kill -9 must answer the same again, not ABORTED).
# Lost: an acknowledged write not in the dossier's history or the dossier behind the version
# acknowledged; duplicated: one request id twice in the history.
from localgov.dossier.v1 import dossier_service_pb2 as pb
from localgov.dossier.v1 import dossier_service_pb2_grpc as rpc

from workloads import common
from workloads.dossier_intake import receive

NAME = "dossier transitions"
KEY = "dt"
THREADS = 4
STEPS = [
    ("StartProcessing", lambda c, v, r: pb.StartProcessingRequest(code=c, expected_version=v,
                                                                  request_id=r)),
    ("RecordResult", lambda c, v, r: pb.RecordResultRequest(code=c, expected_version=v,
                                                            note="Đã giải quyết", request_id=r)),
    ("ReturnResult", lambda c, v, r: pb.ReturnResultRequest(code=c, expected_version=v,
                                                            request_id=r)),
]


class Workload:
    KEY = KEY

    def __init__(self, suite):
        self.suite = suite
        self.stub = rpc.DossierServiceStub(suite.stack.channels["dossier"])
        self.client = suite.portal

    def operate(self, recorder):
        transitions(self, recorder, "HT-05", ["to-khai"], STEPS)

    def check(self, phases):
        return check_history(self, phases)


def transitions(workload, recorder, procedure, documents, steps):
    """An intake then each step in turn; attempts and acknowledgements by request id. Returns the
    dossier code and version when every step was acknowledged."""
    intake = receive(workload.suite, workload, recorder, procedure, documents, by_citizen=False)
    if intake is None:
        return None
    rid, _, code, version = intake
    with recorder.lock:
        recorder.acknowledged.append((rid, code, version))
    for name, make in steps:
        rid = common.new_request_id(workload.suite, workload)
        answer = common.attempt(workload.client, getattr(workload.stub, name),
                                make(code, version, rid), rid, recorder)
        if answer is None:
            return None  # not acknowledged: the client does not know the version any more
        version = answer.dossier.version
        with recorder.lock:
            recorder.acknowledged.append((rid, code, version))
    return code, version


def check_history(workload, phases):
    """Each request id (intake or transition) is one event in the history, carrying the id."""
    suite = workload.suite
    applied = common.applied_counts(suite, "dossier", "dossier_events", workload)
    rows = suite.stack.sql("dossier", "SELECT code, version FROM dossiers WHERE "
                           "applicant_citizen_id LIKE '%s%%'" % suite.citizen_prefix(workload))
    stored = {code: int(v) for code, v in rows}
    return common.figures(
        phases, lambda a: applied.get(a[0], 0) >= 1 and stored.get(a[1], 0) >= a[2],
        lambda rid: applied.get(rid, 0))
