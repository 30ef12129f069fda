// Dossiers: service quality. RateDossier (the applicant rates a returned dossier, once) and
// GetAgencyStatistics (an agency's figures over a period, the ratings among them, and its
// Decision 766 service index; the weights and the index are quality.h's), and ListOfficerRecords
// (each officer's one-stop record for a year; the rule is officer_record.h's).
#include "services/dossier/dossiers.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/agency_code.h"
#include "common/audit.h"
#include "common/db/transaction.h"
#include "services/dossier/convert.h"
#include "services/dossier/dossier_store.h"
#include "services/dossier/dossiers_internal.h"
#include "services/dossier/officer_record.h"

namespace localgov::dossier {

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

absl::StatusOr<v1::ListOfficerRecordsResponse> Dossiers::OfficerRecords(
    const CallContext& call, const v1::ListOfficerRecordsRequest& r) {
  Validator v;
  const auto& a = call.access;
  const std::string agency = r.agency_code().empty() ? a.agency : r.agency_code();
  v.Check(IsValidAgencyCode(agency), "agency_code", "must be a national agency code");
  v.Check(r.year() >= 2000 && r.year() <= 2100, "year", "must be a year from 2000 to 2100");
  if (!v.ok()) return v.status();
  // A record of named officers: their own agency's leaders, and those who inspect or evaluate.
  if (a.role == Role::kCitizen || a.role == Role::kOfficer) {
    return absl::PermissionDeniedError("officers' records are for leaders, inspectors, auditors");
  }
  if (a.role == Role::kLeader && !SameAgency(agency, a.agency)) {
    return absl::PermissionDeniedError("leaders see their own agency's officers only");
  }
  const std::vector<std::string> agencies = Resolve(agency).answers_for;
  const absl::Time start = calendar::WorkingCalendar::StartOf(absl::CivilDay(r.year(), 1, 1));
  const absl::Time end = calendar::WorkingCalendar::EndOf(absl::CivilDay(r.year(), 12, 31));
  std::vector<v1::Dossier> dossiers;
  auto st = RunInTransaction(
      db_, "officer_records",
      [&](pqxx::work& tx) -> absl::Status {
        dossiers = DossierStore::StaffEventsIn(tx, agencies, start, end);
        return absl::OkStatus();
      },
      TxOptions{.isolation = Isolation::kRepeatableRead, .read_only = true});
  if (!st.ok()) return st;
  std::map<std::string, OfficerTally> tallies;
  for (const auto& d : dossiers) AddToOfficerTallies(d, r.year(), agencies, tallies);
  v1::ListOfficerRecordsResponse out;
  out.set_agency_code(agency);
  out.set_year(r.year());
  for (const auto& [subject, t] : tallies) {
    auto* o = out.add_records();
    o->set_subject(subject);
    o->set_steps_handled(t.steps_handled);
    o->set_results(t.results);
    o->set_early(t.early);
    o->set_on_time(t.on_time);
    o->set_late(t.late);
    o->set_late_without_apology(t.late_without_apology);
  }
  return out;
}

}  // namespace localgov::dossier
