# Petition intake: ReceivePetition (a recommendation, online) with a request id and its own
# petitioner, retried with the same id until answered. Lost: an acknowledged code not stored
# for its petitioner; duplicated: one request stored as two petitions.
import random

from localgov.petition.v1 import petition_pb2
from localgov.petition.v1 import petition_service_pb2_grpc as rpc

from workloads import common

NAME = "petition intake"
KEY = "pi"
THREADS = 4
FIELDS = [petition_pb2.PETITION_FIELD_CONSTRUCTION, petition_pb2.PETITION_FIELD_ENVIRONMENT,
          petition_pb2.PETITION_FIELD_HEALTH_EDUCATION, petition_pb2.PETITION_FIELD_OTHER]


class Workload:
    KEY = KEY

    def __init__(self, suite):
        self.suite = suite
        self.stub = rpc.PetitionServiceStub(suite.stack.channels["petition"])
        self.client = suite.officer

    def operate(self, recorder):
        rid = common.new_request_id(self.suite, self)
        citizen = self.suite.citizen_id(self, rid)
        request = common.recommendation(
            rid, citizen, random.choice(FIELDS), petition_pb2.PETITION_CHANNEL_ONLINE,
            "Kiến nghị số %s" % rid.rsplit("-", 1)[1], "Đề nghị sửa đường thôn %s" % rid)
        answer = common.attempt(self.client, self.stub.ReceivePetition, request, rid, recorder,
                                key=citizen)
        if answer is not None:
            with recorder.lock:
                recorder.acknowledged.append((citizen, answer.petition.code))

    def check(self, phases):
        rows = self.suite.stack.sql("petition", "SELECT petitioner_citizen_id, code FROM petitions "
                                    "WHERE petitioner_citizen_id LIKE '%s%%'" %
                                    self.suite.citizen_prefix(self))
        by_citizen = {}
        for citizen, code in rows:
            by_citizen.setdefault(citizen, []).append(code)
        return common.figures(phases, lambda a: a[1] in by_citizen.get(a[0], []),
                              lambda citizen: len(by_citizen.get(citizen, [])))
