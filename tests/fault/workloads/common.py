# What several workloads share: the demo commune, names, one write attempted with its outcome
# recorded, and the checks: stored once per request id, acknowledged ones present.
import random

from faultlib import GaveUp, Refused, next_id

AGENCY = "000.00.31.H41"  # the demo commune, Phường Nha Trang
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"]


def recommendation(rid, citizen, field, channel, title, content):
    """A ReceivePetitionRequest for a recommendation to the demo commune by `citizen`."""
    from localgov.petition.v1 import petition_pb2, petition_service_pb2 as pb
    return pb.ReceivePetitionRequest(
        request_id=rid, kind=petition_pb2.PETITION_KIND_RECOMMENDATION, field=field,
        channel=channel, agency_code=AGENCY, title=title, content=content,
        petitioner=petition_pb2.Person(full_name=random.choice(NAMES), citizen_id=citizen))


def new_request_id(suite, workload):
    return "%s-%s-%d" % (suite.tag, workload.KEY, next_id())


def attempt(client, method, request, rid, recorder, key=None):
    """The answer, or None when the client gave up (not acknowledged) or was refused."""
    with recorder.lock:
        recorder.operations += 1
        recorder.attempted.append(key if key is not None else rid)
    try:
        return client.call(method, request, rid, recorder)
    except GaveUp:
        with recorder.lock:
            recorder.gave_up += 1
    except Refused as e:
        with recorder.lock:
            recorder.refused.append(str(e))
    return None


def applied_counts(suite, database, query_table, workload):
    """How many times each of a workload's request ids was applied: the rows of a table that
    carry it (the x-request-id kept with every event and audit record)."""
    rows = suite.stack.sql(database, "SELECT request_id, count(*) FROM %s WHERE request_id LIKE "
                           "'%s-%s-%%' GROUP BY request_id" % (query_table, suite.tag,
                                                             workload.KEY))
    return {rid: int(n) for rid, n in rows}


def figures(phases, present, times_applied):
    """phases: {phase: recorder}; present(ack) -> bool; times_applied(attempted) -> int."""
    out = {}
    for phase, rec in phases.items():
        out[phase] = {
            "lost": sum(1 for a in rec.acknowledged if not present(a)),
            "duplicated": sum(1 for a in rec.attempted if times_applied(a) > 1),
        }
    return out


def personnel(suite):
    """A client of the demo commune's personnel office (the cadre service's writers), one per
    suite."""
    from faultlib import Client
    if not hasattr(suite, "personnel"):
        suite.personnel = Client(suite.stack.token("officer", AGENCY, "fault-personnel",
                                                   office="personnel"))
    return suite.personnel


def cadre_person(rid, gender_digit):
    """A CreatePersonRequest for a civil servant of the demo commune born in 1990: citizen ID
    079 (a province the demo's people are not from), the century-and-gender digit, 90, and the
    request's serial (unique in the run)."""
    from localgov.cadre.v1 import cadre_service_pb2 as pb
    gender = pb.GENDER_FEMALE if gender_digit == 1 else pb.GENDER_MALE
    return pb.CreatePersonRequest(request_id=rid, person=pb.Person(
        kind=pb.PERSON_KIND_CIVIL_SERVANT, citizen_id=cadre_citizen_prefix(gender_digit) +
        "%06d" % int(rid.rsplit("-", 1)[1]), full_name=random.choice(NAMES),
        birth_date="1990-05-%02d" % random.randint(1, 28), gender=gender, ethnicity="Kinh",
        agency_code=AGENCY))


def cadre_citizen_prefix(gender_digit):
    return "079%d90" % gender_digit


def audited(suite, database, workload):
    """The most times each of a workload's request ids was audited for one action."""
    rows = suite.stack.sql(
        database, "SELECT request_id, max(n) FROM (SELECT request_id, action, count(*) n "
        "FROM audit_log WHERE request_id LIKE '%s-%s-%%' GROUP BY 1, 2) a GROUP BY 1" %
        (suite.tag, workload.KEY))
    return {rid: int(n) for rid, n in rows}
