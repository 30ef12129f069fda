# one_matter.py: one citizen, one matter, across the services (issue 24), as a third-party client
# sees it — Debian's python3-grpcio on stubs generated from protos/, the four binaries of a
# fresh local stack. A dossier refused at the counter; the citizen's complaint about it, online;
# the related case found; the complaint decided; the same matter from the portal (the citizen's
# timeline), the reception officer (the petition with its related dossier) and the one-stop
# counter (the dossier with the petitions about it), each showing only what that role may see;
# every service's audit chain verifying at the end.
# Tokens: OFFICER_TOKEN, LEADER_TOKEN, CITIZEN_TOKEN (subject CITIZEN_ID), AUDITOR_TOKEN.
import os
import sys
import time
import uuid

sys.path.insert(0, os.environ.get("LOCALGOV_STUBS", "stubs"))

import grpc
from localgov.audit.v1 import audit_service_pb2 as apb
from localgov.audit.v1 import audit_service_pb2_grpc as arpc
from localgov.dossier.v1 import dossier_pb2, procedure_pb2
from localgov.dossier.v1 import dossier_service_pb2 as dpb
from localgov.dossier.v1 import dossier_service_pb2_grpc as drpc
from localgov.petition.v1 import petition_pb2
from localgov.petition.v1 import petition_service_pb2 as ppb
from localgov.petition.v1 import petition_service_pb2_grpc as prpc

AGENCY = "000.00.31.H41"
CITIZEN_ID = os.environ["CITIZEN_ID"]


def auth(name):
    return [("authorization", "Bearer " + os.environ[name])]


channels = {s: grpc.insecure_channel(os.environ["LOCALGOV_%s_ADDR" % s.upper()])
            for s in ("dossier", "petition", "cadre", "liaison")}
dossiers = drpc.DossierServiceStub(channels["dossier"])
petitions = prpc.PetitionServiceStub(channels["petition"])


def eventually(what, read, done, seconds=15):
    """The outboxes relay within a second or two: read until done(answer), or fail naming what."""
    deadline = time.time() + seconds
    while True:
        answer = read()
        if done(answer):
            return answer
        if time.time() > deadline:
            raise AssertionError("never: %s; last answer: %s" % (what, answer))
        time.sleep(0.2)


# 1. The counter refuses the citizen's dossier.
refused = dossiers.ReceiveDossier(dpb.ReceiveDossierRequest(
    request_id="counter-" + uuid.uuid4().hex, procedure_code="HT-05", receiving_agency_code=AGENCY,
    channel=procedure_pb2.CHANNEL_COUNTER,
    applicant=dossier_pb2.Applicant(full_name="Đặng Thị Thu", citizen_id=CITIZEN_ID,
                                    address="Tổ 3, phường Nha Trang"),
    documents=[dossier_pb2.HandedDocument(document_code="to-khai")],
    refusal_reasons=["Người yêu cầu không cư trú tại phường"]), metadata=auth("OFFICER_TOKEN"),
    timeout=10).dossier
assert refused.state == dossier_pb2.DOSSIER_STATE_NOT_ACCEPTED, refused.state
print("dossier", refused.code, "refused")

# 2. A code no dossier has is refused at once, naming the field.
complaint = ppb.ReceivePetitionRequest(
    request_id="portal-" + uuid.uuid4().hex, kind=petition_pb2.PETITION_KIND_COMPLAINT,
    field=petition_pb2.PETITION_FIELD_ADMINISTRATIVE_PROCEDURE,
    channel=petition_pb2.PETITION_CHANNEL_ONLINE, agency_code=AGENCY,
    title="Khiếu nại việc từ chối hồ sơ xác nhận", content="Tôi cư trú tại phường từ năm 2019",
    act=petition_pb2.ActConcerned(description="Phiếu từ chối tiếp nhận hồ sơ",
                                  dossier_code=AGENCY + "-000101-9999"),
    learned_date=time.strftime("%Y-%m-%d", time.localtime()),
    petitioner=petition_pb2.Person(full_name="Đặng Thị Thu", citizen_id=CITIZEN_ID))
try:
    petitions.ReceivePetition(complaint, metadata=auth("CITIZEN_TOKEN"), timeout=10)
    raise AssertionError("a complaint about no dossier was taken")
except grpc.RpcError as e:
    assert e.code() == grpc.StatusCode.INVALID_ARGUMENT and "act.dossier_code" in e.details(), e
print("a wrong dossier code: INVALID_ARGUMENT on act.dossier_code")

# 3. The citizen complains about the refusal, online, naming the dossier.
complaint.act.dossier_code = refused.code
filed = petitions.ReceivePetition(complaint, metadata=auth("CITIZEN_TOKEN"), timeout=10)
assert not filed.related_dossiers, "a citizen is never shown related dossiers"
code = filed.petition.code
print("complaint", code, petition_pb2.PetitionState.Name(filed.petition.state))

# 4. The reception officer sees the related case, with why it matched (once the dossier
#    service's report of the refusal has arrived: its outbox relays it within a second or so).
seen = eventually(
    "GetPetition shows the refused dossier",
    lambda: petitions.GetPetition(ppb.GetPetitionRequest(code=code),
                                  metadata=auth("OFFICER_TOKEN")),
    lambda p: len(p.related_dossiers) > 0)
assert [d.dossier_code for d in seen.related_dossiers] == [refused.code], seen.related_dossiers
reasons = list(seen.related_dossiers[0].reasons)
assert "named in act.dossier_code" in reasons and "same citizen ID" in reasons, reasons
assert seen.related_dossiers[0].kind == ppb.DOSSIER_CASE_KIND_REFUSED
print("related:", refused.code, reasons)

# 5. The complaint is accepted, heard and decided.
version = seen.petition.version
r = petitions.ClassifyPetition(ppb.ClassifyPetitionRequest(
    code=code, expected_version=version, decision=petition_pb2.CLASSIFICATION_DECISION_ACCEPT,
    reason="Đủ điều kiện thụ lý", complexity=petition_pb2.COMPLEXITY_NORMAL),
    metadata=auth("OFFICER_TOKEN"))
r = petitions.RecordDialogue(ppb.RecordDialogueRequest(
    code=code, expected_version=r.petition.version, participants=["Đặng Thị Thu", "Chủ tịch UBND"],
    minutes="Người khiếu nại xuất trình giấy xác nhận cư trú"), metadata=auth("OFFICER_TOKEN"))
r = petitions.DecidePetition(ppb.DecidePetitionRequest(
    code=code, expected_version=r.petition.version,
    outcome=petition_pb2.OUTCOME_COMPLAINT_RIGHT, decision_number="77/QĐ-UBND",
    summary="Khiếu nại đúng; tiếp nhận lại hồ sơ"), metadata=auth("LEADER_TOKEN"))
assert r.petition.state == petition_pb2.PETITION_STATE_RESOLVED, r.petition.state
print("decided", code, petition_pb2.PetitionState.Name(r.petition.state))

# 6. The one-stop counter: the dossier with the petition about it, kept current by the
#    petition service's outbox; the applicant reading their own dossier does not see it.
shown = eventually(
    "GetDossier shows the complaint decided",
    lambda: dossiers.GetDossier(dpb.GetDossierRequest(code=refused.code),
                                metadata=auth("OFFICER_TOKEN")),
    lambda d: [p.state for p in d.petitions if p.petition_code == code] ==
    [petition_pb2.PETITION_STATE_RESOLVED])
print("dossier", refused.code, "shows", [(p.petition_code,
                                           petition_pb2.PetitionState.Name(p.state))
                                          for p in shown.petitions])
own = dossiers.GetDossier(dpb.GetDossierRequest(code=refused.code), metadata=auth("CITIZEN_TOKEN"))
assert own.dossier.code == refused.code and not own.petitions

# 7. The portal: the citizen's own timeline, both matters, nothing else.
timeline = petitions.GetCitizenTimeline(ppb.GetCitizenTimelineRequest(),
                                        metadata=auth("CITIZEN_TOKEN"), timeout=10)
assert not timeline.partial, timeline.gaps
assert {i.code for i in timeline.items} == {refused.code, code}, timeline.items
print("timeline:", [(i.code, i.state, i.next_deadline) for i in timeline.items])
try:
    petitions.GetCitizenTimeline(ppb.GetCitizenTimelineRequest(), metadata=auth("OFFICER_TOKEN"))
    raise AssertionError("an officer read a citizen's timeline")
except grpc.RpcError as e:
    assert e.code() == grpc.StatusCode.PERMISSION_DENIED, e

# 8. Every service's audit chain verifies.
for service, channel in channels.items():
    v = arpc.AuditServiceStub(channel).VerifyAuditChain(apb.VerifyAuditChainRequest(),
                                                        metadata=auth("AUDITOR_TOKEN"))
    assert v.ok, (service, v)
    print("audit chain", service, "verifies:", v.records_checked, "records")
print("one matter: OK")
