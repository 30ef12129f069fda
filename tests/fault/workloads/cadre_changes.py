# Cadre changes: a person created (CreatePerson), then changed one version at a time, each
# change with the expected version and a request id, retried with both unchanged: a rank
# (RecordRank), a raise (RecordRank), a correction of the first rank (CorrectHistory) and a
# qualification (AddQualification). Lost: an acknowledged write without its audit record, or
# the person behind the version acknowledged; duplicated: one request audited twice for the
# same action, or a person with more history records than the changes asked for.
from localgov.cadre.v1 import cadre_service_pb2 as pb
from localgov.cadre.v1 import cadre_service_pb2_grpc as rpc

from workloads import common

NAME = "cadre changes"
KEY = "ct"
THREADS = 2
FEMALE = 1  # the citizen IDs' century-and-gender digit: this workload's people are women


def rank(person, version, rid, step, coefficient, valid_from):
    return pb.RecordRankRequest(
        request_id=rid, person_id=person, expected_version=version, rank=pb.RANK_CHUYEN_VIEN,
        grade_code="01.003", step=step, coefficient_x100=coefficient, valid_from=valid_from,
        reason="Quyết định nâng bậc lương")


def correct(person, version, rid, record):
    return pb.CorrectHistoryRequest(
        request_id=rid, person_id=person, expected_version=version, record_id=record,
        reason="Đính chính quyết định nâng bậc", corrected=pb.HistoryRecord(
            rank=pb.RANK_CHUYEN_VIEN, grade_code="01.003", step=3, coefficient_x100=300,
            valid_from="2020-01-01", valid_until="2023-01-01"))


def qualification(person, version, rid):
    return pb.AddQualificationRequest(
        request_id=rid, person_id=person, expected_version=version,
        qualification=pb.Qualification(
            category=pb.QUALIFICATION_CATEGORY_PROFESSIONAL, level=pb.PROFESSIONAL_LEVEL_UNIVERSITY,
            field="Luật", awarded_date="2012-06-30"))


class Workload:
    KEY = KEY

    def __init__(self, suite):
        self.suite = suite
        self.stub = rpc.CadreServiceStub(suite.stack.channels["cadre"])
        self.client = common.personnel(suite)

    def operate(self, recorder):
        rid = common.new_request_id(self.suite, self)
        answer = common.attempt(self.client, self.stub.CreatePerson,
                                common.cadre_person(rid, FEMALE), rid, recorder)
        if answer is None:
            return
        person, version = answer.person.id, answer.person.version
        with recorder.lock:
            recorder.acknowledged.append((rid, person, version))
        first_rank = None
        steps = [
            ("RecordRank", lambda v, r: rank(person, v, r, 2, 267, "2020-01-01")),
            ("RecordRank", lambda v, r: rank(person, v, r, 4, 333, "2023-01-01")),
            ("CorrectHistory", lambda v, r: correct(person, v, r, first_rank)),
            ("AddQualification", lambda v, r: qualification(person, v, r)),
        ]
        for name, make in steps:
            rid = common.new_request_id(self.suite, self)
            answer = common.attempt(self.client, getattr(self.stub, name), make(version, rid),
                                    rid, recorder)
            if answer is None:
                return
            version = answer.person.version
            if first_rank is None and name == "RecordRank":
                first_rank = answer.record.record_id
            with recorder.lock:
                recorder.acknowledged.append((rid, person, version))

    def check(self, phases):
        applied = common.audited(self.suite, "cadre", self)
        rows = self.suite.stack.sql(
            "cadre", "SELECT p.id, p.version, (SELECT count(*) FROM cadre_history h WHERE "
            "h.person_id = p.id) FROM cadre_people p WHERE p.citizen_id LIKE '%s%%'" %
            common.cadre_citizen_prefix(FEMALE))
        stored = {int(pid): int(v) for pid, v, _ in rows}
        # The changes write 4 history rows at most (the first rank, its version ended by the
        # raise, the raise, the corrected first rank): more is a change applied twice, found on
        # its person (counted in the first phase: the row does not tell when).
        overfull = sum(1 for _, _, n in rows if int(n) > 4)
        figures = common.figures(
            phases, lambda a: applied.get(a[0], 0) >= 1 and stored.get(a[1], 0) >= a[2],
            lambda rid: applied.get(rid, 0))
        first = min(figures) if figures else None
        if first is not None:
            figures[first]["duplicated"] += overfull
        return figures
