# Cadre intake: CreatePerson (a civil servant of the demo commune) with a request id and its
# own citizen ID, retried with the same id until answered. Lost: an acknowledged person not
# stored under their citizen ID with the id answered; duplicated: one request audited twice.
from localgov.cadre.v1 import cadre_service_pb2_grpc as rpc

from workloads import common

NAME = "cadre intake"
KEY = "ci"
THREADS = 2
MALE = 0  # the citizen IDs' century-and-gender digit: this workload's people are men


class Workload:
    KEY = KEY

    def __init__(self, suite):
        self.suite = suite
        self.stub = rpc.CadreServiceStub(suite.stack.channels["cadre"])
        self.client = common.personnel(suite)

    def operate(self, recorder):
        rid = common.new_request_id(self.suite, self)
        request = common.cadre_person(rid, MALE)
        answer = common.attempt(self.client, self.stub.CreatePerson, request, rid, recorder)
        if answer is not None:
            with recorder.lock:
                recorder.acknowledged.append((request.person.citizen_id, answer.person.id))

    def check(self, phases):
        rows = self.suite.stack.sql("cadre", "SELECT citizen_id, id FROM cadre_people WHERE "
                                    "citizen_id LIKE '%s%%'" % common.cadre_citizen_prefix(MALE))
        stored = {citizen: int(pid) for citizen, pid in rows}
        applied = common.audited(self.suite, "cadre", self)
        return common.figures(phases, lambda a: stored.get(a[0]) == a[1],
                              lambda rid: applied.get(rid, 0))
