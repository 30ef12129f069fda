// What falls due in a whole agency (issue 23, item 9) against real PostgreSQL and Redis: the
// agency-wide worklist equals the union of its units' worklists, each item comes once across
// pages, bad input is refused by field, another agency's office is refused. Today is
// 2026-03-02 (the fixture's clock).
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "pqxx/pqxx"
#include "tests/integration/cadre_fixture.h"

namespace localgov::cadre {
namespace {

// What an item says, order aside.
using ItemKey = std::tuple<int64_t, int, std::string, std::string, std::string, std::string>;
ItemKey KeyOf(const v1::DueItem& i) {
  std::string reasons;
  for (const auto& r : i.reasons()) absl::StrAppend(&reasons, r, "|");
  return {i.person_id(), static_cast<int>(i.kind()), i.unit_code(),
          i.due_date(),  i.position_code(),          reasons};
}

class CadreDueAgencyTest : public CadreTest {
 protected:
  void SetUp() override {
    CadreTest::SetUp();
    Unit("C31-KT", kCommune, "Phòng Kinh tế");
    Position("C31-KT-CV", "C31-KT", "Chuyên viên kinh tế", v1::RANK_CHUYEN_VIEN, false, 50);
    // C31-VP: a chair whose term ends, a rotation ending, a clerk; over its quota of 1.
    auto chair = NewPerson("056078000401", "1978-05-05", v1::GENDER_MALE);
    v1::RecordAssignmentResponse a;
    ASSERT_TRUE(
        Assign(chair.id(), 1, "C31-CT", v1::MOVEMENT_APPOINTMENT, "2021-04-01", "", &a).ok());
    auto rotated = NewPerson("056088000402", "1988-02-02", v1::GENDER_MALE);
    ASSERT_TRUE(
        Assign(rotated.id(), 1, "C31-VH", v1::MOVEMENT_ROTATION, "2023-03-15", "2026-03-20", &a)
            .ok());
    auto clerk = NewPerson("056090000403", "1990-07-07", v1::GENDER_MALE);
    ASSERT_TRUE(
        Assign(clerk.id(), 1, "C31-TP", v1::MOVEMENT_ASSIGNMENT, "2020-01-01", "", &a).ok());
    v1::SetQuotaRequest quota;
    quota.set_unit_code("C31-VP");
    quota.set_year(2026);
    quota.set_quota(1);
    v1::SetQuotaResponse qr;
    auto st = Call(&v1::CadreService::Stub::SetQuota, quota, &qr, Role::kOfficer, kHomeAffairs,
                   "doha-officer");
    ASSERT_TRUE(st.ok()) << st.error_message();
    // C31-KT: five specialists at step 3 since 2023-04-01 (a raise due 2026-04-01).
    for (int i = 0; i < 5; ++i) {
      auto p = NewPerson(absl::StrCat("05608500041", i), "1985-04-12", v1::GENDER_MALE);
      ASSERT_TRUE(
          Assign(p.id(), 1, "C31-KT-CV", v1::MOVEMENT_ASSIGNMENT, "2019-03-01", "", &a).ok());
      v1::RecordRankResponse r;
      st = Rank(p.id(), 2, 3, 300, "2023-04-01", &r);
      ASSERT_TRUE(st.ok()) << st.error_message();
      specialists_.push_back(p.id());
    }
    // The other commune's person must not appear.
    auto other = NewPerson("056085000420", "1985-04-12", v1::GENDER_MALE, kOtherCommune);
    st = Assign(other.id(), 1, "C32-VH", v1::MOVEMENT_ASSIGNMENT, "2019-03-01", "", &a,
                kOtherCommune);
    ASSERT_TRUE(st.ok()) << st.error_message();
    other_ = other.id();
  }

  grpc::Status Due(v1::ListDueRequest req, v1::ListDueResponse* resp,
                   const std::string& agency = kCommune) {
    if (req.as_of().empty()) req.set_as_of("2026-03-02");
    if (req.horizon_days() == 0) req.set_horizon_days(365);
    return Call(&v1::CadreService::Stub::ListDue, req, resp, Role::kOfficer, agency);
  }

  // Every page of the agency's worklist, `page_size` items at a time.
  std::vector<v1::DueItem> AllPages(int page_size, int* pages) {
    std::vector<v1::DueItem> out;
    v1::ListDueRequest req;
    req.set_agency_code(kCommune);
    req.set_page_size(page_size);
    *pages = 0;
    for (;;) {
      v1::ListDueResponse resp;
      auto st = Due(req, &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      if (!st.ok()) break;
      ++*pages;
      EXPECT_LE(resp.items_size(), page_size);
      for (const auto& i : resp.items()) out.push_back(i);
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
      if (*pages > 100) break;
    }
    return out;
  }

  std::vector<int64_t> specialists_;
  int64_t other_ = 0;
};

TEST_F(CadreDueAgencyTest, TheAgencysWorklistIsTheUnionOfItsUnitsOnEachPageOnce) {
  std::multiset<ItemKey> units;
  for (const char* unit : {"C31-VP", "C31-KT"}) {
    v1::ListDueRequest req;
    req.set_unit_code(unit);
    v1::ListDueResponse resp;
    auto st = Due(req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    for (const auto& i : resp.items()) {
      EXPECT_EQ(i.unit_code(), unit);
      units.insert(KeyOf(i));
    }
  }
  // By hand: C31-VP's quota, term end, rotation end, three evaluations; C31-KT's five raises
  // and five evaluations (the chair, the rotated and the clerk have no rank: no raise).
  ASSERT_EQ(units.size(), 1u + 1 + 1 + 3 + 5 + 5);
  for (int page_size : {1, 2, 3, 500}) {
    int pages = 0;
    const auto all = AllPages(page_size, &pages);
    std::multiset<ItemKey> agency;
    for (const auto& i : all) agency.insert(KeyOf(i));
    EXPECT_EQ(agency, units) << "page_size " << page_size;
    EXPECT_EQ(pages, (static_cast<int>(units.size()) + page_size - 1) / page_size)
        << "page_size " << page_size;
    // The keyset order: by unit, its quota first (person 0), then by person and kind, each
    // once.
    for (size_t k = 1; k < all.size(); ++k) {
      EXPECT_LT(
          std::make_tuple(all[k - 1].unit_code(), all[k - 1].person_id(),
                          static_cast<int>(all[k - 1].kind())),
          std::make_tuple(all[k].unit_code(), all[k].person_id(), static_cast<int>(all[k].kind())));
    }
    for (const auto& i : all) EXPECT_NE(i.person_id(), other_) << "another agency's person";
  }
  int pages = 0;
  const auto all = AllPages(500, &pages);
  ASSERT_EQ(all.size(), 16u);
  // C31-KT's ten items, then C31-VP's quota first.
  EXPECT_EQ(all[0].unit_code(), "C31-KT");
  EXPECT_EQ(all[10].kind(), v1::DUE_KIND_QUOTA_EXCEEDED);
  EXPECT_EQ(all[10].unit_code(), "C31-VP");
  EXPECT_EQ(all[10].person_id(), 0);
  int raises = 0;
  for (const auto& i : all) {
    if (i.kind() != v1::DUE_KIND_RAISE) continue;
    ++raises;
    EXPECT_EQ(i.due_date(), "2026-04-01");
    EXPECT_NE(std::find(specialists_.begin(), specialists_.end(), i.person_id()),
              specialists_.end());
  }
  EXPECT_EQ(raises, 5);

  // Only the kinds asked for, across pages too.
  v1::ListDueRequest req;
  req.set_agency_code(kCommune);
  req.add_kinds(v1::DUE_KIND_RAISE);
  req.set_page_size(2);
  std::set<int64_t> people;
  for (int page = 0; page < 10; ++page) {
    v1::ListDueResponse resp;
    ASSERT_TRUE(Due(req, &resp).ok());
    for (const auto& i : resp.items()) {
      EXPECT_EQ(i.kind(), v1::DUE_KIND_RAISE);
      EXPECT_TRUE(people.insert(i.person_id()).second) << "once";
    }
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(people.size(), 5u);
}

// A page reads the agency's people a chunk at a time (at least 64): 150 contracted staff (no
// item of theirs is due) in a unit whose code comes first make the first pages read several
// chunks before their first item, and resume in the middle of a unit.
TEST_F(CadreDueAgencyTest, PeopleWithNothingDueAreReadPastUntilThePageIsFull) {
  Unit("C31-AA", kCommune, "Tổ hợp đồng");
  Position("C31-AA-HD", "C31-AA", "Nhân viên hợp đồng", v1::RANK_NHAN_VIEN, false, 200);
  v1::RecordAssignmentResponse a;
  for (int i = 0; i < 150; ++i) {
    auto p = NewPerson(absl::StrCat("056191", 100000 + i), "1991-01-01", v1::GENDER_FEMALE,
                       kCommune, v1::PERSON_KIND_CONTRACTED);
    ASSERT_TRUE(Assign(p.id(), 1, "C31-AA-HD", v1::MOVEMENT_ASSIGNMENT, "2020-01-01", "", &a).ok());
  }
  std::multiset<ItemKey> units;
  for (const char* unit : {"C31-AA", "C31-VP", "C31-KT"}) {
    v1::ListDueRequest req;
    req.set_unit_code(unit);
    v1::ListDueResponse resp;
    ASSERT_TRUE(Due(req, &resp).ok());
    for (const auto& i : resp.items()) units.insert(KeyOf(i));
  }
  ASSERT_EQ(units.size(), 16u);  // as above: the contracted staff add nothing
  for (int page_size : {1, 4, 16}) {
    int pages = 0;
    const auto all = AllPages(page_size, &pages);
    std::multiset<ItemKey> agency;
    for (const auto& i : all) agency.insert(KeyOf(i));
    EXPECT_EQ(agency, units) << "page_size " << page_size;
    EXPECT_EQ(pages, (16 + page_size - 1) / page_size) << "page_size " << page_size;
  }
}

TEST_F(CadreDueAgencyTest, BadInputIsRefusedByField) {
  v1::ListDueResponse resp;
  v1::ListDueRequest both;
  both.set_unit_code("C31-VP");
  both.set_agency_code(kCommune);
  auto st = Due(both, &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"agency_code"});

  st = Due(v1::ListDueRequest{}, &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"unit_code", "agency_code"}));

  for (const std::string token :
       {"garbage!", "Y2QxOg", "eHgxOjE6MTpDMzEtVlA", "Y2QxOjE6OTk6QzMxLVZQ", "Y2QxOjE6MTo"}) {
    v1::ListDueRequest bad;
    bad.set_agency_code(kCommune);
    bad.set_page_token(token);
    st = Due(bad, &resp);
    ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << token;
    EXPECT_EQ(Fields(st), std::vector<std::string>{"page_token"}) << token;
  }
  // A unit's list comes whole: a token is not for it; page sizes have a ceiling.
  int pages = 0;
  v1::ListDueRequest first;
  first.set_agency_code(kCommune);
  first.set_page_size(1);
  ASSERT_TRUE(Due(first, &resp).ok());
  ASSERT_FALSE(resp.next_page_token().empty());
  v1::ListDueRequest unit;
  unit.set_unit_code("C31-VP");
  unit.set_page_token(resp.next_page_token());
  unit.set_page_size(5001);
  st = Due(unit, &resp);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"page_token", "page_size"}));
  (void)pages;
}

// An agency's worklist is computed whole and paged from memory while the database is as it
// was (services/cadre/snapshot_cache.h): any write, through this service or straight into the
// database as another replica's would be, is seen by the next call; a walk of pages goes on
// across a write (its later pages read from the database), each item once and in order.
TEST_F(CadreDueAgencyTest, AWriteIsSeenByTheNextPageAndAWalkGoesOnAcrossIt) {
  int pages = 0;
  ASSERT_EQ(AllPages(500, &pages).size(), 16u);
  ASSERT_EQ(AllPages(500, &pages).size(), 16u);  // kept
  // The first specialist's raise recorded ahead: no longer due.
  v1::RecordRankResponse r;
  auto st = Rank(specialists_[0], 3, 4, 334, "2026-04-01", &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  auto all = AllPages(500, &pages);
  ASSERT_EQ(all.size(), 15u);
  for (const auto& i : all) {
    EXPECT_FALSE(i.person_id() == specialists_[0] && i.kind() == v1::DUE_KIND_RAISE);
  }
  // Another replica's write, straight into the database: a name changed.
  {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work w(conn);
    w.exec_params("UPDATE cadre_people SET full_name = 'Đổi Tên' WHERE id = $1", specialists_[1]);
    w.commit();
  }
  all = AllPages(500, &pages);
  ASSERT_EQ(all.size(), 15u);
  int renamed = 0;
  for (const auto& i : all)
    renamed += i.person_id() == specialists_[1] && i.full_name() == "Đổi Tên";
  EXPECT_EQ(renamed, 2);  // their raise and their evaluation

  // A walk of four a page, the last specialist's raise recorded after its first page.
  v1::ListDueRequest req;
  req.set_agency_code(kCommune);
  req.set_page_size(4);
  std::vector<v1::DueItem> walked;
  for (int page = 0; page < 10; ++page) {
    v1::ListDueResponse resp;
    ASSERT_TRUE(Due(req, &resp).ok());
    for (const auto& i : resp.items()) walked.push_back(i);
    if (page == 0) {
      st = Rank(specialists_[4], 3, 4, 334, "2026-04-01", &r);
      ASSERT_TRUE(st.ok()) << st.error_message();
    }
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(walked.size(), 14u);
  for (size_t k = 1; k < walked.size(); ++k) {
    EXPECT_LT(std::make_tuple(walked[k - 1].unit_code(), walked[k - 1].person_id(),
                              static_cast<int>(walked[k - 1].kind())),
              std::make_tuple(walked[k].unit_code(), walked[k].person_id(),
                              static_cast<int>(walked[k].kind())));
  }
  for (const auto& i : walked) {
    EXPECT_FALSE(i.person_id() == specialists_[4] && i.kind() == v1::DUE_KIND_RAISE);
  }
}

TEST_F(CadreDueAgencyTest, OnlyThePersonnelOfficeOfTheAgencyOrASupervisingOne) {
  v1::ListDueRequest req;
  req.set_agency_code(kCommune);
  v1::ListDueResponse resp;
  EXPECT_EQ(Due(req, &resp, kOtherCommune).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  office_ = "finance";
  EXPECT_EQ(Due(req, &resp).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  office_ = "personnel";
  auto st = Due(req, &resp, kHomeAffairs);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_GT(resp.items_size(), 0);
  req.set_agency_code("000.00.99.H41");
  EXPECT_EQ(Due(req, &resp, kHomeAffairs).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace localgov::cadre
