// Dossiers: intake (ReceiveDossier). Checks the request against the procedure in force on the
// day of receipt, decides the outcome at the counter (intake.h), plans the route's steps and
// writes the new dossier through the group-committing IntakeWriter.
#include "services/dossier/dossiers.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/agency_code.h"
#include "common/crypto.h"
#include "common/idempotency.h"
#include "google/protobuf/util/time_util.h"
#include "services/dossier/convert.h"
#include "services/dossier/dossiers_internal.h"
#include "services/dossier/intake.h"
#include "services/dossier/route.h"

namespace localgov::dossier {
namespace {

using google::protobuf::util::TimeUtil;

std::string IntakeNote(const v1::Dossier& d) {
  switch (d.state()) {
    case v1::DOSSIER_STATE_ACCEPTED:
      return absl::StrCat("received complete; appointment ", d.due_date());
    case v1::DOSSIER_STATE_SUPPLEMENT_REQUESTED: {
      std::vector<std::string> names;
      for (const auto& m : d.missing_documents()) names.push_back(m.name());
      return absl::StrCat("incomplete; requested at once: ", absl::StrJoin(names, "; "));
    }
    case v1::DOSSIER_STATE_NOT_ACCEPTED:
      return absl::StrCat("refused: ", absl::StrJoin(d.refusal_reasons(), "; "));
    default:
      return "received";
  }
}

}  // namespace

absl::StatusOr<v1::Dossier> Dossiers::Receive(const CallContext& call,
                                              const v1::ReceiveDossierRequest& request) {
  Validator v;
  ValidateRequestId(v, "request_id", request.request_id());
  v.Check(!request.procedure_code().empty(), "procedure_code", "required");
  const std::string agency = request.receiving_agency_code().empty()
                                 ? call.access.agency
                                 : request.receiving_agency_code();
  v.Check(IsValidAgencyCode(agency), "receiving_agency_code",
          "must be a national agency code like 000.00.31.H41");
  const absl::Time now = clock_.Now();
  const absl::Time received =
      request.has_received_time()
          ? absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(request.received_time()))
          : now;
  v.Check(received <= now + kMaxClockSkew, "received_time", "must not be in the future");
  // A dossier for a merged commune is received by its successor, under its code.
  const Answering receiving = Resolve(agency);
  v.Check(!IsValidAgencyCode(agency) || receiving.known, "receiving_agency_code",
          "not an agency of the exchange directory");
  if (IsStaff(call.access.role) && !SameAgency(receiving.agency, call.access.agency)) {
    return absl::PermissionDeniedError("officers receive dossiers for their own agency only");
  }

  // The version of the procedure in force on the day of receipt; every violation is reported
  // at once, those of the envelope and those against the procedure.
  const absl::CivilDay received_day = calendar::VietnamDay(received);
  absl::StatusOr<v1::Procedure> procedure = absl::NotFoundError("no procedure_code");
  if (!request.procedure_code().empty()) {
    procedure = catalogue_.Get(request.procedure_code(), absl::FormatCivilTime(received_day));
    if (procedure.status().code() == absl::StatusCode::kNotFound) {
      v.Add("procedure_code", std::string(procedure.status().message()));
    } else if (!procedure.ok()) {
      return procedure.status();
    } else {
      ValidateIntake(request, *procedure, v);
    }
  }
  if (!v.ok()) return v.status();

  const IntakeOutcome outcome =
      DecideIntake(*procedure, request.documents(), request.refusal_reasons());
  auto cal = calendar_.Calendar();
  if (!cal.ok()) return cal.status();
  const OneStopRules& rules = rules_.InForceOn(received_day);
  auto clock_start = (*cal)->DeemedReceiptDay(received, rules.receipt_cutoff_minutes);
  if (!clock_start.ok()) return clock_start.status();

  v1::Dossier d;
  d.set_procedure_code(procedure->code());
  d.set_procedure_version(procedure->version());
  d.set_receiving_agency_code(receiving.agency);
  d.set_channel(request.channel());
  d.set_state(outcome.state);
  d.set_portal_status_code(static_cast<int>(outcome.state));
  if (outcome.state == v1::DOSSIER_STATE_SUPPLEMENT_REQUESTED) {
    d.mutable_quality()->set_supplement_requests(1);  // form 02 at the counter
  }
  *d.mutable_applicant() = request.applicant();
  *d.mutable_documents() = request.documents();
  for (const auto& m : outcome.missing) *d.add_missing_documents() = m;
  *d.mutable_refusal_reasons() = request.refusal_reasons();
  *d.mutable_received_time() = ToProto(received);
  d.set_clock_start_date(absl::FormatCivilTime(*clock_start));
  d.set_with_verification(request.with_verification());
  if (outcome.state == v1::DOSSIER_STATE_ACCEPTED) {
    const auto& limit =
        request.with_verification() ? procedure->limit_with_verification() : procedure->limit();
    auto due = (*cal)->ComputeDue(received, ToLimit(limit), rules.counting());
    if (!due.ok()) return due.status();
    d.set_due_date(absl::FormatCivilTime(due->day));
    *d.mutable_deadline() = ToProto(due->deadline);
  }
  PlanSteps(d, *procedure);
  if (outcome.state == v1::DOSSIER_STATE_NOT_ACCEPTED) {
    // Refused at intake: no step will ever start (none was handed off).
    CancelOpenSteps(d, IntakeNote(d), received_day, now);
  }
  d.set_version(1);

  std::string note = IntakeNote(d);
  if (receiving.agency != agency) {
    absl::StrAppend(&note, "; addressed to ", agency, ", merged into ", receiving.agency);
  }
  AddEvent(d, now, call.access.subject, RoleName(call.access.role), call.access.agency,
           v1::DOSSIER_STATE_UNSPECIFIED, note);
  const std::string digest = Sha256Hex(request.SerializeAsString());
  IntakeWriter::Intake intake{
      {call.access.subject, call.method, request.request_id(), digest},
      std::move(d),
      received_day,
      {call.access.subject, std::string(RoleName(call.access.role)), call.access.agency,
       "dossier.ReceiveDossier", "dossier", "", call.request_id, digest},
      call.request_id,
      now};
  auto written = intake_writer_.Write(intake);
  if (!written.ok()) return written.status();
  if (written->change > 0 && on_change_) on_change_(written->change);
  return std::move(written->dossier);
}

}  // namespace localgov::dossier
