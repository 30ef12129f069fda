// Receptions: voters' recommendations (kiến nghị cử tri) collected at a People's Council's
// voters' meeting, grouped, assigned to an agency with a deadline, answered, reported back.
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/agency_code.h"
#include "common/audit.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "google/protobuf/util/time_util.h"
#include "services/petition/reception_store.h"
#include "services/petition/receptions.h"

namespace localgov::petition {
namespace {

using google::protobuf::util::TimeUtil;
using Rec = v1::VoterRecommendation;

}  // namespace

absl::StatusOr<v1::VoterSession> Receptions::CreateVoterSession(
    const CallContext& call, const v1::CreateVoterSessionRequest& r) {
  Validator v;
  ValidateRequestId(v, "request_id", r.request_id());
  const std::string agency = r.agency_code().empty() ? call.access.agency : r.agency_code();
  v.Check(IsValidAgencyCode(agency), "agency_code", "must be a national agency code");
  v.Check(!r.council().empty(), "council", "required (e.g. HĐND xã Hòa Phú)");
  v.Check(r.term() >= 1946 && r.term() <= 2100, "term", "the year the council's term began");
  absl::CivilDay held, meeting;
  const absl::CivilDay today = calendar::VietnamDay(petitions_.clock().Now());
  if (v.Check(calendar::ParseDate(r.held_date(), &held), "held_date", "must be YYYY-MM-DD")) {
    v.Check(held <= today, "held_date", "a meeting held, not planned");
  }
  v.Check(calendar::ParseDate(r.meeting_date(), &meeting), "meeting_date", "must be YYYY-MM-DD");
  if (!v.ok()) return v.status();
  if (!ActsFor(call, agency)) {
    return absl::PermissionDeniedError("only the council agency's officers and leaders");
  }
  const std::string digest = Sha256Hex(r.SerializeAsString());
  const absl::Time now = petitions_.clock().Now();
  return CreateOnce<v1::VoterSession>(
      db_, call, r.request_id(), digest, "voter_session", now,
      [&](pqxx::work& tx, v1::VoterSession& out) {
        const int n =
            ReceptionStore::NextNumber(tx, agency, absl::StrCat("voters-", r.held_date()));
        out.set_id(absl::StrFormat("%s-TXCT-%04d%02d%02d-%d", agency, held.year(), held.month(),
                                   held.day(), n));
        out.set_agency_code(agency);
        out.set_council(r.council());
        out.set_term(r.term());
        out.set_meeting_date(r.meeting_date());
        out.set_held_date(r.held_date());
        out.set_place(r.place());
        out.set_recorded_by(call.access.subject);
        *out.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
        ReceptionStore::InsertVoterSession(tx, out, now);
        return absl::OkStatus();
      });
}

absl::StatusOr<Rec> Receptions::AddRecommendation(const CallContext& call,
                                                  const v1::AddVoterRecommendationRequest& r) {
  Validator v;
  ValidateRequestId(v, "request_id", r.request_id());
  v.Check(!r.session_id().empty(), "session_id", "required");
  v.Check(!r.group().empty(), "group", "required: the recommendations' group (e.g. Giao thông)");
  v.Check(!r.content().empty(), "content", "required");
  v.Check(v1::PetitionField_IsValid(r.field()), "field", "a petition field");
  v.Check(r.voter_count() >= 0, "voter_count", "not negative");
  if (!v.ok()) return v.status();
  const std::string digest = Sha256Hex(r.SerializeAsString());
  const absl::Time now = petitions_.clock().Now();
  return CreateOnce<Rec>(
      db_, call, r.request_id(), digest, "voter_recommendation", now,
      [&](pqxx::work& tx, Rec& out) -> absl::Status {
        auto session = ReceptionStore::FindVoterSession(tx, r.session_id());
        if (!session.has_value() || !ReadsFor(call, session->agency_code())) {
          return absl::NotFoundError("no such voters' meeting of your agency");
        }
        if (!ActsFor(call, session->agency_code())) {
          return absl::PermissionDeniedError("only the council agency's officers and leaders");
        }
        const int n = ReceptionStore::NextNumber(tx, session->agency_code(),
                                                 "recommendation-" + session->id());
        out.set_id(absl::StrCat(session->id(), "-", n));
        out.set_session_id(session->id());
        out.set_council_agency(session->agency_code());
        out.set_group(r.group());
        out.set_content(r.content());
        out.set_field(r.field());
        out.set_voter_count(r.voter_count());
        out.set_state(v1::VOTER_RECOMMENDATION_STATE_COLLECTED);
        out.set_version(1);
        *out.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
        ReceptionStore::InsertRecommendation(tx, out, n, now);
        return absl::OkStatus();
      });
}

namespace {

// One versioned transition of a recommendation: found, `who_acts(rec)` may act, `apply`
// changes it (FAILED_PRECONDITION when its state does not allow), stored at
// expected_version + 1, audited.
template <typename Apply, typename MayAct>
absl::StatusOr<Rec> Transition(PgPool& db, const CallContext& call, const std::string& id,
                               int64_t expected_version, absl::Time now, MayAct may_act,
                               Apply apply) {
  Rec out;
  auto st = RunInTransaction(db, "voter_recommendation_transition", [&](pqxx::work& tx) {
    auto found = ReceptionStore::FindRecommendation(tx, id);
    if (!found.has_value() ||
        (!ReadsFor(call, found->council_agency()) && !ReadsFor(call, found->assigned_agency()))) {
      return absl::NotFoundError("no such voter recommendation you may see");
    }
    if (auto a = may_act(*found); !a.ok()) return a;
    if (found->version() != expected_version) {
      return absl::AbortedError(absl::StrCat("voter recommendation ", id, " is at version ",
                                             found->version(), ", not ", expected_version,
                                             "; read it again"));
    }
    Rec r = *found;
    if (auto a = apply(r); !a.ok()) return a;
    *r.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
    if (auto u = ReceptionStore::UpdateRecommendation(tx, r, expected_version, now); !u.ok()) {
      return u;
    }
    r.set_version(expected_version + 1);
    if (auto a = AuditReception(tx, call, "voter_recommendation", id, r.SerializeAsString(), now);
        !a.ok()) {
      return a;
    }
    out = std::move(r);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

absl::Status Council(const CallContext& call, const Rec& r) {
  return ActsFor(call, r.council_agency())
             ? absl::OkStatus()
             : absl::PermissionDeniedError("only the council agency's officers and leaders");
}

}  // namespace

absl::StatusOr<Rec> Receptions::Assign(const CallContext& call,
                                       const v1::AssignVoterRecommendationRequest& r) {
  Validator v;
  v.Check(!r.id().empty(), "id", "required");
  v.Check(r.expected_version() > 0, "expected_version", "required");
  v.Check(IsValidAgencyCode(r.agency_code()), "agency_code", "the agency that answers");
  const absl::Time now = petitions_.clock().Now();
  // A past due date is allowed: an assignment recorded after the fact keeps its deadline.
  absl::CivilDay due;
  v.Check(calendar::ParseDate(r.due_date(), &due), "due_date", "must be YYYY-MM-DD");
  if (!v.ok()) return v.status();
  return Transition(
      db_, call, r.id(), r.expected_version(), now, [&](const Rec& x) { return Council(call, x); },
      [&](Rec& x) -> absl::Status {
        if (x.state() != v1::VOTER_RECOMMENDATION_STATE_COLLECTED &&
            x.state() != v1::VOTER_RECOMMENDATION_STATE_ASSIGNED) {
          return absl::FailedPreconditionError("already answered: it cannot be assigned again");
        }
        x.set_state(v1::VOTER_RECOMMENDATION_STATE_ASSIGNED);
        x.set_assigned_agency(r.agency_code());
        x.set_due_date(r.due_date());
        return absl::OkStatus();
      });
}

absl::StatusOr<Rec> Receptions::Answer(const CallContext& call,
                                       const v1::AnswerVoterRecommendationRequest& r) {
  Validator v;
  v.Check(!r.id().empty(), "id", "required");
  v.Check(r.expected_version() > 0, "expected_version", "required");
  v.Check(!r.answer().empty(), "answer", "required");
  if (!v.ok()) return v.status();
  const absl::Time now = petitions_.clock().Now();
  return Transition(
      db_, call, r.id(), r.expected_version(), now,
      [&](const Rec& x) -> absl::Status {
        return ActsFor(call, x.assigned_agency())
                   ? absl::OkStatus()
                   : absl::PermissionDeniedError("only the assigned agency answers");
      },
      [&](Rec& x) -> absl::Status {
        if (x.state() != v1::VOTER_RECOMMENDATION_STATE_ASSIGNED) {
          return absl::FailedPreconditionError("only an assigned, unanswered recommendation");
        }
        x.set_state(v1::VOTER_RECOMMENDATION_STATE_ANSWERED);
        x.set_answer(r.answer());
        x.set_answer_date(absl::FormatCivilTime(calendar::VietnamDay(now)));
        x.set_answered_by(call.access.subject);
        return absl::OkStatus();
      });
}

absl::StatusOr<Rec> Receptions::ReportBack(const CallContext& call,
                                           const v1::ReportBackVoterRecommendationRequest& r) {
  Validator v;
  v.Check(!r.id().empty(), "id", "required");
  v.Check(r.expected_version() > 0, "expected_version", "required");
  if (!v.ok()) return v.status();
  const absl::Time now = petitions_.clock().Now();
  return Transition(
      db_, call, r.id(), r.expected_version(), now, [&](const Rec& x) { return Council(call, x); },
      [&](Rec& x) -> absl::Status {
        if (x.state() != v1::VOTER_RECOMMENDATION_STATE_ANSWERED) {
          return absl::FailedPreconditionError("only an answered recommendation is reported back");
        }
        x.set_state(v1::VOTER_RECOMMENDATION_STATE_REPORTED);
        x.set_reported_date(absl::FormatCivilTime(calendar::VietnamDay(now)));
        x.set_report_note(r.note());
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::GetVoterReportResponse> Receptions::VoterReport(
    const CallContext& call, const v1::GetVoterReportRequest& r) {
  Validator v;
  v.Check(!r.session_id().empty(), "session_id", "required");
  absl::CivilDay as_of = calendar::VietnamDay(petitions_.clock().Now());
  if (!r.as_of().empty()) {
    v.Check(calendar::ParseDate(r.as_of(), &as_of), "as_of", "must be YYYY-MM-DD");
  }
  if (!v.ok()) return v.status();
  struct Read {
    std::optional<v1::VoterSession> session;
    std::vector<Rec> recs;
  };
  auto read = ReadOnly(db_, "voter_report", [&](auto& tx) {
    Read out;
    out.session = ReceptionStore::FindVoterSession(tx, r.session_id());
    if (out.session.has_value()) out.recs = ReceptionStore::Recommendations(tx, r.session_id());
    return out;
  });
  if (!read.ok()) return read.status();
  if (!read->session.has_value() || !ReadsFor(call, read->session->agency_code())) {
    return absl::NotFoundError("no such voters' meeting of your agency");
  }
  v1::GetVoterReportResponse out;
  *out.mutable_session() = *read->session;
  std::map<std::string, v1::VoterReportRow> rows;
  const std::string today = absl::FormatCivilTime(as_of);
  for (auto& rec : read->recs) {
    if (!rec.assigned_agency().empty()) {
      auto& row = rows[rec.assigned_agency()];
      row.set_agency_code(rec.assigned_agency());
      row.set_assigned(row.assigned() + 1);
      // Dates compare as text (YYYY-MM-DD); an answer after as_of is not yet given then.
      const bool answered = !rec.answer_date().empty() && rec.answer_date() <= today;
      if (answered && rec.answer_date() <= rec.due_date()) {
        row.set_answered_on_time(row.answered_on_time() + 1);
      } else if (answered) {
        row.set_answered_late(row.answered_late() + 1);
      } else {
        row.set_not_yet_answered(row.not_yet_answered() + 1);
        if (rec.due_date() < today) row.set_overdue(row.overdue() + 1);
      }
    }
    *out.add_recommendations() = std::move(rec);
  }
  for (auto& [agency, row] : rows) *out.add_rows() = std::move(row);
  return out;
}

}  // namespace localgov::petition
