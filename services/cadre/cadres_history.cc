// Cadres: the bitemporal history — assignments, ranks, corrections, history and rosters.
#include <algorithm>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "common/page_token.h"
#include "google/protobuf/util/time_util.h"
#include "services/cadre/cadre_store_due.h"
#include "services/cadre/cadre_store_merger.h"
#include "services/cadre/cadres.h"
#include "services/cadre/cadres_internal.h"

namespace localgov::cadre {
namespace {

constexpr int kDefaultRosterPage = 500;
constexpr int kMaxRosterPage = 1000;

AuditEntry Audit(const CallContext& call, std::string action, int64_t person, std::string change) {
  return {call.access.subject,
          std::string(RoleName(call.access.role)),
          call.access.agency,
          absl::StrCat("cadre.", action),
          "person",
          absl::StrCat(person),
          call.request_id,
          std::move(change)};
}

std::optional<absl::CivilDay> Until(const v1::HistoryRecord& r) {
  if (r.valid_until().empty()) return std::nullopt;
  return ParseDay(r.valid_until());
}

// Whether [a_from, a_until) and [b_from, b_until) share a day (nullopt until: open).
bool Overlap(absl::CivilDay a_from, std::optional<absl::CivilDay> a_until, absl::CivilDay b_from,
             std::optional<absl::CivilDay> b_until) {
  return (!b_until.has_value() || a_from < *b_until) && (!a_until.has_value() || b_from < *a_until);
}

// A one-line description of a record for the audit digest: no personal data.
std::string Describe(const v1::HistoryRecord& r) {
  if (r.kind() == v1::RECORD_KIND_ASSIGNMENT) {
    return absl::StrCat("assignment ", r.record_id(), " ", v1::Movement_Name(r.movement()), " ",
                        r.position_code(), " [", r.valid_from(), ",", r.valid_until(), ")");
  }
  return absl::StrCat("rank ", r.record_id(), " ", v1::Rank_Name(r.rank()), " ", r.grade_code(),
                      " step ", r.step(), " x", r.coefficient_x100(), " [", r.valid_from(), ",",
                      r.valid_until(), ")");
}

// The checks of an assignment's fields that need no database: `prefix` names the fields
// ("" for RecordAssignment, "corrected." for CorrectHistory). Fills term_end for appointments.
void CheckAssignment(Validator& v, const CadreRuleBook& book, const std::string& prefix,
                     v1::HistoryRecord& r) {
  v.Check(!r.position_code().empty() && r.position_code().size() <= 64, prefix + "position_code",
          "required");
  v.Check(r.movement() != v1::MOVEMENT_UNSPECIFIED, prefix + "movement", "required");
  const auto from = ParseDay(r.valid_from());
  v.Check(from.has_value(), prefix + "valid_from", "required: a day YYYY-MM-DD");
  std::optional<absl::CivilDay> until;
  if (!r.valid_until().empty()) {
    until = ParseDay(r.valid_until());
    if (v.Check(until.has_value(), prefix + "valid_until", "must be a day YYYY-MM-DD") &&
        from.has_value()) {
      v.Check(*until > *from, prefix + "valid_until", "must be after valid_from");
    }
  }
  if (!from.has_value()) return;
  const CadreRules& rules = book.InForceOn(*from);
  const bool bad_until = !r.valid_until().empty() && (!until.has_value() || *until <= *from);
  switch (r.movement()) {
    case v1::MOVEMENT_ROTATION:
      if (v.Check(!r.valid_until().empty(), prefix + "valid_until", "required for a rotation") &&
          !bad_until) {
        v.Check(
            RotationLongEnough(rules, *from, *until), prefix + "valid_until",
            absl::StrCat("a rotation lasts at least ", rules.rotation_min_months, " months (until ",
                         FormatDay(AddMonths(*from, rules.rotation_min_months)), " or later)"));
      }
      break;
    case v1::MOVEMENT_SECONDMENT:
      v.Check(!r.valid_until().empty(), prefix + "valid_until", "required for a secondment");
      break;
    case v1::MOVEMENT_APPOINTMENT:
    case v1::MOVEMENT_REAPPOINTMENT: {
      const absl::CivilDay end = LeadershipTermEnd(rules, *from);
      r.set_term_end_date(FormatDay(end));
      if (r.valid_until().empty()) {
        r.set_valid_until(FormatDay(end));
      } else if (!bad_until) {
        v.Check(*until <= end, prefix + "valid_until",
                absl::StrCat("an appointment's term is ", rules.leadership_term_months,
                             " months: it ends by ", FormatDay(end)));
      }
      break;
    }
    default:
      break;
  }
}

void CheckRank(Validator& v, const std::string& prefix, const v1::HistoryRecord& r) {
  v.Check(r.rank() != v1::RANK_UNSPECIFIED, prefix + "rank", "required");
  v.Check(!r.grade_code().empty() && r.grade_code().size() <= 16, prefix + "grade_code",
          "required, e.g. 01.003");
  v.Check(r.step() >= 1 && r.step() <= 12, prefix + "step", "must be 1..12");
  v.Check(r.coefficient_x100() >= 100 && r.coefficient_x100() <= 1000, prefix + "coefficient_x100",
          "must be 100..1000 (a coefficient of 1.00..10.00)");
  const auto from = ParseDay(r.valid_from());
  v.Check(from.has_value(), prefix + "valid_from", "required: a day YYYY-MM-DD");
  if (!r.valid_until().empty()) {
    const auto until = ParseDay(r.valid_until());
    if (v.Check(until.has_value(), prefix + "valid_until", "must be a day YYYY-MM-DD") &&
        from.has_value()) {
      v.Check(*until > *from, prefix + "valid_until", "must be after valid_from");
    }
  }
}

}  // namespace

absl::Status Cadres::Append(pqxx::work& tx, int64_t person, v1::HistoryRecord& record,
                            absl::Time now) {
  const absl::CivilDay from = *ParseDay(record.valid_from());
  for (auto& cur : CadreStore::CurrentRecords(tx, person, record.kind())) {
    const absl::CivilDay cur_from = *ParseDay(cur.record.valid_from());
    if (cur_from >= from) {
      return absl::FailedPreconditionError(absl::StrCat(
          "record ", cur.record.record_id(), " of this person starts on ", cur.record.valid_from(),
          ", on or after ", record.valid_from(), ": correct it (CorrectHistory) instead"));
    }
    const auto cur_until = Until(cur.record);
    if (!cur_until.has_value() || *cur_until > from) {
      // The record open on the new one's first day ends then: a new version of it, the old
      // one kept as what was known until now.
      CadreStore::Supersede(tx, cur.version_id, now);
      v1::HistoryRecord ended = cur.record;
      ended.set_valid_until(record.valid_from());
      ended.set_change_kind(v1::CHANGE_KIND_ENDED_BY_NEXT);
      ended.set_recorded_by(record.recorded_by());
      CadreStore::InsertVersion(tx, person, ended, now);
    }
  }
  record.set_record_id(CadreStore::InsertVersion(tx, person, record, now));
  return absl::OkStatus();
}

absl::StatusOr<v1::RecordAssignmentResponse> Cadres::RecordAssignment(
    const CallContext& call, const v1::RecordAssignmentRequest& request) {
  Validator v;
  v.Check(request.person_id() > 0, "person_id", "required");
  v.Check(request.expected_version() > 0, "expected_version", "required: the version last read");
  v1::HistoryRecord rec;
  rec.set_kind(v1::RECORD_KIND_ASSIGNMENT);
  rec.set_position_code(request.position_code());
  rec.set_movement(request.movement());
  rec.set_valid_from(request.valid_from());
  rec.set_valid_until(request.valid_until());
  rec.set_reason(request.reason());
  rec.set_change_kind(v1::CHANGE_KIND_CHANGE);
  rec.set_recorded_by(call.access.subject);
  CheckAssignment(v, rules_, "", rec);
  ValidateOptionalRequestId(v, "request_id", request.request_id());
  if (!v.ok()) return v.status();
  const IdempotencyKey key = internal::ChangeKey(call, request);
  const absl::Time now = clock_.Now();
  v1::RecordAssignmentResponse resp;
  auto st = RunInTransaction(db_, "cadre_record_assignment", [&](pqxx::work& tx) -> absl::Status {
    auto p = CadreStore::FindPerson(tx, request.person_id(), true);
    if (!p.has_value()) return absl::NotFoundError("person not found");
    auto pos = CadreStore::FindPosition(tx, request.position_code(), true);
    if (!pos.has_value()) {
      return absl::NotFoundError(absl::StrCat("position ", request.position_code(), " not found"));
    }
    auto unit = CadreStore::FindUnit(tx, pos->unit_code());
    if (!unit.has_value()) return absl::InternalError("a position's unit is gone");
    const auto graph_ptr = Graph(tx);
    const AgencyGraph& graph = *graph_ptr;
    if (auto st = Authorise(call.access, graph, unit->agency_code()); !st.ok()) return st;
    if (request.movement() != v1::MOVEMENT_TRANSFER) {
      if (auto st = AuthorisePerson(tx, call.access, graph, *p); !st.ok()) return st;
    }
    auto replayed = ReplayStoredAnswer(tx, key, resp);
    if (!replayed.ok()) return replayed.status();
    if (*replayed) return absl::OkStatus();
    if (p->version() != request.expected_version()) {
      return absl::AbortedError(absl::StrCat("the person is at version ", p->version(), ", not ",
                                             request.expected_version(), "; read it again"));
    }
    const bool appointment = request.movement() == v1::MOVEMENT_APPOINTMENT ||
                             request.movement() == v1::MOVEMENT_REAPPOINTMENT;
    if (appointment != pos->leadership()) {
      return absl::FailedPreconditionError(
          appointment ? "only a leadership position is held by appointment"
                      : "a leadership position is held by appointment (MOVEMENT_APPOINTMENT)");
    }
    const absl::CivilDay from = *ParseDay(rec.valid_from());
    if (appointment) {
      // Decree 172/2025: while a discipline decision has effect, appointments wait.
      if (auto d = CadreDueStore::InEffect(tx, p->id(), from)) {
        return absl::FailedPreconditionError(
            absl::StrCat("a discipline decision (", d->decision_number(), ") has effect until ",
                         d->effect_until(), ": an appointment waits until then"));
      }
    }
    if (request.movement() == v1::MOVEMENT_REAPPOINTMENT) {
      auto before = CadreStore::RecordAsOf(tx, p->id(), v1::RECORD_KIND_ASSIGNMENT,
                                           AsOf{from - 1, std::nullopt});
      if (!before.has_value() || before->position_code() != pos->code()) {
        return absl::FailedPreconditionError(
            "a re-appointment follows a term in the same position the day before");
      }
    }
    if (CadreStore::MostOtherHolders(tx, pos->code(), p->id(), from, Until(rec)) + 1 >
        pos->max_holders()) {
      return absl::FailedPreconditionError(
          absl::StrCat("position ", pos->code(), " has ", pos->max_holders(),
                       " holder(s) at most, and they are taken for some of those days"));
    }
    rec.set_unit_code(unit->code());
    rec.set_agency_code(unit->agency_code());
    rec.set_position_name(pos->name());
    if (auto st = Append(tx, p->id(), rec, now); !st.ok()) return st;
    // The person's managing agency follows the position once the assignment is in force.
    const bool in_force = from <= Today();
    CadreStore::BumpVersion(tx, p->id(), p->version(), in_force ? unit->agency_code() : "");
    if (!in_force) {
      // An earlier transfer may have come into force since it was recorded.
      if (auto now = CadreStore::RecordAsOf(tx, p->id(), v1::RECORD_KIND_ASSIGNMENT,
                                            AsOf{Today(), std::nullopt})) {
        CadreStore::SetAgency(tx, p->id(), now->agency_code());
      }
    }
    *resp.mutable_record() = rec;
    *resp.mutable_record()->mutable_recorded_from() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
    auto after = CadreStore::FindPerson(tx, p->id(), false);
    *resp.mutable_person() = Assemble(tx, *after, AsOf{Today(), std::nullopt});
    StoreOptionalIdempotentResponse(tx, key, resp.SerializeAsString());
    return AppendAudit(tx, Audit(call, "RecordAssignment", p->id(), Describe(rec)), now);
  });
  if (!st.ok()) return st;
  return resp;
}

absl::StatusOr<v1::RecordRankResponse> Cadres::RecordRank(const CallContext& call,
                                                          const v1::RecordRankRequest& request) {
  Validator v;
  v.Check(request.person_id() > 0, "person_id", "required");
  v.Check(request.expected_version() > 0, "expected_version", "required: the version last read");
  v1::HistoryRecord rec;
  rec.set_kind(v1::RECORD_KIND_RANK);
  rec.set_rank(request.rank());
  rec.set_grade_code(request.grade_code());
  rec.set_step(request.step());
  rec.set_coefficient_x100(request.coefficient_x100());
  rec.set_valid_from(request.valid_from());
  rec.set_reason(request.reason());
  rec.set_change_kind(v1::CHANGE_KIND_CHANGE);
  rec.set_recorded_by(call.access.subject);
  CheckRank(v, "", rec);
  ValidateOptionalRequestId(v, "request_id", request.request_id());
  if (!v.ok()) return v.status();
  const IdempotencyKey key = internal::ChangeKey(call, request);
  const absl::Time now = clock_.Now();
  v1::RecordRankResponse resp;
  auto st = RunInTransaction(db_, "cadre_record_rank", [&](pqxx::work& tx) -> absl::Status {
    auto p = CadreStore::FindPerson(tx, request.person_id(), true);
    if (!p.has_value()) return absl::NotFoundError("person not found");
    if (auto st = AuthorisePerson(tx, call.access, *Graph(tx), *p); !st.ok()) {
      return st;
    }
    auto replayed = ReplayStoredAnswer(tx, key, resp);
    if (!replayed.ok()) return replayed.status();
    if (*replayed) return absl::OkStatus();
    if (p->version() != request.expected_version()) {
      return absl::AbortedError(absl::StrCat("the person is at version ", p->version(), ", not ",
                                             request.expected_version(), "; read it again"));
    }
    // Decree 172/2025: while a discipline decision has effect, a raise (a higher coefficient
    // than the rank in force the day before) waits.
    const absl::CivilDay from = *ParseDay(rec.valid_from());
    auto before =
        CadreStore::RecordAsOf(tx, p->id(), v1::RECORD_KIND_RANK, AsOf{from - 1, std::nullopt});
    if (before.has_value() && rec.coefficient_x100() > before->coefficient_x100()) {
      if (auto d = CadreDueStore::InEffect(tx, p->id(), from)) {
        return absl::FailedPreconditionError(
            absl::StrCat("a discipline decision (", d->decision_number(), ") has effect until ",
                         d->effect_until(), ": a raise waits until then"));
      }
    }
    if (auto st = Append(tx, p->id(), rec, now); !st.ok()) return st;
    CadreStore::BumpVersion(tx, p->id(), p->version(), "");
    *resp.mutable_record() = rec;
    auto after = CadreStore::FindPerson(tx, p->id(), false);
    *resp.mutable_person() = Assemble(tx, *after, AsOf{Today(), std::nullopt});
    StoreOptionalIdempotentResponse(tx, key, resp.SerializeAsString());
    return AppendAudit(tx, Audit(call, "RecordRank", p->id(), Describe(rec)), now);
  });
  if (!st.ok()) return st;
  return resp;
}

absl::StatusOr<v1::CorrectHistoryResponse> Cadres::CorrectHistory(
    const CallContext& call, const v1::CorrectHistoryRequest& request) {
  Validator v;
  v.Check(request.person_id() > 0, "person_id", "required");
  v.Check(request.expected_version() > 0, "expected_version", "required: the version last read");
  v.Check(request.record_id() > 0, "record_id", "required");
  v.Check(!request.reason().empty(), "reason", "required: the decision or the error found");
  v.Check(request.has_corrected(), "corrected", "required: the record as it should have been");
  ValidateOptionalRequestId(v, "request_id", request.request_id());
  if (!v.ok()) return v.status();
  const IdempotencyKey key = internal::ChangeKey(call, request);
  const absl::Time now = clock_.Now();
  v1::CorrectHistoryResponse resp;
  auto st = RunInTransaction(db_, "cadre_correct_history", [&](pqxx::work& tx) -> absl::Status {
    auto p = CadreStore::FindPerson(tx, request.person_id(), true);
    if (!p.has_value()) return absl::NotFoundError("person not found");
    const auto graph_ptr = Graph(tx);
    const AgencyGraph& graph = *graph_ptr;
    if (auto st = AuthorisePerson(tx, call.access, graph, *p); !st.ok()) return st;
    auto replayed = ReplayStoredAnswer(tx, key, resp);
    if (!replayed.ok()) return replayed.status();
    if (*replayed) return absl::OkStatus();
    auto cur = CadreStore::CurrentVersion(tx, request.record_id());
    if (!cur.has_value() || cur->person_id != p->id()) {
      return absl::NotFoundError(
          absl::StrCat("record ", request.record_id(), " of this person not found"));
    }
    // The corrected record: the stored one with the fields the kind allows replaced.
    const auto& c = request.corrected();
    v1::HistoryRecord rec = cur->record;
    rec.clear_recorded_from();
    rec.clear_recorded_until();
    rec.set_valid_from(c.valid_from());
    rec.set_valid_until(c.valid_until());
    rec.set_change_kind(v1::CHANGE_KIND_CORRECTION);
    rec.set_reason(request.reason());
    rec.set_recorded_by(call.access.subject);
    Validator fv;
    if (rec.kind() == v1::RECORD_KIND_ASSIGNMENT) {
      rec.set_position_code(c.position_code());
      rec.set_movement(c.movement());
      rec.clear_term_end_date();
      CheckAssignment(fv, rules_, "corrected.", rec);
    } else {
      rec.set_rank(c.rank());
      rec.set_grade_code(c.grade_code());
      rec.set_step(c.step());
      rec.set_coefficient_x100(c.coefficient_x100());
      CheckRank(fv, "corrected.", rec);
    }
    if (!fv.ok()) return fv.status();
    if (p->version() != request.expected_version()) {
      return absl::AbortedError(absl::StrCat("the person is at version ", p->version(), ", not ",
                                             request.expected_version(), "; read it again"));
    }
    const absl::CivilDay from = *ParseDay(rec.valid_from());
    const auto until = Until(rec);
    for (const auto& other : CadreStore::CurrentRecords(tx, p->id(), rec.kind())) {
      if (other.record.record_id() == rec.record_id()) continue;
      if (Overlap(from, until, *ParseDay(other.record.valid_from()), Until(other.record))) {
        return absl::FailedPreconditionError(
            absl::StrCat("the corrected record would overlap record ", other.record.record_id(),
                         " [", other.record.valid_from(), ",", other.record.valid_until(),
                         "): correct that one first"));
      }
    }
    if (rec.kind() == v1::RECORD_KIND_ASSIGNMENT) {
      auto pos = CadreStore::FindPosition(tx, rec.position_code(), true);
      if (!pos.has_value()) {
        return absl::NotFoundError(absl::StrCat("position ", rec.position_code(), " not found"));
      }
      auto unit = CadreStore::FindUnit(tx, pos->unit_code());
      if (!unit.has_value()) return absl::InternalError("a position's unit is gone");
      if (auto st = Authorise(call.access, graph, unit->agency_code()); !st.ok()) return st;
      const bool appointment = rec.movement() == v1::MOVEMENT_APPOINTMENT ||
                               rec.movement() == v1::MOVEMENT_REAPPOINTMENT;
      if (appointment != pos->leadership()) {
        return absl::FailedPreconditionError(
            "a leadership position is held by appointment, and only it");
      }
      if (CadreStore::MostOtherHolders(tx, pos->code(), p->id(), from, until) + 1 >
          pos->max_holders()) {
        return absl::FailedPreconditionError(
            absl::StrCat("position ", pos->code(), " has ", pos->max_holders(),
                         " holder(s) at most, and they are taken for some of those days"));
      }
      rec.set_unit_code(unit->code());
      rec.set_agency_code(unit->agency_code());
      rec.set_position_name(pos->name());
    }
    CadreStore::Supersede(tx, cur->version_id, now);
    CadreStore::InsertVersion(tx, p->id(), rec, now);
    CadreStore::BumpVersion(tx, p->id(), p->version(), "");
    *resp.mutable_record() = rec;
    *resp.mutable_record()->mutable_recorded_from() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
    auto after = CadreStore::FindPerson(tx, p->id(), false);
    *resp.mutable_person() = Assemble(tx, *after, AsOf{Today(), std::nullopt});
    StoreOptionalIdempotentResponse(tx, key, resp.SerializeAsString());
    return AppendAudit(
        tx,
        Audit(call, "CorrectHistory", p->id(),
              absl::StrCat("correction: ", Describe(cur->record), " -> ", Describe(rec))),
        now);
  });
  if (!st.ok()) return st;
  return resp;
}

absl::StatusOr<v1::GetPersonHistoryResponse> Cadres::GetPersonHistory(
    const CallContext& call, const v1::GetPersonHistoryRequest& request) {
  Validator v;
  v.Check(request.person_id() > 0, "person_id", "required");
  if (!v.ok()) return v.status();
  const auto not_found = absl::NotFoundError("person not found");
  auto out =
      ReadOnly(db_, "cadre_person_history",
               [&](pqxx::work& tx) -> absl::StatusOr<v1::GetPersonHistoryResponse> {
                 auto p = CadreStore::FindPerson(tx, request.person_id(), false);
                 if (!p.has_value()) return not_found;
                 if (p->citizen_id() != call.access.subject) {
                   if (auto st = AuthorisePerson(tx, call.access, *Graph(tx), *p); !st.ok()) {
                     if (call.access.role == Role::kCitizen) return not_found;
                     return st;
                   }
                 }
                 v1::GetPersonHistoryResponse resp;
                 *resp.mutable_person() = Assemble(tx, *p, AsOf{Today(), std::nullopt});
                 for (auto& r : CadreStore::History(tx, p->id()))
                   *resp.add_records() = std::move(r);
                 return resp;
               });
  if (!out.ok()) return out.status();
  return std::move(*out);
}

absl::StatusOr<v1::GetRosterResponse> Cadres::GetRoster(const CallContext& call,
                                                        const v1::GetRosterRequest& request) {
  Validator v;
  v.Check(request.unit_code().empty() != request.agency_code().empty(), "unit_code",
          "one of unit_code and agency_code is required");
  const AsOf as_of =
      ReadAsOf(v, request.as_of(), request.has_known_at() ? &request.known_at() : nullptr);
  v.Check(request.page_size() >= 0 && request.page_size() <= kMaxRosterPage, "page_size",
          absl::StrCat("must be 0..", kMaxRosterPage));
  const int limit =
      request.page_size() == 0 ? kDefaultRosterPage : std::min(request.page_size(), kMaxRosterPage);
  int64_t after = 0;
  if (!request.page_token().empty()) {
    auto body = DecodePageToken(request.page_token(), "cr1:");
    v.Check(body.has_value() && absl::SimpleAtoi(*body, &after), "page_token",
            "not a token of this roster");
  }
  if (!v.ok()) return v.status();
  auto out =
      ReadOnly(db_, "cadre_roster", [&](pqxx::work& tx) -> absl::StatusOr<v1::GetRosterResponse> {
        const auto graph_ptr = Graph(tx);
        const AgencyGraph& graph = *graph_ptr;
        RosterFilter f;
        f.as_of = as_of;
        f.after_person = after;
        f.limit = limit + 1;
        std::string moved_to;
        if (!request.unit_code().empty()) {
          // An old unit code answers, from its merger's day, with the successor's unit.
          moved_to = CadreMergerStore::MovedTo(tx, request.unit_code(), as_of.day).value_or("");
          auto unit = CadreStore::FindUnit(tx, moved_to.empty() ? request.unit_code() : moved_to);
          if (!unit.has_value()) {
            return absl::NotFoundError(absl::StrCat("unit ", request.unit_code(), " not found"));
          }
          if (auto st = Authorise(call.access, graph, unit->agency_code()); !st.ok()) return st;
          f.unit_codes = {unit->code()};
        } else {
          if (!graph.contains(request.agency_code())) {
            return absl::NotFoundError(
                absl::StrCat("agency ", request.agency_code(), " not found"));
          }
          if (auto st = Authorise(call.access, graph, request.agency_code()); !st.ok()) return st;
          f.agency_codes = AnsweredBy(graph, request.agency_code(), Today());
        }
        auto rows = CadreStore::Roster(tx, CadreStore::RosterQuery(f));
        v1::GetRosterResponse resp;
        resp.set_as_of(FormatDay(as_of.day));
        resp.set_moved_to_unit_code(moved_to);
        if (static_cast<int>(rows.size()) > limit) {
          rows.resize(limit);
          resp.set_next_page_token(EncodePageToken("cr1:", absl::StrCat(rows.back().person_id)));
        }
        for (auto& r : rows) {
          auto* e = resp.add_entries();
          r.person.set_citizen_id(MaskCitizenId(r.person.citizen_id()));
          *e->mutable_person() = std::move(r.person);
          *e->mutable_assignment() = std::move(r.assignment);
          if (r.rank.has_value()) *e->mutable_rank() = std::move(*r.rank);
        }
        return resp;
      });
  if (!out.ok()) return out.status();
  return std::move(*out);
}

}  // namespace localgov::cadre
