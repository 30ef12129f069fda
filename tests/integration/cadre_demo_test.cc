// The generated demo province: deterministic, 3,000+ people with ten years of history, and
// consistent with the service's own rules once loaded (no one-holder seat held twice, no
// person in two places, as-of reads through the RPCs).
#include <chrono>
#include <set>

#include "absl/strings/str_format.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/directory_snapshot.h"
#include "pqxx/pqxx"
#include "services/cadre/cadre_store.h"
#include "services/cadre/demo_data.h"
#include "tests/integration/cadre_fixture.h"

namespace localgov::cadre {
namespace {

class CadreDemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sut = testing::ServiceUnderTest::Start(
        Spec(),
        // The demo province is loaded by SQL here, agencies included: the service keeps its
        // own register (no liaison directory), as a cadre service deployed alone does.
        [](ServiceConfig& c) { c.extras.erase(kDirectoryTrustKeyVariable); }, &clock_);
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::CadreService::NewStub(sut_->channel());
  }
  FakeClock clock_{testing::VnTime(2026, 12, 6, 9, 0)};
  std::unique_ptr<testing::ServiceUnderTest> sut_;
  std::unique_ptr<v1::CadreService::Stub> stub_;
};

std::string Digest(const DemoProvince& d) {
  std::string all;
  for (const auto& p : d.people) {
    all += p.person.SerializeAsString();
    for (const auto& v : p.history) all += v.record.SerializeAsString();
  }
  for (const auto& q : d.quotas) all += q.SerializeAsString();
  return Sha256Hex(all);
}

TEST_F(CadreDemoTest, TheDemoProvinceLoadsAndHoldsTogether) {
  const auto book = *CadreRuleBook::Parse("");
  const auto t0 = std::chrono::steady_clock::now();
  const DemoProvince demo = GenerateDemoProvince({}, book);
  const auto t1 = std::chrono::steady_clock::now();
  EXPECT_EQ(Digest(demo), Digest(GenerateDemoProvince({}, book))) << "deterministic";
  EXPECT_GE(demo.people.size(), 3000u);
  EXPECT_GE(demo.history_versions(), 30000);
  // Every day is a real day of the generated years.
  for (const auto& p : demo.people) {
    ASSERT_TRUE(ParseDay(p.person.birth_date()).has_value()) << p.person.id();
    for (const auto& q : p.qualifications) {
      const auto d = ParseDay(q.awarded_date());
      ASSERT_TRUE(d.has_value() && d->year() > 1950) << q.ShortDebugString();
    }
    for (const auto& v : p.history) {
      const auto d = ParseDay(v.record.valid_from());
      ASSERT_TRUE(d.has_value() && d->year() >= 2016) << v.record.ShortDebugString();
      if (!v.record.valid_until().empty()) {
        ASSERT_GT(v.record.valid_until(), v.record.valid_from()) << v.record.ShortDebugString();
      }
    }
  }
  {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    EXPECT_FALSE(CadreStore::DemoLoaded(tx));
    CadreStore::LoadDemo(tx, demo, clock_.Now());
    EXPECT_TRUE(CadreStore::DemoLoaded(tx));
    tx.commit();
  }
  const auto t2 = std::chrono::steady_clock::now();
  std::cout << "demo: " << demo.people.size() << " people, " << demo.history_versions()
            << " history versions; generated in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(t1 - t0).count()
            << " ms, loaded in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(t2 - t1).count() << " ms\n";

  pqxx::connection conn(sut_->config().database_url);
  pqxx::work tx(conn);
  // No person holds two records of a kind on one day, as known now; no one-holder seat has two
  // holders on one day: ordered by first day, each record ends by the next one's first day.
  EXPECT_EQ(tx.exec("SELECT count(*) FROM (SELECT valid_until, lead(valid_from) OVER (PARTITION BY"
                    " person_id, kind ORDER BY valid_from) AS next FROM cadre_history WHERE"
                    " recorded_until IS NULL) x WHERE next IS NOT NULL AND (valid_until IS NULL"
                    " OR valid_until > next)")[0][0]
                .as<int64_t>(),
            0);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM (SELECT h.valid_until, lead(h.valid_from) OVER"
                    " (PARTITION BY h.position_code ORDER BY h.valid_from) AS next FROM"
                    " cadre_history h JOIN cadre_positions p ON p.code = h.position_code WHERE"
                    " p.max_holders = 1 AND h.kind = 1 AND h.recorded_until IS NULL) x WHERE"
                    " next IS NOT NULL AND (valid_until IS NULL OR valid_until > next)")[0][0]
                .as<int64_t>(),
            0);
  // Every citizen ID is valid; names are Vietnamese.
  for (const auto& p : demo.people) {
    ASSERT_EQ(CitizenIdProblem(p.person.citizen_id(), ParseDay(p.person.birth_date()),
                               p.person.gender() == v1::GENDER_FEMALE),
              "")
        << p.person.id();
  }
  // Some records were corrected after the fact, and leaders were re-appointed.
  EXPECT_GT(tx.exec("SELECT count(*) FROM cadre_history WHERE change_kind = 2")[0][0].as<int>(), 0);
  EXPECT_GT(tx.exec("SELECT count(*) FROM cadre_history WHERE movement = 6")[0][0].as<int>(), 0);
  EXPECT_GT(tx.exec("SELECT count(*) FROM cadre_history WHERE movement = 3")[0][0].as<int>(), 0);

  // Through the service: the commune's roster as of 2020 (its predecessors' staff) and today.
  auto roster = [&](const std::string& as_of) {
    v1::GetRosterRequest req;
    req.set_agency_code(kCommune);
    req.set_as_of(as_of);
    req.set_page_size(1000);
    v1::GetRosterResponse resp;
    grpc::ClientContext ctx;
    testing::ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-31", "personnel");
    auto st = stub_->GetRoster(&ctx, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  };
  const auto in_2020 = roster("2020-01-01");
  const auto today = roster("2026-12-06");
  EXPECT_GT(in_2020.entries_size(), 20);
  EXPECT_GT(today.entries_size(), 20);
  bool predecessor_seen = false;
  for (const auto& e : in_2020.entries()) {
    if (e.assignment().agency_code() == kMergedWard) predecessor_seen = true;
    EXPECT_TRUE(e.has_rank());
  }
  EXPECT_TRUE(predecessor_seen);
  for (const auto& e : today.entries()) EXPECT_EQ(e.assignment().agency_code(), kCommune);
  // The commune's positions against its quota, and its vacant vice-chairman seat.
  v1::GetUnitStaffingRequest sreq;
  sreq.set_unit_code("000.00.31.H41-VP");
  v1::GetUnitStaffingResponse s;
  grpc::ClientContext ctx;
  testing::ServiceUnderTest::Authorize(ctx, Role::kOfficer, kHomeAffairs, "doha", "personnel");
  ASSERT_TRUE(stub_->GetUnitStaffing(&ctx, sreq, &s).ok());
  EXPECT_TRUE(s.has_quota());
  EXPECT_GT(s.headcount(), 0);
  bool vacant = false;
  for (const auto& p : s.positions()) {
    if (p.code() == "000.00.31.H41-VP-PCT2") vacant = p.holders() == 0;
  }
  EXPECT_TRUE(vacant);

  // The seeds' 90.2 %: the 46 communes' standards reports as of the demo's last day, summed,
  // and the generator's own count of the same people.
  int people = 0, meeting = 0;
  for (int n = 31; n <= 76; ++n) {
    v1::GetStandardsReportRequest rreq;
    rreq.set_agency_code(absl::StrFormat("000.00.%02d.H41", n));
    rreq.set_as_of("2026-11-30");
    v1::GetStandardsReportResponse r;
    grpc::ClientContext rctx;
    testing::ServiceUnderTest::Authorize(rctx, Role::kOfficer, kHomeAffairs, "doha", "personnel");
    auto st = stub_->GetStandardsReport(&rctx, rreq, &r);
    ASSERT_TRUE(st.ok()) << st.error_message();
    people += r.total().people();
    meeting += r.total().meeting_standard();
  }
  EXPECT_GT(people, 500);
  EXPECT_EQ((meeting * 1000 + people / 2) / people, 902) << meeting << " of " << people;
  DemoProvince again = GenerateDemoProvince({}, book);
  std::set<std::string> communes;
  for (int n = 31; n <= 76; ++n) communes.insert(absl::StrFormat("000.00.%02d.H41", n));
  const DemoStandards shaped = ShapeCommuneStandards(again, communes, DemoOptions{}.until, 902);
  EXPECT_EQ(shaped.people, people);
  EXPECT_EQ(shaped.meeting, meeting) << "shaping twice changes nothing";
  std::cout << "demo standards: " << meeting << " of " << people << " commune cadres meet them\n";
}

}  // namespace
}  // namespace localgov::cadre
