// What falls due (issue 23, part 1) against real PostgreSQL and Redis: discipline decisions
// and how they move the next raise, annual evaluations with the old agency's opinion and the
// shares, and a unit's worklist (raises, terms, rotations, evaluations, quota). Today is
// 2026-03-02 (the fixture's clock).
#include <algorithm>

#include "tests/integration/cadre_fixture.h"

namespace localgov::cadre {
namespace {

class CadreDueTest : public CadreTest {
 protected:
  void SetUp() override {
    CadreTest::SetUp();
    Position("C31-CV", "C31-VP", "Chuyên viên", v1::RANK_CHUYEN_VIEN, false, 50);
  }

  v1::RecordDisciplineRequest Reprimand(int64_t person, const std::string& request_id) {
    v1::RecordDisciplineRequest req;
    req.set_request_id(request_id);
    req.set_person_id(person);
    req.set_form(v1::DISCIPLINE_FORM_REPRIMAND);
    req.set_offence(v1::OFFENCE_LEVEL_REPRIMAND);
    req.set_conduct_date("2025-11-01");
    req.set_processing_started("2025-12-01");
    req.set_decision_date("2026-02-20");
    req.set_effect_from("2026-03-01");
    req.set_decision_number("15/QĐ-UBND");
    return req;
  }

  grpc::Status Discipline(const v1::RecordDisciplineRequest& req, v1::RecordDisciplineResponse* out,
                          const std::string& agency = kCommune) {
    return Call(&v1::CadreService::Stub::RecordDiscipline, req, out, Role::kOfficer, agency);
  }

  grpc::Status Evaluate(const v1::RecordEvaluationRequest& req, v1::RecordEvaluationResponse* out) {
    return Call(&v1::CadreService::Stub::RecordEvaluation, req, out);
  }

  v1::RecordEvaluationRequest Evaluation(int64_t person, int year, v1::EvaluationLevel level,
                                         const std::string& on, const std::string& request_id) {
    v1::RecordEvaluationRequest req;
    req.set_request_id(request_id);
    req.set_person_id(person);
    req.set_year(year);
    req.set_level(level);
    req.set_evaluated_on(on);
    return req;
  }

  v1::ListDueResponse Due(const std::string& as_of, int horizon,
                          std::vector<v1::DueKind> kinds = {}) {
    v1::ListDueRequest req;
    req.set_unit_code("C31-VP");
    req.set_as_of(as_of);
    req.set_horizon_days(horizon);
    for (auto k : kinds) req.add_kinds(k);
    v1::ListDueResponse resp;
    auto st = Call(&v1::CadreService::Stub::ListDue, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }

  // A civil servant of the commune in C31-CV since 2019, at step 3 since 2023-04-01.
  v1::Person Specialist(const std::string& citizen_id) {
    auto p = NewPerson(citizen_id, "1985-04-12", v1::GENDER_MALE);
    v1::RecordAssignmentResponse a;
    EXPECT_TRUE(Assign(p.id(), 1, "C31-CV", v1::MOVEMENT_ASSIGNMENT, "2019-03-01", "", &a).ok());
    v1::RecordRankResponse r;
    auto st = Rank(p.id(), 2, 3, 300, "2023-04-01", &r);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return r.person();
  }
};

const v1::DueItem* Find(const v1::ListDueResponse& r, v1::DueKind kind, int64_t person) {
  for (const auto& i : r.items()) {
    if (i.kind() == kind && i.person_id() == person) return &i;
  }
  return nullptr;
}

TEST_F(CadreDueTest, AReprimandMovesTheNextRaiseByItsEffect) {
  auto p = Specialist("056085000101");
  auto before = Due("2026-03-02", 60, {v1::DUE_KIND_RAISE});
  const auto* raise = Find(before, v1::DUE_KIND_RAISE, p.id());
  ASSERT_NE(raise, nullptr);
  EXPECT_EQ(raise->due_date(), "2026-04-01");  // 36 months from 2023-04-01
  ASSERT_GE(raise->reasons_size(), 1);
  EXPECT_EQ(raise->reasons(0), "36 months from step 3 on 2023-04-01");

  v1::RecordDisciplineResponse d;
  auto st = Discipline(Reprimand(p.id(), "disc-1"), &d);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(d.discipline().effect_until(), "2027-03-01");
  // +6 months gives 2026-10-01, within the reprimand's effect: the raise waits for its end.
  const auto soon = Due("2026-03-02", 60);
  EXPECT_EQ(Find(soon, v1::DUE_KIND_RAISE, p.id()), nullptr);
  auto after = Due("2026-03-02", 400, {v1::DUE_KIND_RAISE});
  raise = Find(after, v1::DUE_KIND_RAISE, p.id());
  ASSERT_NE(raise, nullptr);
  EXPECT_EQ(raise->due_date(), "2027-03-01");
  ASSERT_EQ(raise->reasons_size(), 3);
  EXPECT_EQ(raise->reasons(1), "+6 months: reprimand 2026-03-01");
  EXPECT_EQ(raise->reasons(2), "waits until 2027-03-01: reprimand of 2026-03-01 in effect");

  // While it has effect, raises and appointments wait.
  v1::RecordRankResponse r;
  auto wait = Rank(p.id(), p.version(), 4, 334, "2026-04-01", &r);
  EXPECT_EQ(wait.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << wait.error_message();
  v1::RecordAssignmentResponse a;
  wait = Assign(p.id(), p.version(), "C31-CT", v1::MOVEMENT_APPOINTMENT, "2026-04-01", "", &a);
  EXPECT_EQ(wait.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << wait.error_message();
  EXPECT_TRUE(Rank(p.id(), p.version(), 4, 334, "2027-03-01", &r).ok()) << "from its end";

  // Idempotent by request_id; the same key with another request is refused.
  v1::RecordDisciplineResponse again;
  ASSERT_TRUE(Discipline(Reprimand(p.id(), "disc-1"), &again).ok());
  EXPECT_EQ(again.discipline().discipline_id(), d.discipline().discipline_id());
  auto other = Reprimand(p.id(), "disc-1");
  other.set_form(v1::DISCIPLINE_FORM_WARNING);
  EXPECT_EQ(Discipline(other, &again).error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(CadreDueTest, ADismissalFromPostAndAYearNotCompletedAddUp) {
  auto p = NewPerson("056080000102", "1980-01-15", v1::GENDER_MALE);
  v1::RecordAssignmentResponse a;
  ASSERT_TRUE(Assign(p.id(), 1, "C31-CT", v1::MOVEMENT_APPOINTMENT, "2022-01-10", "", &a).ok());
  v1::RecordRankResponse r;
  ASSERT_TRUE(Rank(p.id(), 2, 4, 334, "2023-01-01", &r).ok());
  // A leader: dismissal from post is a form for him. +12 months from its effect.
  auto req = Reprimand(p.id(), "disc-2");
  req.set_form(v1::DISCIPLINE_FORM_DISMISSAL_FROM_POST);
  req.set_offence(v1::OFFENCE_LEVEL_OTHER);
  req.set_effect_from("2025-03-01");
  req.set_conduct_date("2024-10-01");
  req.set_processing_started("2024-11-01");
  req.set_decision_date("2025-01-20");
  v1::RecordDisciplineResponse d;
  auto st = Discipline(req, &d);
  ASSERT_TRUE(st.ok()) << st.error_message();
  // 2025 rated "did not complete": +6 more.
  v1::RecordEvaluationResponse e;
  st = Evaluate(Evaluation(p.id(), 2025, v1::EVALUATION_LEVEL_NOT_COMPLETED, "2025-12-05", "ev-2"),
                &e);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_FALSE(e.evaluation().late());
  // 2023-01-01 + 36 + 12 + 6 months.
  const auto due = Due("2026-03-02", 1000, {v1::DUE_KIND_RAISE});
  const auto* raise = Find(due, v1::DUE_KIND_RAISE, p.id());
  ASSERT_NE(raise, nullptr);
  EXPECT_EQ(raise->due_date(), "2027-07-01");
  ASSERT_EQ(raise->reasons_size(), 3) << raise->DebugString();
  EXPECT_EQ(raise->reasons(1), "+12 months: dismissal from post 2025-03-01");
  EXPECT_EQ(raise->reasons(2), "+6 months: 2025 rated \"did not complete\" 2025-12-05");
}

TEST_F(CadreDueTest, EveryWriteRefusesBadInputByField) {
  v1::RecordDisciplineResponse d;
  auto st = Discipline(v1::RecordDisciplineRequest{}, &d);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto fields = Fields(st);
  for (const char* f : {"request_id", "person_id", "form", "offence", "decision_number",
                        "conduct_date", "processing_started", "decision_date"}) {
    EXPECT_NE(std::count(fields.begin(), fields.end(), f), 0) << f;
  }
  v1::RecordEvaluationResponse e;
  st = Evaluate(v1::RecordEvaluationRequest{}, &e);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  fields = Fields(st);
  for (const char* f : {"request_id", "person_id", "level", "year"}) {
    EXPECT_NE(std::count(fields.begin(), fields.end(), f), 0) << f;
  }
  auto bad = Evaluation(1, 2026, v1::EVALUATION_LEVEL_GOOD, "2027-01-01", "ev-bad");
  bad.set_early_raise_months(6);
  st = Evaluate(bad, &e);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"evaluated_on", "early_raise_months"}));
  v1::ListDueRequest due;
  due.set_horizon_days(5000);
  due.set_as_of("2026-02-30");
  due.add_kinds(v1::DUE_KIND_UNSPECIFIED);
  v1::ListDueResponse dr;
  st = Call(&v1::CadreService::Stub::ListDue, due, &dr);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"unit_code", "agency_code", "as_of",
                                                  "horizon_days", "kinds"}));

  // A civil servant who leads nothing is not dismissed from post.
  auto p = Specialist("056085000103");
  auto req = Reprimand(p.id(), "disc-3");
  req.set_form(v1::DISCIPLINE_FORM_DISMISSAL_FROM_POST);
  st = Discipline(req, &d);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"form"}) << st.error_message();
  req.set_form(v1::DISCIPLINE_FORM_REMOVAL);
  EXPECT_EQ(Fields(Discipline(req, &d)), std::vector<std::string>{"form"});
}

TEST_F(CadreDueTest, LimitationAtItsLastDayAndProcessingWithin90Or150Days) {
  auto p = Specialist("056085000104");
  v1::RecordDisciplineResponse d;
  // Reprimand-level conduct of 2021-03-02: processing may start until 2026-03-02.
  auto req = Reprimand(p.id(), "lim-1");
  req.set_conduct_date("2021-03-01");
  req.set_processing_started("2026-03-02");
  req.set_decision_date("2026-03-02");
  req.set_effect_from("");
  auto st = Discipline(req, &d);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"processing_started"}) << st.error_message();
  req.set_conduct_date("2021-03-02");
  st = Discipline(req, &d);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(d.discipline().effect_from(), "2026-03-02") << "effect defaults to the decision";
  // Forged diplomas: no limitation.
  req = Reprimand(p.id(), "lim-2");
  req.set_offence(v1::OFFENCE_LEVEL_FORGED_DIPLOMA);
  req.set_form(v1::DISCIPLINE_FORM_FORCED_TERMINATION);
  req.set_conduct_date("2001-06-01");
  EXPECT_TRUE(Discipline(req, &d).ok());

  // Processing started 2025-12-02: the 90th day is 2026-03-02.
  req = Reprimand(p.id(), "proc-1");
  req.set_processing_started("2025-12-02");
  req.set_decision_date("2026-03-02");
  req.set_effect_from("");
  EXPECT_TRUE(Discipline(req, &d).ok());
  req.set_request_id("proc-2");
  req.set_processing_started("2025-12-01");  // 91 days
  st = Discipline(req, &d);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"decision_date"}) << st.error_message();
  req.set_complex(true);  // 150 days
  EXPECT_TRUE(Discipline(req, &d).ok());
}

TEST_F(CadreDueTest, OnlyThePersonnelOfficeOfTheAgency) {
  auto p = Specialist("056085000105");
  v1::RecordDisciplineResponse d;
  auto st = Discipline(Reprimand(p.id(), "acc-1"), &d, kOtherCommune);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::RecordEvaluationResponse e;
  v1::ListDueRequest due;
  due.set_unit_code("C31-VP");
  v1::ListDueResponse dr;
  EXPECT_EQ(
      Call(&v1::CadreService::Stub::ListDue, due, &dr, Role::kOfficer, kOtherCommune).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  office_ = "finance";
  EXPECT_EQ(Evaluate(Evaluation(p.id(), 2025, v1::EVALUATION_LEVEL_GOOD, "2025-12-01", "acc-2"), &e)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call(&v1::CadreService::Stub::ListDue, due, &dr).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  office_ = "personnel";
  // The supervising Department of Home Affairs may.
  EXPECT_TRUE(Call(&v1::CadreService::Stub::ListDue, due, &dr, Role::kOfficer, kHomeAffairs).ok());
  EXPECT_EQ(Discipline(Reprimand(999999, "acc-3"), &d).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(CadreDueTest, TheOldAgencysOpinionOnlyAfterSixMonthsThere) {
  // At the other commune from 2025-01-01, moved here on 2025-08-01: 7 months there.
  auto p = NewPerson("056085000106", "1985-04-12", v1::GENDER_MALE, kOtherCommune);
  v1::RecordAssignmentResponse a;
  ASSERT_TRUE(
      Assign(p.id(), 1, "C32-VH", v1::MOVEMENT_ASSIGNMENT, "2025-01-01", "", &a, kOtherCommune)
          .ok());
  auto st = Assign(p.id(), 2, "C31-VH", v1::MOVEMENT_TRANSFER, "2025-08-01", "", &a);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::RecordEvaluationResponse e;
  auto req = Evaluation(p.id(), 2025, v1::EVALUATION_LEVEL_GOOD, "2025-12-10", "ev-6");
  st = Evaluate(req, &e);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"previous_agency_opinion"}) << st.error_message();
  EXPECT_NE(st.error_message().find("000.00.32.H41"), std::string::npos) << st.error_message();
  req.set_previous_agency_opinion("Hoàn thành tốt nhiệm vụ trong 7 tháng công tác tại xã.");
  st = Evaluate(req, &e);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(e.evaluation().previous_agency_code(), kOtherCommune);
  // The same year again: only as a correction, and both are kept.
  auto again = Evaluation(p.id(), 2025, v1::EVALUATION_LEVEL_COMPLETED, "2025-12-20", "ev-6b");
  again.set_previous_agency_opinion(req.previous_agency_opinion());
  EXPECT_EQ(Evaluate(again, &e).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  again.set_correction_reason("Quyết định 20/QĐ-UBND sửa mức xếp loại");
  st = Evaluate(again, &e);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(e.evaluation().late()) << "after 15 December";

  // Five months there (from 2025-03-01): not asked.
  auto q = NewPerson("056085000107", "1985-04-12", v1::GENDER_MALE, kOtherCommune);
  ASSERT_TRUE(
      Assign(q.id(), 1, "C32-VH", v1::MOVEMENT_ASSIGNMENT, "2025-03-01", "", &a, kOtherCommune)
          .ok());
  ASSERT_TRUE(Assign(q.id(), 2, "C31-VH", v1::MOVEMENT_TRANSFER, "2025-08-01", "", &a).ok());
  st = Evaluate(Evaluation(q.id(), 2025, v1::EVALUATION_LEVEL_GOOD, "2025-12-10", "ev-7"), &e);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(e.evaluation().previous_agency_code(), "");

  // A ward merged into this commune on 2025-07-01 is no old agency: not asked.
  auto w = NewPerson("056085000108", "1985-04-12", v1::GENDER_MALE, kMergedWard);
  st = Assign(w.id(), 1, "C21-VH", v1::MOVEMENT_ASSIGNMENT, "2024-01-01", "", &a);
  ASSERT_TRUE(st.ok()) << st.error_message();
  st = Assign(w.id(), 2, "C31-VH", v1::MOVEMENT_TRANSFER, "2025-08-01", "", &a);
  ASSERT_TRUE(st.ok()) << st.error_message();
  st = Evaluate(Evaluation(w.id(), 2025, v1::EVALUATION_LEVEL_GOOD, "2025-12-10", "ev-8"), &e);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(e.evaluation().previous_agency_code(), "");
}

TEST_F(CadreDueTest, TheSharesOfExcellentAndOfEarlyRaisesAreCapped) {
  std::vector<v1::Person> people;
  for (int i = 0; i < 5; ++i) people.push_back(Specialist(absl::StrCat("05608500020", i)));
  // 20 % of 5 paid staff: one "excellent"; 10 %: no early raise.
  v1::RecordEvaluationResponse e;
  auto early =
      Evaluation(people[0].id(), 2025, v1::EVALUATION_LEVEL_EXCELLENT, "2025-12-01", "s-0");
  early.set_early_raise_months(6);
  auto st = Evaluate(early, &e);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"early_raise_months"}) << st.error_message();
  early.set_early_raise_months(0);
  ASSERT_TRUE(Evaluate(early, &e).ok());
  st = Evaluate(
      Evaluation(people[1].id(), 2025, v1::EVALUATION_LEVEL_EXCELLENT, "2025-12-01", "s-1"), &e);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"level"}) << st.error_message();
  EXPECT_TRUE(
      Evaluate(Evaluation(people[1].id(), 2025, v1::EVALUATION_LEVEL_GOOD, "2025-12-01", "s-1b"),
               &e)
          .ok());
  // Ten paid staff allow one early raise: 2023-04-01 + 36 - 6 months.
  for (int i = 5; i < 10; ++i) people.push_back(Specialist(absl::StrCat("05608500020", i)));
  early = Evaluation(people[2].id(), 2025, v1::EVALUATION_LEVEL_EXCELLENT, "2025-12-01", "s-2");
  early.set_early_raise_months(6);
  st = Evaluate(early, &e);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const auto due = Due("2025-12-01", 30, {v1::DUE_KIND_RAISE});
  const auto* raise = Find(due, v1::DUE_KIND_RAISE, people[2].id());
  ASSERT_NE(raise, nullptr);
  EXPECT_EQ(raise->due_date(), "2025-12-01") << "not before the day it is granted";
  EXPECT_TRUE(raise->overdue() == false);
}

TEST_F(CadreDueTest, TheWorklistOfAUnit) {
  // An appointment whose term ends in the horizon, a rotation ending, evaluations missing
  // before 15 December, and the quota exceeded.
  auto chair = NewPerson("056078000301", "1978-05-05", v1::GENDER_MALE);
  v1::RecordAssignmentResponse a;
  ASSERT_TRUE(Assign(chair.id(), 1, "C31-CT", v1::MOVEMENT_APPOINTMENT, "2021-04-01", "", &a).ok());
  auto rotated = NewPerson("056088000302", "1988-02-02", v1::GENDER_MALE);
  auto st =
      Assign(rotated.id(), 1, "C31-VH", v1::MOVEMENT_ROTATION, "2023-03-15", "2026-03-20", &a);
  ASSERT_TRUE(st.ok()) << st.error_message();
  auto clerk = NewPerson("056090000303", "1990-07-07", v1::GENDER_MALE);
  ASSERT_TRUE(Assign(clerk.id(), 1, "C31-TP", v1::MOVEMENT_ASSIGNMENT, "2020-01-01", "", &a).ok());
  v1::SetQuotaRequest quota;
  quota.set_unit_code("C31-VP");
  quota.set_year(2026);
  quota.set_quota(1);
  v1::SetQuotaResponse qr;
  st = Call(&v1::CadreService::Stub::SetQuota, quota, &qr, Role::kOfficer, kHomeAffairs,
            "doha-officer");
  ASSERT_TRUE(st.ok()) << st.error_message();

  auto due = Due("2026-03-02", 45);
  EXPECT_EQ(due.until(), "2026-04-16");
  const auto* term = Find(due, v1::DUE_KIND_TERM_END, chair.id());
  ASSERT_NE(term, nullptr);
  EXPECT_EQ(term->due_date(), "2026-04-01");
  EXPECT_EQ(term->position_code(), "C31-CT");
  const auto* rotation = Find(due, v1::DUE_KIND_ROTATION_END, rotated.id());
  ASSERT_NE(rotation, nullptr);
  EXPECT_EQ(rotation->due_date(), "2026-03-20");
  const auto* q = Find(due, v1::DUE_KIND_QUOTA_EXCEEDED, 0);
  ASSERT_NE(q, nullptr);
  ASSERT_EQ(q->reasons_size(), 1);
  EXPECT_EQ(q->reasons(0), "3 people counted against a quota of 1 for 2026");
  EXPECT_EQ(Find(due, v1::DUE_KIND_EVALUATION, clerk.id()), nullptr) << "15 December is far";
  // In the order of their days.
  EXPECT_TRUE(
      std::is_sorted(due.items().begin(), due.items().end(),
                     [](const auto& x, const auto& y) { return x.due_date() < y.due_date(); }));

  // In November, the year's evaluations are missing; one recorded leaves the list.
  auto nov = Due("2026-11-01", 60, {v1::DUE_KIND_EVALUATION});
  ASSERT_NE(Find(nov, v1::DUE_KIND_EVALUATION, clerk.id()), nullptr);
  EXPECT_EQ(Find(nov, v1::DUE_KIND_EVALUATION, clerk.id())->due_date(), "2026-12-15");
  for (const auto& i : nov.items()) EXPECT_EQ(i.kind(), v1::DUE_KIND_EVALUATION) << "as asked";
  clock_.Advance(absl::Hours(24 * 280));  // 2026-12-07
  v1::RecordEvaluationResponse e;
  st = Evaluate(Evaluation(clerk.id(), 2026, v1::EVALUATION_LEVEL_GOOD, "", "ev-clerk"), &e);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(e.evaluation().evaluated_on(), "2026-12-07");
  nov = Due("2026-11-01", 60, {v1::DUE_KIND_EVALUATION});
  EXPECT_EQ(Find(nov, v1::DUE_KIND_EVALUATION, clerk.id()), nullptr);
}

}  // namespace
}  // namespace localgov::cadre
