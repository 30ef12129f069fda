// Petitions: the reception office's figures for an agency and period (GetPetitionStatistics),
// in the shape of the national citizen-reception report: visits and delegations, petitions by
// channel, kind and field, classification outcomes, resolved on time or late, decision
// outcomes, repeats and long-running matters. The breakdowns come from the per-day counts the
// database keeps; overdue and long-running from the open petitions and the matters. And each
// officer's petitions resolved in a year (ListOfficerPetitionRecords; officer_petitions.h).
#include <map>

#include "absl/strings/str_cat.h"
#include "common/agency_code.h"
#include "common/db/transaction.h"
#include "services/petition/matching_store.h"
#include "services/petition/officer_petitions.h"
#include "services/petition/petition_store.h"
#include "services/petition/petitions.h"

namespace localgov::petition {
namespace {

// The longest period one call counts.
constexpr int kMaxPeriodDays = 3660;

template <typename Enum, typename NameOf>
void Breakdown(const std::map<int, int64_t>& counts, NameOf name_of,
               google::protobuf::RepeatedPtrField<v1::StatisticsCount>* out) {
  for (const auto& [value, n] : counts) {
    auto* c = out->Add();
    c->set_key(name_of(static_cast<Enum>(value)));
    c->set_count(n);
  }
}

}  // namespace

absl::StatusOr<v1::GetPetitionStatisticsResponse> Petitions::Statistics(
    const CallContext& call, const v1::GetPetitionStatisticsRequest& r) {
  Validator v;
  const std::string agency = r.agency_code().empty() ? call.access.agency : r.agency_code();
  v.Check(IsValidAgencyCode(agency), "agency_code",
          "must be a national agency code like 000.00.31.H41");
  absl::CivilDay from, to;
  const bool has_from = calendar::ParseDate(r.from_date(), &from);
  const bool has_to = calendar::ParseDate(r.to_date(), &to);
  v.Check(has_from, "from_date", "required: YYYY-MM-DD");
  v.Check(has_to, "to_date", "required: YYYY-MM-DD");
  if (has_from && has_to) {
    v.Check(to >= from, "to_date", "before from_date");
    v.Check(to - from <= kMaxPeriodDays, "to_date", "at most 10 years after from_date");
  }
  if (!v.ok()) return v.status();
  const auto& a = call.access;
  const Answering counted = Resolve(agency);
  const bool allowed =
      a.role == Role::kSystem ||
      ((IsStaff(a.role) || a.role == Role::kInspector || a.role == Role::kAuditor) &&
       SameAgency(counted.agency, a.agency));
  if (!allowed) {
    return absl::PermissionDeniedError(
        "the figures of an agency are for its staff, inspectors and auditors");
  }
  const absl::CivilDay today = calendar::VietnamDay(clock_.Now());
  const std::string open_before = absl::FormatCivilTime(today - matching_.long_running_open_days);
  v1::GetPetitionStatisticsResponse out;
  out.set_agency_code(counted.agency);
  out.set_from_date(absl::FormatCivilTime(from));
  out.set_to_date(absl::FormatCivilTime(to));
  auto st = ReadOnly(db_, "petition_statistics", [&](pqxx::work& tx) -> absl::Status {
    const auto rows =
        MatchingStore::Statistics(tx, counted.answers_for, out.from_date(), out.to_date());
    const auto watch = MatchingStore::WatchCounts(tx, counted.answers_for, out.from_date(),
                                                  out.to_date(), absl::FormatCivilTime(today),
                                                  matching_.long_running_filings, open_before);
    out.set_overdue(watch.overdue);
    out.set_long_running(watch.long_running);
    const auto visits =
        MatchingStore::VisitCounts(tx, counted.answers_for, out.from_date(), out.to_date());
    out.set_visits(visits.visits);
    out.set_delegations(visits.delegations);
    out.set_persons(visits.persons);
    std::map<int, int64_t> channel, kind, field, decision, reason, outcome;
    for (const auto& row : rows) {
      out.set_petitions(out.petitions() + row.count);
      channel[row.channel] += row.count;
      kind[row.kind] += row.count;
      field[row.field] += row.count;
      decision[row.decision] += row.count;
      if (row.state == v1::PETITION_STATE_NOT_PROCESSED)
        reason[row.not_processed_reason] += row.count;
      if (row.state == v1::PETITION_STATE_RESOLVED || row.outcome != 0) {
        outcome[row.outcome] += row.count;
        if (row.on_time == 1) out.set_resolved_on_time(out.resolved_on_time() + row.count);
        if (row.on_time == 0) out.set_resolved_late(out.resolved_late() + row.count);
      }
      if (!IsFinal(static_cast<v1::PetitionState>(row.state))) out.set_open(out.open() + row.count);
      if (row.duplicate) out.set_duplicates(out.duplicates() + row.count);
    }
    Breakdown<v1::PetitionChannel>(
        channel, [](auto e) { return v1::PetitionChannel_Name(e); }, out.mutable_by_channel());
    Breakdown<v1::PetitionKind>(
        kind, [](auto e) { return v1::PetitionKind_Name(e); }, out.mutable_by_kind());
    Breakdown<v1::PetitionField>(
        field, [](auto e) { return v1::PetitionField_Name(e); }, out.mutable_by_field());
    Breakdown<v1::ClassificationDecision>(
        decision, [](auto e) { return v1::ClassificationDecision_Name(e); },
        out.mutable_by_classification());
    Breakdown<v1::NotProcessedReason>(
        reason, [](auto e) { return v1::NotProcessedReason_Name(e); },
        out.mutable_by_not_processed_reason());
    Breakdown<v1::Outcome>(
        outcome, [](auto e) { return v1::Outcome_Name(e); }, out.mutable_by_outcome());
    return absl::OkStatus();
  });
  if (!st.ok()) return st.status();
  if (!st->ok()) return *st;
  return out;
}

absl::StatusOr<v1::ListOfficerPetitionRecordsResponse> Petitions::OfficerRecords(
    const CallContext& call, const v1::ListOfficerPetitionRecordsRequest& r) {
  Validator v;
  const std::string agency = r.agency_code().empty() ? call.access.agency : r.agency_code();
  v.Check(IsValidAgencyCode(agency), "agency_code",
          "must be a national agency code like 000.00.31.H41");
  v.Check(r.year() >= 2000 && r.year() <= 2100, "year", "must be a year from 2000 to 2100");
  if (!v.ok()) return v.status();
  const auto& a = call.access;
  const Answering counted = Resolve(agency);
  const bool allowed =
      a.role == Role::kSystem ||
      ((a.role == Role::kLeader || a.role == Role::kInspector || a.role == Role::kAuditor) &&
       SameAgency(counted.agency, a.agency));
  if (!allowed) {
    return absl::PermissionDeniedError(
        "officers' records are for the agency's leaders, inspectors and auditors");
  }
  const absl::Time since = calendar::WorkingCalendar::StartOf(absl::CivilDay(r.year(), 1, 1));
  auto read = ReadOnly(db_, "officer_petition_records", [&](pqxx::work& tx) {
    return PetitionStore::ResolvedSince(tx, counted.answers_for, since);
  });
  if (!read.ok()) return read.status();
  std::map<std::string, OfficerPetitionTally> tallies;
  for (const auto& p : *read) {
    AddToOfficerPetitionTallies(p, r.year(), counted.answers_for, tallies);
  }
  v1::ListOfficerPetitionRecordsResponse out;
  out.set_agency_code(counted.agency);
  out.set_year(r.year());
  for (const auto& [subject, t] : tallies) {
    auto* o = out.add_records();
    o->set_subject(subject);
    o->set_resolved(t.resolved);
    o->set_on_time(t.on_time);
    o->set_late(t.late);
  }
  return out;
}

}  // namespace localgov::petition
