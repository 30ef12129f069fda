# first_hour.py: the portal's flow against the dossier service, on Debian's python3-grpcio.
# Stubs: generated from protos/ into $LOCALGOV_STUBS (see "First hour" in docs/api.md).
import os
import sys
import uuid

sys.path.insert(0, os.environ.get("LOCALGOV_STUBS", "stubs"))

import grpc
from google.protobuf.timestamp_pb2 import Timestamp
from google.rpc import error_details_pb2, status_pb2
from localgov.dossier.v1 import dossier_service_pb2 as pb
from localgov.dossier.v1 import dossier_service_pb2_grpc as rpc
from localgov.dossier.v1 import dossier_pb2, procedure_pb2

ADDRESS = os.environ.get("LOCALGOV_DOSSIER_ADDR", "127.0.0.1:50051")
AUTH = [("authorization", "Bearer " + os.environ["PORTAL_TOKEN"])]
AGENCY = "000.00.31.H41"  # the demo commune, Phường Nha Trang

channel = grpc.insecure_channel(ADDRESS)
dossiers = rpc.DossierServiceStub(channel)


def field_violations(error):
    """The fields an INVALID_ARGUMENT names: google.rpc.BadRequest in grpc-status-details-bin."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                bad = error_details_pb2.BadRequest()
                if detail.Unpack(bad):
                    return {v.field: v.description for v in bad.field_violations}
    return {}

# 1. The catalogue: words of the name, with or without diacritics.
found = dossiers.ListProcedures(pb.ListProceduresRequest(query="xac nhan hon nhan"), metadata=AUTH)
for p in found.procedures:
    print("procedure", p.code, p.name)
assert "HT-05" in [p.code for p in found.procedures]

# 2. The appointment a dossier received now would get: 3 working days.
now = Timestamp()
now.GetCurrentTime()
due = dossiers.ComputeDueDate(
    pb.ComputeDueDateRequest(received_time=now, unit=procedure_pb2.LIMIT_UNIT_WORKING_DAYS, amount=3),
    metadata=AUTH)
print("received now, 3 working days: due", due.due_date)

# 3. Intake from the portal. A retry after a timeout sends the same request_id: same dossier.
intake = pb.ReceiveDossierRequest(
    request_id="portal-" + uuid.uuid4().hex, procedure_code="HT-05", receiving_agency_code=AGENCY,
    channel=procedure_pb2.CHANNEL_ONLINE,
    applicant=dossier_pb2.Applicant(full_name="Trần Thị Bích", citizen_id="079301002468"),
    documents=[dossier_pb2.HandedDocument(document_code="to-khai")])
first = dossiers.ReceiveDossier(intake, metadata=AUTH, timeout=10).dossier
again = dossiers.ReceiveDossier(intake, metadata=AUTH, timeout=10).dossier
assert again.code == first.code and again.version == first.version
print("received", first.code, dossier_pb2.DossierState.Name(first.state), "due", first.due_date)

# 4. The citizen's look-up: the code on the receipt and the last 4 digits of the citizen ID.
view = dossiers.LookupDossier(pb.LookupDossierRequest(code=first.code, second_factor="2468"),
                              metadata=AUTH).dossier
print("look-up:", view.code, "portal status", view.portal_status_code, "due", view.due_date)
assert view.state == dossier_pb2.DOSSIER_STATE_ACCEPTED

# 5. The change feed: keep the last sequence processed; after a disconnect, resume from it.
def watch(after, count):
    stream = dossiers.WatchDossiers(
        pb.WatchDossiersRequest(dossier_code=first.code, after_sequence=after), metadata=AUTH)
    changes = []
    for change in stream:
        changes.append(change)
        if len(changes) == count:
            break
    stream.cancel()  # disconnect
    return changes

intake_change, = watch(0, 1)
last = intake_change.sequence
print("feed", last, dossier_pb2.DossierState.Name(intake_change.to_state))
# While disconnected, the dossier moves on twice: processing starts, the result is recorded.
started = dossiers.StartProcessing(
    pb.StartProcessingRequest(code=first.code, expected_version=first.version), metadata=AUTH).dossier
done = dossiers.RecordResult(
    pb.RecordResultRequest(code=first.code, expected_version=started.version, note="Đã cấp"),
    metadata=AUTH).dossier
resumed = watch(last, 2)
assert [c.dossier_version for c in resumed] == [started.version, done.version]
assert last < resumed[0].sequence < resumed[1].sequence
for change in resumed:
    print("feed", change.sequence, dossier_pb2.DossierState.Name(change.to_state))

# 6. A transition from a stale version is ABORTED: read the dossier again and decide again.
try:
    dossiers.ReturnResult(
        pb.ReturnResultRequest(code=first.code, expected_version=started.version), metadata=AUTH)
    raise SystemExit("a stale expected_version was accepted")
except grpc.RpcError as e:
    assert e.code() == grpc.StatusCode.ABORTED, e
    print("stale version:", e.code().name, e.details())

# 7. Bad input: INVALID_ARGUMENT, every bad field at once, by name.
try:
    dossiers.ReceiveDossier(pb.ReceiveDossierRequest(
        procedure_code="HT-05", receiving_agency_code=AGENCY, channel=procedure_pb2.CHANNEL_ONLINE,
        applicant=dossier_pb2.Applicant(full_name="Trần Thị Bích", citizen_id="0793")),
        metadata=AUTH)
    raise SystemExit("a bad intake was accepted")
except grpc.RpcError as e:
    assert e.code() == grpc.StatusCode.INVALID_ARGUMENT, e
    fields = field_violations(e)
    for field, why in fields.items():
        print("bad field", field + ":", why)
    assert {"request_id", "applicant.citizen_id"} <= set(fields), fields
print("first hour: OK")
