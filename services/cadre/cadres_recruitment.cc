// Cadres: recruitment rounds, their candidates and scores, and the ranking against the posts
// (Decree 170/2025; the rules in cadre_rules_recruitment.cc). Candidates are citizens: their
// citizen ID is masked in every response and neither it nor their name reaches a log or an
// audit record (the audit keeps a digest of the request).
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "common/text.h"
#include "services/cadre/cadre_store_plan.h"
#include "services/cadre/cadres.h"
#include "services/cadre/cadres_internal.h"

namespace localgov::cadre {
namespace {

using internal::Audit;
using internal::IsCode;

constexpr int kMaxPosts = 1000;

v1::Candidate Masked(v1::Candidate c) {
  c.set_citizen_id(MaskCitizenId(c.citizen_id()));
  return c;
}

bool ValidPriority(int p) { return p == 0 || p == 250 || p == 500 || p == 750; }

}  // namespace

absl::StatusOr<v1::RecruitmentRound> Cadres::CreateRecruitmentRound(
    const CallContext& call, const v1::CreateRecruitmentRoundRequest& request) {
  Validator v;
  ValidateRequestId(v, "request_id", request.request_id());
  v1::RecruitmentRound r = request.round();
  r.clear_id();
  r.clear_version();
  r.clear_agency_code();
  v.Check(IsCode(r.unit_code()), "round.unit_code", "required");
  v.Check(IsCode(r.position_code()), "round.position_code", "required");
  v.Check(!r.name().empty() && r.name().size() <= 500, "round.name",
          "required, at most 500 characters");
  v.Check(r.posts() >= 1 && r.posts() <= kMaxPosts, "round.posts",
          absl::StrCat("must be 1..", kMaxPosts));
  v.Check(ParseDay(r.opened_on()).has_value(), "round.opened_on", "required: a day YYYY-MM-DD");
  if (!v.ok()) return v.status();
  const std::string digest = Sha256Hex(request.SerializeAsString());
  v1::RecruitmentRound result;
  auto st = RunInTransaction(db_, "cadre_create_round", [&](pqxx::work& tx) -> absl::Status {
    auto unit = CadreStore::FindUnit(tx, r.unit_code());
    if (!unit.has_value()) {
      return absl::NotFoundError(absl::StrCat("unit ", r.unit_code(), " not found"));
    }
    if (auto st = Authorise(call.access, *Graph(tx), unit->agency_code()); !st.ok()) return st;
    auto replay = internal::ReplayCreate(
        tx, call, request.request_id(), digest, "round", [&](const std::string& key) {
          return PlanStore::FindRound(tx, internal::StoredId(key), false);
        });
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) {
      result = **replay;
      return absl::OkStatus();
    }
    auto position = CadreStore::FindPosition(tx, r.position_code(), false);
    if (!position.has_value()) {
      return absl::NotFoundError(absl::StrCat("position ", r.position_code(), " not found"));
    }
    if (position->unit_code() != r.unit_code()) {
      Validator pv;
      pv.Add("round.position_code", "must be a position of round.unit_code");
      return pv.status();
    }
    r.set_agency_code(unit->agency_code());
    r.set_id(PlanStore::InsertRound(tx, r, clock_.Now()));
    r.set_version(1);
    result = r;
    StoreIdempotentResponse(tx, call.access.subject, call.method, request.request_id(),
                            absl::StrCat(r.id()));
    return AppendAudit(
        tx,
        Audit(call, "CreateRecruitmentRound", "recruitment_round", absl::StrCat(r.id()), digest),
        clock_.Now());
  });
  if (!st.ok()) return st;
  return result;
}

absl::StatusOr<v1::Candidate> Cadres::AddCandidate(const CallContext& call,
                                                   const v1::AddCandidateRequest& request) {
  Validator v;
  ValidateRequestId(v, "request_id", request.request_id());
  v1::Candidate c = request.candidate();
  c.clear_id();
  c.clear_version();
  v.Check(c.round_id() > 0, "candidate.round_id", "required");
  const std::string id_problem = CitizenIdProblem(c.citizen_id(), std::nullopt, std::nullopt);
  v.Check(id_problem.empty(), "candidate.citizen_id", id_problem);  // never quotes the value
  v.Check(!c.full_name().empty() && c.full_name().size() <= 200, "candidate.full_name",
          "required, at most 200 characters");
  v.Check(ValidPriority(c.priority_points_x100()), "candidate.priority_points_x100",
          "must be 0, 250, 500 or 750");
  v.Check(!c.has_round1_correct() && !c.has_written() && !c.has_interview(), "candidate",
          "scores are recorded with RecordCandidateScores, not given here");
  if (!v.ok()) return v.status();
  const std::string digest = Sha256Hex(request.SerializeAsString());
  v1::Candidate result;
  auto st = RunInTransaction(db_, "cadre_add_candidate", [&](pqxx::work& tx) -> absl::Status {
    auto round = PlanStore::FindRound(tx, c.round_id(), true);
    if (!round.has_value()) {
      return absl::NotFoundError(absl::StrCat("recruitment round ", c.round_id(), " not found"));
    }
    if (auto st = Authorise(call.access, *Graph(tx), round->agency_code()); !st.ok()) return st;
    auto replay = internal::ReplayCreate(
        tx, call, request.request_id(), digest, "candidate", [&](const std::string& key) {
          return PlanStore::FindCandidate(tx, internal::StoredId(key), false);
        });
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) {
      result = Masked(**replay);
      return absl::OkStatus();
    }
    if (PlanStore::CandidateByCitizen(tx, c.round_id(), c.citizen_id()).has_value()) {
      return absl::AlreadyExistsError(
          absl::StrCat("that citizen is a candidate of round ", c.round_id(), " already"));
    }
    c.set_id(PlanStore::InsertCandidate(tx, c, clock_.Now()));
    c.set_version(1);
    PlanStore::BumpRound(tx, c.round_id());
    result = Masked(c);
    StoreIdempotentResponse(tx, call.access.subject, call.method, request.request_id(),
                            absl::StrCat(c.id()));
    return AppendAudit(tx, Audit(call, "AddCandidate", "candidate", absl::StrCat(c.id()), digest),
                       clock_.Now());
  });
  if (!st.ok()) return st;
  return result;
}

absl::StatusOr<v1::Candidate> Cadres::RecordCandidateScores(
    const CallContext& call, const v1::RecordCandidateScoresRequest& request) {
  Validator v;
  v.Check(request.candidate_id() > 0, "candidate_id", "required");
  v.Check(request.expected_version() > 0, "expected_version", "required: the version last read");
  // The bounds of the rule set in force today; a round opened under another set is checked
  // against its own below.
  v.Check(!request.has_round1_correct() ||
              (request.round1_correct() >= 0 && request.round1_correct() <= 60),
          "round1_correct", "must be 0..60 (correct answers of 60 questions)");
  v.Check(!request.has_written() || (request.written() >= 0 && request.written() <= 100), "written",
          "must be 0..100");
  v.Check(!request.has_interview() || (request.interview() >= 0 && request.interview() <= 100),
          "interview", "must be 0..100");
  v.Check(request.has_round1_correct() || request.has_written() || request.has_interview(),
          "round1_correct", "give at least one score");
  ValidateOptionalRequestId(v, "request_id", request.request_id());
  if (!v.ok()) return v.status();
  const IdempotencyKey key = internal::ChangeKey(call, request);
  v1::Candidate result;
  auto st = RunInTransaction(db_, "cadre_record_scores", [&](pqxx::work& tx) -> absl::Status {
    auto c = PlanStore::FindCandidate(tx, request.candidate_id(), true);
    if (!c.has_value()) {
      return absl::NotFoundError(absl::StrCat("candidate ", request.candidate_id(), " not found"));
    }
    auto round = PlanStore::FindRound(tx, c->round_id(), true);
    if (!round.has_value()) return absl::InternalError("a candidate without its round");
    if (auto st = Authorise(call.access, *Graph(tx), round->agency_code()); !st.ok()) return st;
    auto replayed = ReplayStoredAnswer(tx, key, result);
    if (!replayed.ok()) return replayed.status();
    if (*replayed) return absl::OkStatus();
    if (request.has_interview() && !round->with_interview()) {
      Validator iv;
      iv.Add("interview", "this round has no interview (round 2 is written only)");
      return iv.status();
    }
    if (c->version() != request.expected_version()) {
      return absl::AbortedError(absl::StrCat("the candidate is at version ", c->version(), ", not ",
                                             request.expected_version(), "; read it again"));
    }
    if (request.has_round1_correct()) c->set_round1_correct(request.round1_correct());
    if (request.has_written()) c->set_written(request.written());
    if (request.has_interview()) c->set_interview(request.interview());
    c->set_version(c->version() + 1);
    PlanStore::UpdateScores(tx, *c);
    PlanStore::BumpRound(tx, round->id());
    result = Masked(*c);
    StoreOptionalIdempotentResponse(tx, key, result.SerializeAsString());
    // The scores only: no citizen ID or name in the audit record.
    return AppendAudit(
        tx,
        Audit(call, "RecordCandidateScores", "candidate", absl::StrCat(c->id()),
              absl::StrCat("round1=", c->has_round1_correct() ? c->round1_correct() : -1,
                           " written=", c->has_written() ? c->written() : -1,
                           " interview=", c->has_interview() ? c->interview() : -1)),
        clock_.Now());
  });
  if (!st.ok()) return st;
  return result;
}

absl::StatusOr<v1::GetRecruitmentRankingResponse> Cadres::GetRecruitmentRanking(
    const CallContext& call, const v1::GetRecruitmentRankingRequest& request) {
  Validator v;
  v.Check(request.round_id() > 0, "round_id", "required");
  if (!v.ok()) return v.status();
  auto out = ReadOnly(
      db_, "cadre_recruitment_ranking",
      [&](pqxx::work& tx) -> absl::StatusOr<v1::GetRecruitmentRankingResponse> {
        auto round = PlanStore::FindRound(tx, request.round_id(), false);
        if (!round.has_value()) {
          return absl::NotFoundError(
              absl::StrCat("recruitment round ", request.round_id(), " not found"));
        }
        if (auto st = Authorise(call.access, *Graph(tx), round->agency_code()); !st.ok()) {
          return st;
        }
        const auto candidates = PlanStore::Candidates(tx, round->id());
        std::map<int64_t, const v1::Candidate*> by_id;
        std::vector<CandidateScores> scores;
        for (const auto& c : candidates) {
          by_id[c.id()] = &c;
          CandidateScores s;
          s.id = c.id();
          if (c.has_round1_correct()) s.round1_correct = c.round1_correct();
          if (c.has_written()) s.written = c.written();
          if (c.has_interview()) s.interview = c.interview();
          s.priority_points_x100 = c.priority_points_x100();
          scores.push_back(s);
        }
        // The rule set in force on the day the round opened scores it.
        const CadreRules& rules = rules_.InForceOn(*ParseDay(round->opened_on()));
        v1::GetRecruitmentRankingResponse resp;
        *resp.mutable_round() = *round;
        int selected = 0, tied_posts = 0;
        for (const auto& r :
             RankCandidates(rules, round->with_interview(), round->posts(), std::move(scores))) {
          auto* line = resp.add_candidates();
          *line->mutable_candidate() = Masked(*by_id.at(r.id));
          line->set_round2_score_x100(r.round2_x100);
          line->set_total_x100(r.total_x100);
          line->set_place(r.place);
          line->set_outcome(static_cast<v1::CandidateOutcome>(static_cast<int>(r.outcome) + 1));
          if (r.outcome == CandidateOutcome::kSelected) ++selected;
        }
        tied_posts = std::max(0, round->posts() - selected);
        bool any_tied = false;
        for (const auto& c : resp.candidates()) {
          any_tied |= c.outcome() == v1::CANDIDATE_OUTCOME_TIED;
        }
        resp.set_selected(selected);
        resp.set_undecided_posts(any_tied ? tied_posts : 0);
        return resp;
      });
  if (!out.ok()) return out.status();
  return std::move(*out);
}

}  // namespace localgov::cadre
