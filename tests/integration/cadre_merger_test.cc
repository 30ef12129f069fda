// Merger plans against real PostgreSQL and the real liaison directory (cadre_fixture.h: the
// ward 000.00.21.H41 merged into the commune 000.00.31.H41 on 2025-07-01, today 2026-03-02):
// previewed, applied, retried, a stale plan refused, read as of the day before and after, old
// unit codes resolving, access and bad input.
#include <thread>

#include "tests/integration/cadre_fixture.h"

namespace localgov::cadre {
namespace {

using google::protobuf::util::TimeUtil;

class CadreMergerTest : public CadreTest {
 protected:
  void SetUp() override {
    CadreTest::SetUp();
    // The ward: its office C21-VP (a name the commune does not have), a second office of the
    // same name as the commune's (it folds into C31-VP), and its chairman's unit.
    Unit("C21-VX", kMergedWard, "Văn phòng HĐND và UBND");
    Unit("C21-UB", kMergedWard, "Ủy ban nhân dân phường");
    Position("C21-VX-VH", "C21-VX", "Công chức Văn hóa - Xã hội", v1::RANK_CHUYEN_VIEN, false, 1);
    Position("C21-CT", "C21-UB", "Chủ tịch UBND", v1::RANK_CHUYEN_VIEN, true, 1);
    Quota("C21-VX", 2025, 2);
    Quota("C31-VP", 2025, 10);
    a_ = NewPerson("056185000101", "1985-04-12", v1::GENDER_FEMALE, kMergedWard);
    b_ = NewPerson("056090000102", "1990-09-30", v1::GENDER_MALE, kMergedWard);
    c_ = NewPerson("056075000103", "1975-01-15", v1::GENDER_MALE, kMergedWard,
                   v1::PERSON_KIND_CADRE);
    v1::RecordAssignmentResponse r;
    ASSERT_TRUE(Assign(a_.id(), 1, "C21-VH", v1::MOVEMENT_ASSIGNMENT, "2024-01-01", "", &r).ok());
    ASSERT_TRUE(
        Assign(b_.id(), 1, "C21-VX-VH", v1::MOVEMENT_ASSIGNMENT, "2023-05-01", "", &r).ok());
    auto st = Assign(c_.id(), 1, "C21-CT", v1::MOVEMENT_APPOINTMENT, "2021-06-01", "", &r);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  void Quota(const std::string& unit, int year, int quota) {
    v1::SetQuotaRequest req;
    req.set_unit_code(unit);
    req.set_year(year);
    req.set_quota(quota);
    v1::SetQuotaResponse resp;
    auto st = Call(&v1::CadreService::Stub::SetQuota, req, &resp, Role::kOfficer, kHomeAffairs,
                   "doha-officer");
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  grpc::Status Preview(v1::PreviewMergerResponse* resp, const std::string& agency = kMergedWard,
                       const std::string& on = "2025-07-01", const std::string& successor = "",
                       const std::string& caller = kCommune) {
    v1::PreviewMergerRequest req;
    req.set_agency_code(agency);
    req.set_successor_code(successor);
    req.set_merged_on(on);
    return Call(&v1::CadreService::Stub::PreviewMerger, req, resp, Role::kOfficer, caller);
  }

  grpc::Status Apply(const std::string& request_id, const std::string& fingerprint,
                     v1::ApplyMergerResponse* resp, const std::string& agency = kMergedWard) {
    v1::ApplyMergerRequest req;
    req.set_request_id(request_id);
    req.set_agency_code(agency);
    req.set_merged_on("2025-07-01");
    req.set_expected_fingerprint(fingerprint);
    return Call(&v1::CadreService::Stub::ApplyMerger, req, resp);
  }

  v1::GetRosterResponse Roster(const std::string& unit, const std::string& as_of) {
    v1::GetRosterRequest req;
    req.set_unit_code(unit);
    req.set_as_of(as_of);
    v1::GetRosterResponse resp;
    auto st = Call(&v1::CadreService::Stub::GetRoster, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }

  static std::map<int64_t, std::string> Positions(const v1::GetRosterResponse& r) {
    std::map<int64_t, std::string> out;
    for (const auto& e : r.entries()) out[e.person().id()] = e.assignment().position_code();
    return out;
  }

  v1::Person a_, b_, c_;
};

TEST_F(CadreMergerTest, PreviewListsWhatMovesAndWritesNothing) {
  v1::PreviewMergerResponse resp;
  auto st = Preview(&resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const auto& plan = resp.plan();
  EXPECT_EQ(plan.blockers_size(), 0) << plan.DebugString();
  EXPECT_EQ(plan.successor_code(), kCommune);
  ASSERT_EQ(plan.units_size(), 3);
  EXPECT_EQ(plan.units(0).from_unit_code(), "C21-UB");
  EXPECT_EQ(plan.units(0).to_unit_code(), "000.00.31.H41-C21-UB");
  EXPECT_TRUE(plan.units(0).creates_unit());
  EXPECT_EQ(plan.units(1).to_unit_code(), "000.00.31.H41-C21-VP");
  EXPECT_EQ(plan.units(2).from_unit_code(), "C21-VX");
  EXPECT_EQ(plan.units(2).to_unit_code(), "C31-VP") << "the same name folds";
  EXPECT_FALSE(plan.units(2).creates_unit());
  std::map<std::string, v1::MergerPositionMove> pos;
  for (const auto& p : plan.positions()) pos[p.from_position_code()] = p;
  EXPECT_EQ(pos["C21-VX-VH"].to_position_code(), "C31-VH");
  EXPECT_EQ(pos["C21-VX-VH"].max_holders(), 4) << "3 + 1";
  EXPECT_TRUE(pos["C21-CT"].creates_position());
  ASSERT_EQ(plan.quotas_size(), 1);
  EXPECT_EQ(plan.quotas(0).unit_code(), "C31-VP");
  EXPECT_EQ(plan.quotas(0).quota_before(), 10);
  EXPECT_EQ(plan.quotas(0).quota_after(), 12);
  ASSERT_EQ(plan.people_size(), 3);
  EXPECT_EQ(plan.people(0).person_id(), a_.id());
  EXPECT_EQ(plan.people(0).position_code(), "C21-VH");
  EXPECT_EQ(plan.people(2).movement(), "MOVEMENT_APPOINTMENT");
  // Asked by the successor for every agency merged into it that day: the same plan.
  v1::PreviewMergerResponse by_successor;
  ASSERT_TRUE(Preview(&by_successor, kCommune).ok());
  EXPECT_EQ(by_successor.plan().fingerprint(), plan.fingerprint());
  // Nothing was written: the old unit still answers for itself today.
  EXPECT_EQ(Roster("C21-VP", "2026-03-02").moved_to_unit_code(), "");
  EXPECT_EQ(Roster("C21-VP", "2026-03-02").entries_size(), 1);
}

TEST_F(CadreMergerTest, BlockersOfTheDirectoryAndTheDay) {
  v1::PreviewMergerResponse resp;
  ASSERT_TRUE(Preview(&resp, kMergedWard, "2025-08-01").ok());
  ASSERT_EQ(resp.plan().blockers_size(), 1);
  EXPECT_EQ(resp.plan().blockers(0).code(), "DATE_MISMATCH");
  // Another commune, not merged, named with the commune as its successor.
  ASSERT_TRUE(Preview(&resp, kOtherCommune, "2025-07-01", kCommune).ok());
  ASSERT_GE(resp.plan().blockers_size(), 1);
  EXPECT_EQ(resp.plan().blockers(0).code(), "NOT_MERGED");
  // A record starting after the merger's day in the ward blocks it; applying is refused.
  v1::RecordAssignmentResponse r;
  auto st = Assign(a_.id(), 2, "C21-VH", v1::MOVEMENT_ASSIGNMENT, "2025-09-01", "", &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_TRUE(Preview(&resp).ok());
  std::vector<std::string> codes;
  for (const auto& b : resp.plan().blockers()) codes.push_back(b.code());
  EXPECT_EQ(codes, std::vector<std::string>{"RECORD_AFTER_MERGER_DAY"});
  v1::ApplyMergerResponse applied;
  st = Apply("merge-blocked", resp.plan().fingerprint(), &applied);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_NE(st.error_message().find("2025-09-01"), std::string::npos) << st.error_message();
}

TEST_F(CadreMergerTest, ApplyMovesStaffFromTheDayAndKeepsTheDayBefore) {
  v1::PreviewMergerResponse preview;
  ASSERT_TRUE(Preview(&preview).ok());
  const absl::Time before_apply = clock_.Now();
  clock_.Advance(absl::Hours(1));
  v1::ApplyMergerResponse applied;
  auto st = Apply("merge-21", preview.plan().fingerprint(), &applied);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_GT(applied.merger_id(), 0);
  EXPECT_EQ(applied.plan().fingerprint(), preview.plan().fingerprint());

  // The day before: the old units, their staff, the ward's agency.
  auto eve = Roster("C21-VP", "2025-06-30");
  EXPECT_EQ(eve.moved_to_unit_code(), "");
  EXPECT_EQ(Positions(eve), (std::map<int64_t, std::string>{{a_.id(), "C21-VH"}}));
  EXPECT_EQ(Positions(Roster("C31-VP", "2025-06-30")).count(b_.id()), 0u);
  EXPECT_EQ(Get(a_.id(), "2025-06-30").assignment().agency_code(), kMergedWard);
  // From the day: the successor's units; the old code answers with its successor unit.
  auto day = Roster("C21-VP", "2025-07-01");
  EXPECT_EQ(day.moved_to_unit_code(), "000.00.31.H41-C21-VP");
  EXPECT_EQ(Positions(day),
            (std::map<int64_t, std::string>{{a_.id(), "000.00.31.H41-C21-VP-C21-VH"}}));
  EXPECT_EQ(Positions(Roster("C21-VX", "2025-07-01")),
            (std::map<int64_t, std::string>{{b_.id(), "C31-VH"}}));
  EXPECT_EQ(Positions(Roster("C31-VP", "2026-03-02")).at(b_.id()), "C31-VH");
  const auto a_after = Get(a_.id(), "2025-07-01");
  EXPECT_EQ(a_after.assignment().agency_code(), kCommune);
  EXPECT_EQ(a_after.agency_code(), kCommune) << "the merger is in force today";
  EXPECT_EQ(a_after.version(), a_.version() + 2);
  // The chairman keeps his appointment's term.
  const auto c_after = Get(c_.id(), "2025-07-01");
  EXPECT_EQ(c_after.assignment().movement(), v1::MOVEMENT_APPOINTMENT);
  EXPECT_EQ(c_after.assignment().term_end_date(), "2026-06-01");
  EXPECT_EQ(c_after.assignment().valid_until(), "2026-06-01");
  // As known before the merger was applied, the ward's picture stood after the day too.
  EXPECT_EQ(Get(a_.id(), "2025-07-02", before_apply).assignment().position_code(), "C21-VH");

  // Staffing by the old code: the successor's unit, its quota summed, 3 + 1 culture posts.
  v1::GetUnitStaffingRequest sreq;
  sreq.set_unit_code("C21-VX");
  sreq.set_as_of("2025-07-02");
  v1::GetUnitStaffingResponse staffing;
  ASSERT_TRUE(Call(&v1::CadreService::Stub::GetUnitStaffing, sreq, &staffing).ok());
  EXPECT_EQ(staffing.moved_to_unit_code(), "C31-VP");
  EXPECT_EQ(staffing.unit().code(), "C31-VP");
  EXPECT_EQ(staffing.quota().quota(), 12);
  for (const auto& p : staffing.positions()) {
    if (p.code() == "C31-VH") {
      EXPECT_EQ(p.max_holders(), 4);
    }
  }

  // The history: the old version kept (recorded_until set), its ended copy, the new record.
  v1::GetPersonHistoryRequest hreq;
  hreq.set_person_id(a_.id());
  v1::GetPersonHistoryResponse h;
  ASSERT_TRUE(Call(&v1::CadreService::Stub::GetPersonHistory, hreq, &h).ok());
  ASSERT_EQ(h.records_size(), 3);
  EXPECT_TRUE(h.records(0).has_recorded_until());
  EXPECT_EQ(h.records(1).valid_until(), "2025-07-01");
  EXPECT_EQ(h.records(2).valid_from(), "2025-07-01");
  EXPECT_NE(h.records(2).reason().find("merger"), std::string::npos);

  // A retry answers the first result; the same key with another body is refused; applying
  // again with a new key is blocked (the units moved already).
  v1::ApplyMergerResponse again;
  st = Apply("merge-21", preview.plan().fingerprint(), &again);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(again.merger_id(), applied.merger_id());
  EXPECT_EQ(again.plan().people_size(), 3);
  st = Apply("merge-21", std::string(64, 'a'), &again);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS) << st.error_message();
  v1::PreviewMergerResponse after;
  ASSERT_TRUE(Preview(&after).ok());
  ASSERT_GE(after.plan().blockers_size(), 1);
  EXPECT_EQ(after.plan().blockers(0).code(), "UNIT_ALREADY_MOVED");
  st = Apply("merge-21-again", after.plan().fingerprint(), &again);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
}

TEST_F(CadreMergerTest, APlanThatChangedSinceThePreviewIsRefused) {
  v1::PreviewMergerResponse preview;
  ASSERT_TRUE(Preview(&preview).ok());
  // Someone's record changes after the preview (a rank: the person's version moves).
  v1::RecordRankResponse rank;
  auto st = Rank(b_.id(), 2, 2, 267, "2024-01-01", &rank);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::ApplyMergerResponse applied;
  st = Apply("merge-stale", preview.plan().fingerprint(), &applied);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ABORTED) << st.error_message();
  EXPECT_NE(st.error_message().find("preview it again"), std::string::npos);
  // Nothing moved; a fresh preview applies.
  EXPECT_EQ(Roster("C21-VX", "2025-07-01").moved_to_unit_code(), "");
  ASSERT_TRUE(Preview(&preview).ok());
  st = Apply("merge-stale", preview.plan().fingerprint(), &applied);
  ASSERT_TRUE(st.ok()) << "a refused attempt left no claim on its request_id: "
                       << st.error_message();
}

TEST_F(CadreMergerTest, ConcurrentAppliesMoveTheStaffOnce) {
  v1::PreviewMergerResponse preview;
  ASSERT_TRUE(Preview(&preview).ok());
  // Four officers apply the same plan at once, each with their own request_id: the first
  // moves the staff, the others find the units moved (the merged agency's row is locked).
  std::vector<grpc::Status> results(4);
  std::vector<std::thread> writers;
  for (int i = 0; i < 4; ++i) {
    writers.emplace_back([&, i] {
      v1::ApplyMergerResponse r;
      results[i] = Apply(absl::StrCat("merge-race-", i), preview.plan().fingerprint(), &r);
    });
  }
  for (auto& t : writers) t.join();
  int applied = 0, refused = 0;
  for (const auto& st : results) {
    if (st.ok()) {
      ++applied;
    } else {
      EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
      ++refused;
    }
  }
  EXPECT_EQ(applied, 1);
  EXPECT_EQ(refused, 3);
  v1::GetPersonHistoryRequest hreq;
  hreq.set_person_id(b_.id());
  v1::GetPersonHistoryResponse h;
  ASSERT_TRUE(Call(&v1::CadreService::Stub::GetPersonHistory, hreq, &h).ok());
  EXPECT_EQ(h.records_size(), 3) << "one move: the first record, its ended version, the new one";
}

TEST_F(CadreMergerTest, OnlyTheSuccessorsPersonnelOfficeAndGoodInput) {
  v1::PreviewMergerResponse resp;
  // Another commune's personnel office; the commune's finance office.
  auto st = Preview(&resp, kMergedWard, "2025-07-01", "", kOtherCommune);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  office_ = "finance";
  st = Preview(&resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  v1::ApplyMergerResponse applied;
  st = Apply("merge-finance", std::string(64, '0'), &applied);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  office_ = "personnel";
  // A citizen is refused by role.
  v1::PreviewMergerRequest req;
  req.set_agency_code(kMergedWard);
  req.set_merged_on("2025-07-01");
  st = Call(&v1::CadreService::Stub::PreviewMerger, req, &resp, Role::kCitizen, kCommune,
            "056185000101");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  // The province's personnel office supervises the commune: allowed.
  st = Call(&v1::CadreService::Stub::PreviewMerger, req, &resp, Role::kOfficer, kProvince,
            "province-officer");
  EXPECT_TRUE(st.ok()) << st.error_message();
  // Bad input: every field named, nothing read.
  req.set_agency_code("");
  req.set_merged_on("2025-02-30");
  st = Call(&v1::CadreService::Stub::PreviewMerger, req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"agency_code", "merged_on"}));
  req.set_agency_code(kMergedWard);
  req.set_successor_code(kMergedWard);
  req.set_merged_on("");
  st = Call(&v1::CadreService::Stub::PreviewMerger, req, &resp);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"successor_code", "merged_on"}));
  v1::ApplyMergerRequest areq;
  areq.set_agency_code(kMergedWard);
  areq.set_merged_on("2025-07-01");
  areq.set_expected_fingerprint("not-a-fingerprint");
  st = Call(&v1::CadreService::Stub::ApplyMerger, areq, &applied);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"request_id", "expected_fingerprint"}));
  // An unknown agency.
  st = Preview(&resp, "000.00.99.H41");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
}

}  // namespace
}  // namespace localgov::cadre
