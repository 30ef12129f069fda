// The cadre service's bitemporal history, against real PostgreSQL: as-of reads around a
// change, corrections of the past kept apart from later changes, one-holder positions,
// headcount against quota, rosters of merged communes, index-backed list queries.
#include "common/db/query.h"
#include "pqxx/pqxx"
#include "services/cadre/cadre_store.h"
#include "tests/harness/db_plan.h"
#include "tests/integration/cadre_fixture.h"

namespace localgov::cadre {
namespace {

using google::protobuf::util::TimeUtil;

TEST_F(CadreTest, AsOfReadsTheDayBeforeOnAndAfterAChangeAheadOfTime) {
  auto p = NewPerson("056185000001", "1985-04-12", v1::GENDER_FEMALE);
  v1::RecordAssignmentResponse a1;
  ASSERT_TRUE(Assign(p.id(), 1, "C31-TP", v1::MOVEMENT_ASSIGNMENT, "2019-03-01", "", &a1).ok());
  const absl::Time before_change = clock_.Now();
  clock_.Advance(absl::Hours(1));
  // Today is 2026-03-02; the move to another position takes effect next month.
  v1::RecordAssignmentResponse a2;
  auto st = Assign(p.id(), 2, "C31-VH", v1::MOVEMENT_ASSIGNMENT, "2026-04-01", "", &a2);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(a2.person().version(), 3);
  EXPECT_EQ(a2.person().assignment().position_code(), "C31-TP") << "today it is still the old";

  EXPECT_EQ(Get(p.id(), "2026-03-31").assignment().position_code(), "C31-TP");
  EXPECT_EQ(Get(p.id(), "2026-03-31").assignment().valid_until(), "2026-04-01");
  EXPECT_EQ(Get(p.id(), "2026-04-01").assignment().position_code(), "C31-VH");
  EXPECT_EQ(Get(p.id(), "2026-04-02").assignment().position_code(), "C31-VH");
  EXPECT_EQ(Get(p.id(), "2019-02-28").has_assignment(), false) << "before the first day";
  // As known before the change was recorded, the old assignment was open-ended.
  const auto then = Get(p.id(), "2026-04-02", before_change);
  EXPECT_EQ(then.assignment().position_code(), "C31-TP");
  EXPECT_EQ(then.assignment().valid_until(), "");

  // The history keeps every version: the first, its ended version, and the new record.
  v1::GetPersonHistoryRequest hreq;
  hreq.set_person_id(p.id());
  v1::GetPersonHistoryResponse h;
  ASSERT_TRUE(Call(&v1::CadreService::Stub::GetPersonHistory, hreq, &h).ok());
  ASSERT_EQ(h.records_size(), 3);
  EXPECT_TRUE(h.records(0).has_recorded_until());
  EXPECT_EQ(h.records(1).change_kind(), v1::CHANGE_KIND_ENDED_BY_NEXT);
  EXPECT_EQ(h.records(1).record_id(), h.records(0).record_id());
  EXPECT_EQ(h.records(2).change_kind(), v1::CHANGE_KIND_CHANGE);

  // A record that starts on or before the last one's first day is a correction, not a change.
  v1::RecordAssignmentResponse a3;
  st = Assign(p.id(), 3, "C31-TP", v1::MOVEMENT_ASSIGNMENT, "2026-03-15", "", &a3);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
}

TEST_F(CadreTest, ACorrectionOfThePastIsSeenAsOfItsDayAndAbsentFromWhatWasKnownBefore) {
  auto p = NewPerson("056090000002", "1990-09-30", v1::GENDER_MALE);
  v1::RecordRankResponse r1;
  ASSERT_TRUE(Rank(p.id(), 1, 3, 300, "2025-01-01", &r1).ok());
  const absl::Time recorded = clock_.Now();
  clock_.Advance(absl::Hours(24 * 30));  // a month later the decision is found to say step 4
  const absl::Time before_correction = clock_.Now();
  clock_.Advance(absl::Minutes(1));
  v1::CorrectHistoryRequest c;
  c.set_person_id(p.id());
  c.set_expected_version(2);
  c.set_record_id(r1.record().record_id());
  c.set_reason("Quyết định nâng bậc số 45/QĐ-UBND ghi bậc 4");
  auto* fix = c.mutable_corrected();
  fix->set_rank(v1::RANK_CHUYEN_VIEN);
  fix->set_grade_code("01.003");
  fix->set_step(4);
  fix->set_coefficient_x100(333);
  fix->set_valid_from("2025-01-01");
  v1::CorrectHistoryResponse cr;
  auto st = Call(&v1::CadreService::Stub::CorrectHistory, c, &cr);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(cr.record().change_kind(), v1::CHANGE_KIND_CORRECTION);

  // What is true now of 2025-06-01, and what was known of it before the correction.
  EXPECT_EQ(Get(p.id(), "2025-06-01").rank().step(), 4);
  EXPECT_EQ(Get(p.id(), "2025-06-01").rank().coefficient_x100(), 333);
  EXPECT_EQ(Get(p.id(), "2025-06-01", before_correction).rank().step(), 3);
  EXPECT_EQ(Get(p.id(), "2025-06-01", recorded - absl::Seconds(1)).has_rank(), false)
      << "before anything was recorded nothing was known";
  EXPECT_EQ(Get(p.id(), "2024-12-31").has_rank(), false);

  // Both versions are kept, with their valid and recorded times.
  v1::GetPersonHistoryRequest hreq;
  hreq.set_person_id(p.id());
  v1::GetPersonHistoryResponse h;
  ASSERT_TRUE(Call(&v1::CadreService::Stub::GetPersonHistory, hreq, &h).ok());
  ASSERT_EQ(h.records_size(), 2);
  EXPECT_EQ(h.records(0).step(), 3);
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(h.records(0).recorded_until()),
            TimeUtil::TimestampToMicroseconds(h.records(1).recorded_from()));
  EXPECT_EQ(h.records(0).valid_from(), h.records(1).valid_from());
  EXPECT_EQ(h.records(1).step(), 4);
  EXPECT_FALSE(h.records(1).has_recorded_until());

  // The audit tells the correction from the change.
  pqxx::connection conn(sut_->config().database_url);
  pqxx::work tx(conn);
  const auto actions = tx.exec(
      "SELECT action FROM audit_log WHERE action IN ('cadre.RecordRank',"
      " 'cadre.CorrectHistory') ORDER BY position");
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0][0].as<std::string>(), "cadre.RecordRank");
  EXPECT_EQ(actions[1][0].as<std::string>(), "cadre.CorrectHistory");
}

TEST_F(CadreTest, OverlappingAssignmentsAreRefusedWhereThePositionAllowsOneHolder) {
  auto a =
      NewPerson("056185000011", "1985-01-01", v1::GENDER_FEMALE, kCommune, v1::PERSON_KIND_CADRE);
  auto b =
      NewPerson("056080000012", "1980-01-01", v1::GENDER_MALE, kCommune, v1::PERSON_KIND_CADRE);
  v1::RecordAssignmentResponse r;
  // An appointment runs for a 5-year term unless it says less.
  ASSERT_TRUE(Assign(a.id(), 1, "C31-CT", v1::MOVEMENT_APPOINTMENT, "2021-06-01", "", &r).ok());
  EXPECT_EQ(r.record().valid_until(), "2026-06-01");
  EXPECT_EQ(r.record().term_end_date(), "2026-06-01");
  auto st = Assign(b.id(), 1, "C31-CT", v1::MOVEMENT_APPOINTMENT, "2026-01-01", "", &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  // From the day the term ends, the seat is free.
  st = Assign(b.id(), 1, "C31-CT", v1::MOVEMENT_APPOINTMENT, "2026-06-01", "", &r);
  EXPECT_TRUE(st.ok()) << st.error_message();
  // A term longer than 5 years is refused; a re-appointment needs a term just ended.
  st = Assign(a.id(), 2, "C31-CT", v1::MOVEMENT_APPOINTMENT, "2031-06-01", "2036-06-02", &r);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"valid_until"});
  // A position of three holders takes three, not four.
  std::vector<v1::Person> staff;
  for (int i = 0; i < 4; ++i) {
    staff.push_back(NewPerson("05619500002" + std::to_string(i), "1995-05-05", v1::GENDER_FEMALE));
  }
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        Assign(staff[i].id(), 1, "C31-VH", v1::MOVEMENT_ASSIGNMENT, "2024-01-01", "", &r).ok());
  }
  st = Assign(staff[3].id(), 1, "C31-VH", v1::MOVEMENT_ASSIGNMENT, "2025-01-01", "", &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(CadreTest, HeadcountAgainstQuotaAsOfADay) {
  v1::SetQuotaRequest q;
  q.set_unit_code("C31-VP");
  q.set_year(2026);
  q.set_quota(2);
  v1::SetQuotaResponse qr;
  ASSERT_TRUE(Call(&v1::CadreService::Stub::SetQuota, q, &qr).ok());
  EXPECT_EQ(qr.quota().version(), 1);
  // A stale version (0 again: "create") is refused.
  auto st = Call(&v1::CadreService::Stub::SetQuota, q, &qr);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ABORTED);
  auto a = NewPerson("056185000031", "1985-01-01", v1::GENDER_FEMALE);
  auto b = NewPerson("056090000032", "1990-01-01", v1::GENDER_MALE);
  auto c = NewPerson("056195000033", "1995-01-01", v1::GENDER_FEMALE, kCommune,
                     v1::PERSON_KIND_CONTRACTED);
  v1::RecordAssignmentResponse r;
  ASSERT_TRUE(Assign(a.id(), 1, "C31-TP", v1::MOVEMENT_ASSIGNMENT, "2020-01-01", "", &r).ok());
  ASSERT_TRUE(Assign(b.id(), 1, "C31-VH", v1::MOVEMENT_ASSIGNMENT, "2026-02-01", "", &r).ok());
  ASSERT_TRUE(Assign(c.id(), 1, "C31-VH", v1::MOVEMENT_ASSIGNMENT, "2026-02-01", "", &r).ok());
  v1::GetUnitStaffingRequest sreq;
  sreq.set_unit_code("C31-VP");
  sreq.set_as_of("2026-03-02");
  v1::GetUnitStaffingResponse s;
  ASSERT_TRUE(Call(&v1::CadreService::Stub::GetUnitStaffing, sreq, &s).ok());
  EXPECT_EQ(s.quota().quota(), 2);
  EXPECT_EQ(s.headcount(), 2);
  EXPECT_EQ(s.contracted(), 1);
  EXPECT_EQ(s.vacancies(), 0);
  ASSERT_EQ(s.positions_size(), 3);
  EXPECT_EQ(s.positions(0).code(), "C31-CT");
  EXPECT_EQ(s.positions(0).holders(), 0);
  EXPECT_EQ(s.positions(1).holders(), 1);
  EXPECT_EQ(s.positions(2).holders(), 2);
  // The year before: one person, and no quota set for 2025.
  sreq.set_as_of("2025-12-31");
  ASSERT_TRUE(Call(&v1::CadreService::Stub::GetUnitStaffing, sreq, &s).ok());
  EXPECT_EQ(s.headcount(), 1);
  EXPECT_FALSE(s.has_quota());
}

TEST_F(CadreTest, RosterOfACommuneAsOfDaysIncludesTheWardMergedIntoIt) {
  auto a = NewPerson("056185000041", "1985-01-01", v1::GENDER_FEMALE, kMergedWard);
  auto b = NewPerson("056090000042", "1990-01-01", v1::GENDER_MALE);
  v1::RecordAssignmentResponse r;
  ASSERT_TRUE(Assign(a.id(), 1, "C21-VH", v1::MOVEMENT_ASSIGNMENT, "2016-01-01", "", &r).ok());
  // The merger: the ward's civil servant transferred to the commune on 2025-07-01.
  ASSERT_TRUE(Assign(a.id(), 2, "C31-VH", v1::MOVEMENT_TRANSFER, "2025-07-01", "", &r).ok());
  EXPECT_EQ(r.person().agency_code(), kCommune);
  ASSERT_TRUE(Assign(b.id(), 1, "C31-TP", v1::MOVEMENT_ASSIGNMENT, "2022-01-01", "", &r).ok());
  auto roster = [&](const std::string& as_of) {
    v1::GetRosterRequest req;
    req.set_agency_code(kCommune);
    req.set_as_of(as_of);
    v1::GetRosterResponse resp;
    auto st = Call(&v1::CadreService::Stub::GetRoster, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    std::vector<std::string> out;
    for (const auto& e : resp.entries()) {
      EXPECT_NE(e.person().citizen_id().find('*'), std::string::npos) << "masked in lists";
      out.push_back(e.assignment().position_code());
    }
    return out;
  };
  EXPECT_EQ(roster("2020-01-01"), std::vector<std::string>{"C21-VH"});
  EXPECT_EQ(roster("2026-03-02"), (std::vector<std::string>{"C31-VH", "C31-TP"}));
  // A unit's roster, paged.
  v1::GetRosterRequest req;
  req.set_unit_code("C31-VP");
  req.set_page_size(1);
  v1::GetRosterResponse page;
  ASSERT_TRUE(Call(&v1::CadreService::Stub::GetRoster, req, &page).ok());
  ASSERT_EQ(page.entries_size(), 1);
  ASSERT_FALSE(page.next_page_token().empty());
  req.set_page_token(page.next_page_token());
  ASSERT_TRUE(Call(&v1::CadreService::Stub::GetRoster, req, &page).ok());
  EXPECT_EQ(page.entries_size(), 1);
  EXPECT_TRUE(page.next_page_token().empty());
}

TEST_F(CadreTest, ATransferRecordedAheadMovesThePersonToTheNewAgencyOnItsDay) {
  auto p = NewPerson("056185000121", "1985-01-01", v1::GENDER_FEMALE, kOtherCommune);
  v1::RecordAssignmentResponse r;
  ASSERT_TRUE(
      Assign(p.id(), 1, "C32-VH", v1::MOVEMENT_ASSIGNMENT, "2020-01-01", "", &r, kOtherCommune)
          .ok());
  // The receiving commune records the transfer for next month.
  auto st = Assign(p.id(), 2, "C31-VH", v1::MOVEMENT_TRANSFER, "2026-04-01", "", &r, kCommune);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(r.person().agency_code(), kOtherCommune) << "not yet in force";
  v1::GetPersonRequest get;
  get.set_person_id(p.id());
  v1::GetPersonResponse resp;
  st = Call(&v1::CadreService::Stub::GetPerson, get, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << "still the other's staff";
  clock_.Set(testing::VnTime(2026, 4, 1, 8, 0));
  st = Call(&v1::CadreService::Stub::GetPerson, get, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.person().assignment().agency_code(), kCommune);
  v1::RecordRankResponse rr;
  EXPECT_TRUE(Rank(p.id(), 3, 2, 267, "2026-04-01", &rr).ok()) << "the new agency manages them";
}

TEST_F(CadreTest, RotationsLastAtLeast36MonthsAndSecondmentsEnd) {
  auto p = NewPerson("056185000051", "1985-01-01", v1::GENDER_FEMALE);
  v1::RecordAssignmentResponse r;
  auto st = Assign(p.id(), 1, "C31-VH", v1::MOVEMENT_ROTATION, "2024-01-01", "2026-12-31", &r);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"valid_until"});
  st = Assign(p.id(), 1, "C31-VH", v1::MOVEMENT_SECONDMENT, "2024-01-01", "", &r);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"valid_until"});
  st = Assign(p.id(), 1, "C31-VH", v1::MOVEMENT_ROTATION, "2024-01-01", "2027-01-01", &r);
  EXPECT_TRUE(st.ok()) << st.error_message();
}

TEST_F(CadreTest, EveryListAndAsOfQueryIsIndexBacked) {
  pqxx::connection conn(sut_->config().database_url);
  pqxx::work tx(conn);
  tx.exec("SET LOCAL enable_seqscan = off");
  const AsOf now{absl::CivilDay(2026, 3, 2), std::nullopt};
  const AsOf then{absl::CivilDay(2020, 1, 1), testing::VnTime(2026, 1, 1, 0, 0)};
  std::vector<SqlQuery> queries = {
      CadreStore::ListUnitsQuery({kCommune, kMergedWard}, "", 100),
      CadreStore::ListPeopleQuery({kCommune}, 0, 100),
      CadreStore::PositionsQuery("C31-VP", now),
      CadreStore::HeadcountQuery("C31-VP", then),
      CadreStore::RecordAsOfQuery(1, v1::RECORD_KIND_ASSIGNMENT, now),
      CadreStore::RecordAsOfQuery(1, v1::RECORD_KIND_RANK, then),
      CadreStore::RanksQuery({1, 2, 3}, now),
  };
  for (const AsOf& as_of : {now, then}) {
    RosterFilter by_unit;
    by_unit.unit_codes = {"C31-VP"};
    by_unit.as_of = as_of;
    queries.push_back(CadreStore::RosterQuery(by_unit));
    RosterFilter by_agency;
    by_agency.agency_codes = {kCommune, kMergedWard};
    by_agency.as_of = as_of;
    queries.push_back(CadreStore::RosterQuery(by_agency));
  }
  for (const auto& q : queries) {
    const std::string plan = testing::ExplainPlan(tx, q);
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << q.sql << "\n" << plan;
  }
}

}  // namespace
}  // namespace localgov::cadre
