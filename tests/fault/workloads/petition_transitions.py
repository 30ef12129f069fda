# Petition transitions: a recommendation received, accepted (ClassifyPetition) and answered
# (DecidePetition, by a leader), each transition with the expected version and a request id, retried with
# both unchanged. Lost: an acknowledged write without its audit record, or the petition behind
# the version acknowledged; duplicated: one request id audited twice for the same action.

from localgov.petition.v1 import petition_pb2, petition_service_pb2 as pb
from localgov.petition.v1 import petition_service_pb2_grpc as rpc

from workloads import common

NAME = "petition transitions"
KEY = "pt"
THREADS = 2
STEPS = [  # (method, client, request)
    ("ClassifyPetition", "officer", lambda c, v, r: pb.ClassifyPetitionRequest(
        code=c, expected_version=v, decision=petition_pb2.CLASSIFICATION_DECISION_ACCEPT,
        reason="Thuộc thẩm quyền", request_id=r)),
    ("DecidePetition", "leader", lambda c, v, r: pb.DecidePetitionRequest(
        code=c, expected_version=v, outcome=petition_pb2.OUTCOME_ANSWERED,
        summary="Đã trả lời công dân", request_id=r)),
]


class Workload:
    KEY = KEY

    def __init__(self, suite):
        self.suite = suite
        self.stub = rpc.PetitionServiceStub(suite.stack.channels["petition"])
        self.client = suite.officer

    def operate(self, recorder):
        rid = common.new_request_id(self.suite, self)
        request = common.recommendation(
            rid, self.suite.citizen_id(self, rid), petition_pb2.PETITION_FIELD_CONSTRUCTION,
            petition_pb2.PETITION_CHANNEL_LETTER, "Kiến nghị chiếu sáng %s" % rid,
            "Đề nghị lắp đèn đường %s" % rid)
        answer = common.attempt(self.client, self.stub.ReceivePetition, request, rid, recorder)
        if answer is None:
            return
        code, version = answer.petition.code, answer.petition.version
        with recorder.lock:
            recorder.acknowledged.append((rid, code, version))
        for name, who, make in STEPS:
            rid = common.new_request_id(self.suite, self)
            answer = common.attempt(getattr(self.suite, who), getattr(self.stub, name),
                                    make(code, version, rid), rid, recorder)
            if answer is None:
                return
            version = answer.petition.version
            with recorder.lock:
                recorder.acknowledged.append((rid, code, version))

    def check(self, phases):
        # The most times one request id was audited for one action.
        rows = self.suite.stack.sql(
            "petition", "SELECT request_id, max(n) FROM (SELECT request_id, action, count(*) n "
            "FROM audit_log WHERE request_id LIKE '%s-%s-%%' GROUP BY 1, 2) a GROUP BY 1" %
            (self.suite.tag, KEY))
        applied = {rid: int(n) for rid, n in rows}
        rows = self.suite.stack.sql("petition", "SELECT code, version FROM petitions WHERE "
                                    "petitioner_citizen_id LIKE '%s%%'" %
                                    self.suite.citizen_prefix(self))
        stored = {code: int(v) for code, v in rows}
        return common.figures(
            phases, lambda a: applied.get(a[0], 0) >= 1 and stored.get(a[1], 0) >= a[2],
            lambda rid: applied.get(rid, 0))
