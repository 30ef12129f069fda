# Dossier intake at the one-stop counter: ReceiveDossier with a request id (and its own citizen),
# retried with the same id until answered. Lost: an acknowledged code not stored for its
# citizen; duplicated: one request stored as two dossiers.
import random

from localgov.dossier.v1 import dossier_pb2, dossier_service_pb2 as pb, procedure_pb2
from localgov.dossier.v1 import dossier_service_pb2_grpc as rpc

from workloads import common

NAME = "dossier intake"
KEY = "di"
THREADS = 6


class Workload:
    KEY = KEY

    def __init__(self, suite):
        self.suite = suite
        self.stub = rpc.DossierServiceStub(suite.stack.channels["dossier"])
        self.client = suite.portal

    def operate(self, recorder):
        intake = receive(self.suite, self, recorder, "HT-05", ["to-khai"])
        if intake is not None:
            with recorder.lock:
                recorder.acknowledged.append(intake)

    def check(self, phases):
        by_citizen = dossiers_by_citizen(self.suite, self)
        return common.figures(phases, lambda a: a[2] in by_citizen.get(a[1], []),
                              lambda citizen: len(by_citizen.get(citizen, [])))


def receive(suite, workload, recorder, procedure, documents, by_citizen=True):
    """One intake; (request id, citizen id, code, version) when acknowledged. The attempt is
    recorded by its citizen id (one per request id), or by its request id."""
    rid = common.new_request_id(suite, workload)
    citizen = suite.citizen_id(workload, rid)
    request = pb.ReceiveDossierRequest(
        request_id=rid, procedure_code=procedure, receiving_agency_code=common.AGENCY,
        channel=procedure_pb2.CHANNEL_ONLINE,
        applicant=dossier_pb2.Applicant(full_name=random.choice(common.NAMES), citizen_id=citizen),
        documents=[dossier_pb2.HandedDocument(document_code=d) for d in documents])
    d = common.attempt(workload.client, workload.stub.ReceiveDossier, request, rid, recorder,
                       key=citizen if by_citizen else rid)
    if d is None:
        return None
    return (rid, citizen, d.dossier.code, d.dossier.version)


def dossiers_by_citizen(suite, workload):
    """Every dossier of a workload's citizens (each request id has its own citizen)."""
    rows = suite.stack.sql("dossier", "SELECT applicant_citizen_id, code FROM dossiers "
                           "WHERE applicant_citizen_id LIKE '%s%%'" %
                           suite.citizen_prefix(workload))
    by_citizen = {}
    for citizen, code in rows:
        by_citizen.setdefault(citizen, []).append(code)
    return by_citizen
