#include "services/dossier/dossiers.h"

#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/agency_code.h"
#include "common/audit.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "common/logging.h"
#include "common/outbox.h"
#include "google/protobuf/util/time_util.h"
#include "nlohmann/json.hpp"
#include "services/dossier/catalogue_store.h"
#include "services/dossier/convert.h"
#include "services/dossier/dossier_store.h"
#include "services/dossier/intake.h"
#include "services/dossier/route.h"

namespace localgov::dossier {
namespace {

using google::protobuf::util::TimeUtil;
using State = v1::DossierState;

// Adds the next event of `d`'s history (`d` as it is after the event).
v1::DossierEvent& AddEvent(v1::Dossier& d, absl::Time at, const std::string& actor,
                           std::string_view role, const std::string& agency, State from,
                           const std::string& note) {
  auto* e = d.add_events();
  e->set_sequence(d.events_size());
  *e->mutable_time() = ToProto(at);
  e->set_actor(actor);
  e->set_role(std::string(role));
  e->set_agency(agency);
  e->set_from_state(from);
  e->set_to_state(d.state());
  e->set_note(note);
  return *e;
}

bool IsStaff(Role r) { return r == Role::kOfficer || r == Role::kLeader; }

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

Dossiers::Answering Dossiers::Resolve(const std::string& code) const {
  if (!resolver_) return {code, {code}};
  return resolver_(code);
}

bool Dossiers::SameAgency(const std::string& a, const std::string& b) const {
  return a == b || Resolve(a).agency == Resolve(b).agency;
}

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
    auto due = (*cal)->ComputeDue(received, ToLimit(limit), rules.receipt_cutoff_minutes);
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

absl::StatusOr<v1::Dossier> Dossiers::Transition(const CallContext& call, const std::string& code,
                                                 int64_t expected_version, TransitionInput input) {
  Validator v;
  v.Check(!code.empty() && code.size() <= 64, "code", "required, at most 64 characters");
  v.Check(expected_version > 0, "expected_version", "required: the version last read");
  if (!v.ok()) return v.status();
  auto cal = calendar_.Calendar();
  if (!cal.ok()) return cal.status();
  input.now = clock_.Now();
  const std::string action_name = [&] {
    switch (input.action) {
      case Action::kStartProcessing:
        return "StartProcessing";
      case Action::kRequestSupplement:
        return "RequestSupplement";
      case Action::kCompleteSupplement:
        return "CompleteSupplement";
      case Action::kApologize:
        return "Apologize";
      case Action::kRecordResult:
        return "RecordResult";
      case Action::kReturnResult:
        return "ReturnResult";
      case Action::kWithdraw:
        return "WithdrawDossier";
      case Action::kStop:
        return "StopProcessing";
      case Action::kRequestPayment:
        return "RequestPayment";
      case Action::kConfirmPayment:
        return "ConfirmPayment";
      case Action::kCompleteStep:
        return "CompleteStep";
    }
    return "Transition";
  }();
  v1::Dossier result;
  int64_t change = 0;
  auto st = RunInTransaction(db_, "transition_dossier", [&](pqxx::work& tx) -> absl::Status {
    auto found = DossierStore::Find(tx, code);
    const auto not_found = absl::NotFoundError(absl::StrCat("dossier ", code, " not found"));
    if (!found.has_value()) return not_found;
    const auto& a = call.access;
    const bool own_citizen =
        a.role == Role::kCitizen && a.subject == found->applicant().citizen_id();
    if (a.role == Role::kCitizen && !own_citizen) return not_found;
    const bool staff_here = IsStaff(a.role) && SameAgency(a.agency, found->receiving_agency_code());
    const bool allowed =
        staff_here || a.role == Role::kSystem || (own_citizen && input.action == Action::kWithdraw);
    if (!allowed)
      return absl::PermissionDeniedError("only the receiving agency's staff may do this");
    if (found->version() != expected_version) {
      return absl::AbortedError(absl::StrCat("dossier ", code, " is at version ", found->version(),
                                             ", not ", expected_version, "; read it again"));
    }
    auto procedure =
        CatalogueStore::Version(tx, found->procedure_code(), found->procedure_version());
    if (!procedure.has_value())
      return absl::InternalError("the dossier's procedure version is gone");
    result = *found;
    const State from = result.state();
    // The rules in force on the day the dossier was received, whatever changed since.
    const OneStopRules& rules =
        rules_.InForceOn(calendar::VietnamDay(FromProto(found->received_time())));
    auto note = ApplyTransition(result, *procedure, **cal, rules, input);
    if (!note.ok()) return note.status();
    if (input.action == Action::kStartProcessing || input.action == Action::kCompleteStep) {
      if (auto st = HandOff(tx, result, *procedure, **cal, input.now); !st.ok()) return st;
    }
    // The dossier ended: the agencies its steps were handed to are told, durably (outbox).
    if (auto st = SendCancellations(tx, *found, result, a.agency, input.now); !st.ok()) return st;
    if (auto updated = DossierStore::Update(tx, result, expected_version, input.now);
        !updated.ok()) {
      return updated;
    }
    DossierStore::InsertStepOutcomes(tx, code, NewlyScored(*found, result));
    result.set_version(expected_version + 1);
    const auto& e = AddEvent(result, input.now, a.subject, RoleName(a.role), a.agency, from, *note);
    change = DossierStore::AppendEvent(tx, result, e, call.request_id);
    return AppendAudit(tx,
                       {a.subject, std::string(RoleName(a.role)), a.agency,
                        absl::StrCat("dossier.", action_name), "dossier", code, call.request_id,
                        absl::StrCat(v1::DossierState_Name(from), "->",
                                     v1::DossierState_Name(result.state()), ":", *note)},
                       input.now);
  });
  if (!st.ok()) return st;
  lookup_.Invalidate(
      code, result.version());  // after commit: the public view must not show the old state
  if (on_change_) on_change_(change);
  return result;
}

absl::StatusOr<Dossiers::Page> Dossiers::List(const CallContext& call,
                                              const v1::ListDossiersRequest& r) {
  constexpr int kDefaultPageSize = 20;
  constexpr int kMaxPageSize = 100;
  constexpr absl::string_view kTokenPrefix = "dos1:";
  Validator v;
  v.Check(r.page_size() >= 0 && r.page_size() <= kMaxPageSize, "page_size", "must be 0..100");
  DossierFilter f;
  if (!r.page_token().empty()) {
    std::string raw;
    const bool ok = absl::WebSafeBase64Unescape(r.page_token(), &raw) &&
                    absl::StartsWith(raw, kTokenPrefix) && raw.find('|') != std::string::npos;
    if (ok) {
      const std::string body = raw.substr(kTokenPrefix.size());
      f.after_due = body.substr(0, body.find('|'));
      f.after_code = body.substr(body.find('|') + 1);
    } else {
      v.Add("page_token", "not a token this service issued");
    }
  }
  absl::CivilDay day;
  if (!r.due_before().empty()) {
    v.Check(r.due_before().size() == 10 && absl::ParseCivilTime(r.due_before(), &day), "due_before",
            "must be a date YYYY-MM-DD");
  }
  for (int i = 0; i < r.states_size(); ++i) {
    v.Check(r.states(i) != v1::DOSSIER_STATE_UNSPECIFIED, absl::StrCat("states[", i, "]"),
            "not a state");
    f.states.push_back(r.states(i));
  }
  for (int i = 0; i < r.channels_size(); ++i) {
    v.Check(r.channels(i) != v1::CHANNEL_UNSPECIFIED, absl::StrCat("channels[", i, "]"),
            "not a channel");
    f.channels.push_back(r.channels(i));
  }
  if (!r.applicant_citizen_id().empty()) {
    v.Check(IsValidCitizenId(r.applicant_citizen_id()), "applicant_citizen_id",
            "must be a 12-digit citizen ID");
    f.applicant = r.applicant_citizen_id();
  }
  if (r.has_due_within_working_days()) {
    v.Check(r.due_within_working_days() >= 0 && r.due_within_working_days() <= 60,
            "due_within_working_days", "must be 0..60");
  }
  const auto& a = call.access;
  if (a.role == Role::kCitizen) {
    f.citizen_id = a.subject;
    f.applicant.clear();  // a citizen's list is their own already
  } else {
    f.agency = r.agency_code().empty() ? a.agency : r.agency_code();
    v.Check(IsValidAgencyCode(f.agency), "agency_code", "must be a national agency code");
  }
  if (!v.ok()) return v.status();
  if (IsStaff(a.role) && !SameAgency(f.agency, a.agency)) {
    return absl::PermissionDeniedError("officers list their own agency's dossiers only");
  }
  if (f.citizen_id.empty()) {
    auto answering = Resolve(f.agency);
    f.agency = answering.agency;
    f.merged.assign(answering.answers_for.begin() + 1, answering.answers_for.end());
  }
  f.procedure_code = r.procedure_code();
  f.due_before = r.due_before();
  f.late_only = r.late_only();
  f.late_without_apology_only = r.late_without_apology_only();
  f.transfer_overdue_only = r.transfer_overdue_only();
  const absl::CivilDay today = calendar::VietnamDay(clock_.Now());
  f.today = absl::FormatCivilTime(today);
  if (r.has_due_within_working_days()) {
    // Open dossiers due by the Nth working day from today (0: due today or overdue).
    absl::CivilDay limit = today;
    if (r.due_within_working_days() > 0) {
      auto cal = calendar_.Calendar();
      if (!cal.ok()) return cal.status();
      auto last = (*cal)->AddWorkingDays(today, r.due_within_working_days());
      if (!last.ok()) return last.status();
      limit = *last;
    }
    if (f.due_before.empty() || absl::FormatCivilTime(limit) < f.due_before) {
      f.due_before = absl::FormatCivilTime(limit);
    }
    f.open_only = true;
  }
  const int size = r.page_size() == 0 ? kDefaultPageSize : r.page_size();
  f.limit = size + 1;
  Page page;
  auto st = RunInTransaction(
      db_, "list_dossiers",
      [&](pqxx::work& tx) -> absl::Status {
        page.dossiers = DossierStore::List(tx, f);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  if (static_cast<int>(page.dossiers.size()) > size) {
    page.dossiers.resize(size);
    const auto& last = page.dossiers.back();
    page.next_page_token = absl::WebSafeBase64Escape(absl::StrCat(
        kTokenPrefix, last.due_date().empty() ? "9999-12-31" : last.due_date(), "|", last.code()));
  }
  for (auto& d : page.dossiers) {
    d.mutable_applicant()->set_citizen_id(MaskCitizenId(d.applicant().citizen_id()));
  }
  return page;
}

absl::StatusOr<v1::Rating> Dossiers::Rate(const CallContext& call,
                                          const v1::RateDossierRequest& r) {
  Validator v;
  v.Check(!r.code().empty() && r.code().size() <= 64, "code", "required, at most 64 characters");
  v.Check(r.level() != v1::SATISFACTION_LEVEL_UNSPECIFIED, "level", "required");
  v.Check(r.comment().size() <= 1000, "comment", "at most 1000 bytes");
  if (!v.ok()) return v.status();
  const absl::Time now = clock_.Now();
  v1::Rating rating;
  auto st = RunInTransaction(db_, "rate_dossier", [&](pqxx::work& tx) -> absl::Status {
    auto d = DossierStore::Find(tx, r.code());
    const auto not_found = absl::NotFoundError(absl::StrCat("dossier ", r.code(), " not found"));
    if (!d.has_value()) return not_found;
    const auto& a = call.access;
    const bool own = a.role == Role::kCitizen && a.subject == d->applicant().citizen_id();
    if (a.role == Role::kCitizen && !own) return not_found;
    if (!own && a.role != Role::kSystem) {
      return absl::PermissionDeniedError("only the applicant (or the portal for them) rates");
    }
    if (d->state() != v1::DOSSIER_STATE_RETURNED) {
      return absl::FailedPreconditionError("a dossier is rated after its result is returned");
    }
    if (!DossierStore::InsertRating(tx, r.code(), d->receiving_agency_code(), r.level(),
                                    r.comment(), now, a.subject)) {
      return absl::AlreadyExistsError("this dossier was already rated");
    }
    rating.set_dossier_code(r.code());
    rating.set_level(r.level());
    rating.set_comment(r.comment());
    *rating.mutable_time() = ToProto(now);
    return AppendAudit(
        tx,
        {a.subject, std::string(RoleName(a.role)), a.agency, "dossier.RateDossier", "dossier",
         r.code(), call.request_id, absl::StrCat(r.level(), ":", r.comment())},
        now);
  });
  if (!st.ok()) return st;
  return rating;
}

absl::StatusOr<v1::AgencyStatistics> Dossiers::Statistics(const CallContext& call,
                                                          const v1::GetAgencyStatisticsRequest& r) {
  Validator v;
  const auto& a = call.access;
  const std::string agency = r.agency_code().empty() ? a.agency : r.agency_code();
  v.Check(IsValidAgencyCode(agency), "agency_code", "must be a national agency code");
  absl::CivilDay from, to;
  const bool from_ok = r.from_date().size() == 10 && absl::ParseCivilTime(r.from_date(), &from);
  const bool to_ok = r.to_date().size() == 10 && absl::ParseCivilTime(r.to_date(), &to);
  v.Check(from_ok, "from_date", "must be a date YYYY-MM-DD");
  v.Check(to_ok, "to_date", "must be a date YYYY-MM-DD");
  if (from_ok && to_ok) {
    v.Check(from <= to && to - from <= 366, "to_date",
            "must be on or after from_date, within 366 days");
  }
  if (!v.ok()) return v.status();
  if (a.role == Role::kCitizen) return absl::PermissionDeniedError("statistics are for staff");
  if (IsStaff(a.role) && !SameAgency(agency, a.agency)) {
    return absl::PermissionDeniedError("officers see their own agency's figures only");
  }
  const std::vector<std::string> agencies = Resolve(agency).answers_for;
  const std::string today = absl::FormatCivilTime(calendar::VietnamDay(clock_.Now()));
  auto cal = calendar_.Calendar();
  if (!cal.ok()) return cal.status();
  v1::AgencyStatistics s;
  std::vector<v1::Dossier> finished;
  auto st = RunInTransaction(
      db_, "agency_statistics",
      [&](pqxx::work& tx) -> absl::Status {
        const absl::Time start = calendar::WorkingCalendar::StartOf(from);
        const absl::Time end = calendar::WorkingCalendar::EndOf(to);
        s = DossierStore::Statistics(tx, agencies, start, end, today);
        finished = DossierStore::FinishedIn(tx, agencies, start, end);
        return absl::OkStatus();
      },
      TxOptions{.isolation = Isolation::kRepeatableRead, .read_only = true});
  if (!st.ok()) return st;
  // Working days from the clock start to the result, and the indicators, per finished dossier.
  double days = 0, points1 = 0, points3 = 0;
  int counted = 0;
  for (const auto& d : finished) {
    absl::CivilDay start;
    if (!absl::ParseCivilTime(d.clock_start_date(), &start)) continue;
    const absl::CivilDay done = calendar::VietnamDay(FromProto(d.finished_time()));
    auto n = (*cal)->WorkingDaysBetween(start, done);
    if (!n.ok()) return n.status();
    days += *n;
    points1 += d.quality().indicator1_points();
    points3 += d.quality().indicator3_points();
    if (d.quality().transferred_late())
      s.set_finished_transferred_late(s.finished_transferred_late() + 1);
    ++counted;
  }
  if (counted > 0) {
    s.set_average_processing_working_days(days / counted);
    s.set_indicator1_average_points(points1 / counted);
    s.set_indicator3_average_points(points3 / counted);
  }
  for (auto& g : ServiceIndex(s, weights_)) *s.add_service_index() = std::move(g);
  s.set_from_date(r.from_date());
  s.set_to_date(r.to_date());
  return s;
}

absl::StatusOr<v1::Dossier> Dossiers::Get(const CallContext& call, const std::string& code) {
  Validator v;
  v.Check(!code.empty() && code.size() <= 64, "code", "required, at most 64 characters");
  if (!v.ok()) return v.status();
  std::optional<v1::Dossier> found;
  auto st = RunInTransaction(
      db_, "get_dossier",
      [&](pqxx::work& tx) -> absl::Status {
        found = DossierStore::Find(tx, code);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  const auto not_found = absl::NotFoundError(absl::StrCat("dossier ", code, " not found"));
  if (!found.has_value()) return not_found;
  const auto& a = call.access;
  bool allowed = false;
  switch (a.role) {
    case Role::kAdmin:
    case Role::kInspector:
    case Role::kAuditor:
    case Role::kSystem:
      allowed = true;
      break;
    case Role::kOfficer:
    case Role::kLeader:
      allowed = SameAgency(a.agency, found->receiving_agency_code());
      break;
    case Role::kCitizen:
      // The citizen's identity token names them by citizen ID (VNeID): their own dossiers only.
      allowed = a.subject == found->applicant().citizen_id();
      break;
  }
  if (!allowed) return not_found;
  return *found;
}

absl::StatusOr<ChangeFilter> Dossiers::WatchFilter(const CallContext& call,
                                                   const v1::WatchDossiersRequest& r) {
  Validator v;
  const bool by_agency = !r.agency_code().empty();
  const bool by_dossier = !r.dossier_code().empty();
  if (by_agency == by_dossier) {
    v.Add(by_agency ? "dossier_code" : "agency_code",
          "give exactly one of agency_code and dossier_code");
  }
  if (by_agency) {
    v.Check(IsValidAgencyCode(r.agency_code()), "agency_code", "must be a national agency code");
  }
  if (by_dossier) {
    v.Check(r.dossier_code().size() <= 64, "dossier_code", "at most 64 characters");
  }
  v.Check(r.after_sequence() >= 0, "after_sequence", "must be 0 or a sequence received");
  if (!v.ok()) return v.status();
  ChangeFilter f;
  f.after_sequence = r.after_sequence();
  const auto& a = call.access;
  if (by_dossier) {
    auto d = Get(call, r.dossier_code());  // NOT_FOUND for a dossier the caller may not see
    if (!d.ok()) return d.status();
    f.dossier_code = r.dossier_code();
    return f;
  }
  if (a.role == Role::kCitizen) {
    return absl::PermissionDeniedError("citizens watch their own dossiers, by dossier_code");
  }
  if (IsStaff(a.role) && !SameAgency(a.agency, r.agency_code())) {
    return absl::PermissionDeniedError("officers watch their own agency's dossiers only");
  }
  f.agency = r.agency_code();
  return f;
}

absl::StatusOr<std::vector<v1::WatchDossiersResponse>> Dossiers::Changes(const ChangeFilter& f) {
  // Resolved at every read, so a stream open across a merger carries the merged commune's
  // changes from then on.
  ChangeFilter read = f;
  if (read.dossier_code.empty()) read.agencies = Resolve(f.agency).answers_for;
  std::vector<v1::WatchDossiersResponse> out;
  auto st = RunInTransaction(
      db_, "dossier_changes",
      [&](pqxx::work& tx) -> absl::Status {
        out = DossierStore::Changes(tx, read);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, int64_t>>>
Dossiers::LateWithoutApologyByAgency() {
  const std::string today = absl::FormatCivilTime(calendar::VietnamDay(clock_.Now()));
  std::vector<std::pair<std::string, int64_t>> out;
  auto st = RunInTransaction(
      db_, "late_without_apology",
      [&](pqxx::work& tx) -> absl::Status {
        out = DossierStore::LateWithoutApologyByAgency(tx, today);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true, .max_attempts = 1});
  if (!st.ok()) return st;
  // A merged commune's late dossiers are its successor's to answer for.
  std::map<std::string, int64_t> by_answering;
  for (const auto& [agency, n] : out) by_answering[Resolve(agency).agency] += n;
  return std::vector<std::pair<std::string, int64_t>>(by_answering.begin(), by_answering.end());
}

absl::StatusOr<int64_t> Dossiers::LatestChange() {
  int64_t latest = 0;
  auto st = RunInTransaction(
      db_, "latest_dossier_change",
      [&](pqxx::work& tx) -> absl::Status {
        latest = DossierStore::LatestChange(tx);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true, .max_attempts = 1});
  if (!st.ok()) return st;
  return latest;
}

absl::Status Dossiers::HandOff(pqxx::work& tx, v1::Dossier& d, const v1::Procedure& p,
                               const calendar::WorkingCalendar& cal, absl::Time now) {
  const absl::CivilDay today = calendar::VietnamDay(now);
  auto handed = HandOffNext(d, p, cal, today);
  if (!handed.ok()) return handed.status();
  if (handed->empty()) return absl::OkStatus();
  if (exchange_key_.secret_key.empty()) {
    return absl::FailedPreconditionError(
        "this procedure hands steps to other agencies, and this service has no exchange "
        "signing key (LOCALGOV_EXCHANGE_SIGNING_KEY_FILE)");
  }
  auto acknowledge_by = AcknowledgeBy(p, cal, now);
  if (!acknowledge_by.ok()) return acknowledge_by.status();
  for (auto& s : *d.mutable_steps()) {
    if (std::find(handed->begin(), handed->end(), s.index()) == handed->end()) continue;
    liaison::v1::Envelope e;
    e.set_id(s.envelope_id());
    e.set_type(liaison::v1::ENVELOPE_TYPE_STEP_HANDOFF);
    e.set_sender_agency_code(Resolve(d.receiving_agency_code()).agency);
    e.set_receiver_agency_code(s.agency_code());
    e.set_correlation_id(d.code());
    // What the other agency needs to do its step (data exchange between agencies, Decree
    // 47/2020); the payload is never logged (the message log keeps its SHA-256 only).
    nlohmann::json payload = {
        {"dossier_code", d.code()},
        {"procedure_code", p.code()},
        {"procedure_version", p.version()},
        {"step", s.name()},
        {"step_due_date", s.due_date()},
        {"applicant",
         {{"full_name", d.applicant().full_name()}, {"citizen_id", d.applicant().citizen_id()}}}};
    e.set_payload(payload.dump());
    e.set_content_type("application/json");
    *e.mutable_create_time() = ToProto(now);
    absl::CivilDay due;
    if (absl::ParseCivilTime(s.due_date(), &due)) {
      *e.mutable_due_time() = ToProto(calendar::WorkingCalendar::EndOf(due));
    }
    SignEnvelope(e, exchange_key_.key_id, exchange_key_.secret_key);
    liaison::v1::SendRequest send;
    *send.mutable_envelope() = e;
    if (*acknowledge_by != absl::InfiniteFuture()) {
      *s.mutable_acknowledge_by() = ToProto(*acknowledge_by);
      *send.mutable_acknowledge_by() = ToProto(*acknowledge_by);
    }
    EnqueueOutbox(tx, kLiaisonSendTopic, e.id(), send.SerializeAsString(),
                  "application/x-protobuf; proto=localgov.liaison.v1.SendRequest");
  }
  return absl::OkStatus();
}

absl::Status Dossiers::SendCancellations(pqxx::work& tx, const v1::Dossier& before,
                                         v1::Dossier& after, const std::string& acting_agency,
                                         absl::Time now) {
  for (const auto& s : after.steps()) {
    if (s.state() != v1::STEP_STATE_CANCELLED || s.cancellation_envelope_id().empty()) continue;
    bool was_cancelled = false;
    for (const auto& b : before.steps()) {
      if (b.index() == s.index()) was_cancelled = b.state() == v1::STEP_STATE_CANCELLED;
    }
    if (was_cancelled) continue;
    if (exchange_key_.secret_key.empty()) {
      return absl::FailedPreconditionError(
          "this dossier's steps were handed to other agencies, and this service has no exchange "
          "signing key to tell them (LOCALGOV_EXCHANGE_SIGNING_KEY_FILE)");
    }
    liaison::v1::Envelope e;
    e.set_id(s.cancellation_envelope_id());
    e.set_type(liaison::v1::ENVELOPE_TYPE_STEP_CANCELLATION);
    e.set_sender_agency_code(Resolve(after.receiving_agency_code()).agency);
    e.set_receiver_agency_code(s.agency_code());
    e.set_correlation_id(after.code());
    e.set_in_reply_to(s.envelope_id());
    // What the other agency needs to stop: no applicant data (it has the handoff's).
    nlohmann::json payload = {
        {"dossier_code", after.code()},
        {"step_index", s.index()},
        {"step", s.name()},
        {"handoff_envelope_id", s.envelope_id()},
        {"reason", s.cancel_reason()},
        {"cancelled_by", acting_agency},
        {"cancel_time", absl::FormatTime(absl::RFC3339_sec, now, absl::UTCTimeZone())}};
    e.set_payload(payload.dump());
    e.set_content_type("application/json");
    *e.mutable_create_time() = ToProto(now);
    SignEnvelope(e, exchange_key_.key_id, exchange_key_.secret_key);
    liaison::v1::SendRequest send;
    *send.mutable_envelope() = e;
    EnqueueOutbox(tx, kLiaisonSendTopic, e.id(), send.SerializeAsString(),
                  "application/x-protobuf; proto=localgov.liaison.v1.SendRequest");
  }
  return absl::OkStatus();
}

absl::StatusOr<liaison::v1::DeliverResponse> Dossiers::TakeDelivery(
    const liaison::v1::DeliverRequest& request) {
  const auto& e = request.envelope();
  Validator v;
  v.Check(!e.id().empty() && e.id().size() <= 128, "envelope.id", "required");
  v.Check(!request.delivered_to_agency_code().empty(), "delivered_to_agency_code", "required");
  if (!v.ok()) return v.status();
  liaison::v1::DeliverResponse out;
  if (e.type() != liaison::v1::ENVELOPE_TYPE_STEP_HANDOFF &&
      e.type() != liaison::v1::ENVELOPE_TYPE_STEP_RESULT &&
      e.type() != liaison::v1::ENVELOPE_TYPE_STEP_CANCELLATION &&
      e.type() != liaison::v1::ENVELOPE_TYPE_OFFICIAL_DOCUMENT) {
    out.set_code(liaison::v1::ACK_CODE_REFUSED);
    out.set_reason(absl::StrCat("the dossier service does not take ",
                                liaison::v1::EnvelopeType_Name(e.type())));
    return out;
  }
  if (sender_check_) {
    auto checked = sender_check_(e, request.delivered_to_agency_code());
    if (absl::IsUnavailable(checked)) return checked;  // the exchange retries
    if (!checked.ok()) {
      out.set_code(liaison::v1::ACK_CODE_REFUSED);
      out.set_reason(std::string(checked.message()));
      return out;
    }
  }
  const absl::Time now = clock_.Now();
  if (e.type() != liaison::v1::ENVELOPE_TYPE_STEP_RESULT) {
    // Kept in the inbox, nothing else: one statement, committed on its own.
    auto kept = RunSingleStatement(db_, "take_delivery", [&](pqxx::transaction_base& tx) {
      DossierStore::InsertInbox(tx, e, request.delivered_to_agency_code(), now);
      return absl::OkStatus();
    });
    if (!kept.ok()) return kept;
    out.set_code(liaison::v1::ACK_CODE_REGISTERED);
    out.set_receiver_reference(e.correlation_id());
    return out;
  }
  auto cal = calendar_.Calendar();
  if (!cal.ok()) return cal.status();
  int64_t change = 0;
  int64_t new_version = 0;  // the dossier's version after a step result, for the look-up cache
  auto st = RunInTransaction(db_, "take_delivery", [&](pqxx::work& tx) -> absl::Status {
    change = 0;
    if (!DossierStore::InsertInbox(tx, e, request.delivered_to_agency_code(), now)) {
      return absl::OkStatus();  // delivered before: acknowledged again, applied once
    }
    auto found = DossierStore::Find(tx, e.correlation_id());
    if (!found.has_value()) return absl::OkStatus();  // kept; nothing of ours to update
    v1::Dossier d = *found;
    const absl::CivilDay today = calendar::VietnamDay(now);
    for (const auto& s : d.steps()) {
      if (s.own() || s.envelope_id() != e.in_reply_to() || s.state() != v1::STEP_STATE_CANCELLED) {
        continue;
      }
      // A result for a step cancelled with the dossier: recorded in its history and audited,
      // and nothing reopens.
      const int64_t version = found->version();
      const auto& ev = AddEvent(
          d, now, e.sender_agency_code(), RoleName(Role::kSystem), e.sender_agency_code(),
          d.state(),
          absl::StrCat("result of cancelled step ", s.name(), " from ", e.sender_agency_code(),
                       " arrived after the cancellation: recorded, not applied"));
      if (auto u = DossierStore::Update(tx, d, version, now); !u.ok()) return u;
      d.set_version(version + 1);
      new_version = d.version();
      change = DossierStore::AppendEvent(tx, d, ev, e.id());
      return AppendAudit(tx,
                         {e.sender_agency_code(), std::string(RoleName(Role::kSystem)),
                          e.sender_agency_code(), "dossier.LateStepResult", "dossier", d.code(),
                          e.id(), absl::StrCat("step ", s.index(), " cancelled; result ", e.id())},
                         now);
    }
    auto changed = CompleteStep(d, e.in_reply_to(), today, now);
    if (!changed.ok() || !*changed) return absl::OkStatus();
    auto procedure = CatalogueStore::Version(tx, d.procedure_code(), d.procedure_version());
    if (!procedure.has_value()) return absl::InternalError("the dossier's procedure is gone");
    if (auto h = HandOff(tx, d, *procedure, **cal, now); !h.ok()) return h;
    const int64_t version = found->version();
    if (auto u = DossierStore::Update(tx, d, version, now); !u.ok()) return u;
    DossierStore::InsertStepOutcomes(tx, d.code(), NewlyScored(*found, d));
    d.set_version(version + 1);
    new_version = d.version();
    std::string step_name;
    for (const auto& s : d.steps()) {
      if (s.envelope_id() == e.in_reply_to()) {
        step_name = absl::StrCat(s.name(), " (", v1::OutcomeClass_Name(s.outcome()), ")");
      }
    }
    const auto& ev = AddEvent(
        d, now, e.sender_agency_code(), RoleName(Role::kSystem), e.sender_agency_code(), d.state(),
        absl::StrCat("result of step ", step_name, " from ", e.sender_agency_code()));
    change = DossierStore::AppendEvent(tx, d, ev, e.id());
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (change > 0) {
    lookup_.Invalidate(e.correlation_id(), new_version);
    if (on_change_) on_change_(change);
  }
  out.set_code(liaison::v1::ACK_CODE_REGISTERED);
  out.set_receiver_reference(e.correlation_id());
  return out;
}

}  // namespace localgov::dossier
