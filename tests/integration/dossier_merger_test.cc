// DOMAIN.md §0: when communes merge, their dossiers continue under the successor — its staff
// act on them, find them in its worklist, statistics and change feed — and intakes addressed
// to a merged commune are received by its successor. The merger is recorded in the liaison
// service's directory, which the dossier service reads (signed snapshot), against real
// PostgreSQL and Redis.
#include <chrono>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "services/dossier/dossier_spec.h"
#include "services/dossier/dossiers.h"
#include "services/liaison/liaison_spec.h"
#include "tests/harness/dates.h"
#include "tests/harness/servers.h"
#include "tests/harness/service_fixture.h"

namespace localgov {
namespace {

using testing::ServiceUnderTest;
namespace dv1 = dossier::v1;
namespace lv1 = liaison::v1;

constexpr const char* kOldCommuneA = "000.00.22.H41";
constexpr const char* kOldCommuneB = "000.00.23.H41";
constexpr const char* kNewCommune = "000.00.24.H41";
constexpr const char* kOtherCommune = "000.00.26.H41";

class MergerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto liaison = ServiceUnderTest::Start(liaison::Spec(), {});
    ASSERT_TRUE(liaison.ok()) << liaison.status();
    liaison_sut_ = std::move(*liaison);
    liaison_ = lv1::LiaisonService::NewStub(liaison_sut_->channel());
    for (const char* code : {kOldCommuneA, kOldCommuneB, kNewCommune, kOtherCommune}) {
      lv1::CreateAgencyRequest c;
      c.set_request_id(absl::StrCat("create-", code));
      c.mutable_agency()->set_code(code);
      c.mutable_agency()->set_name(absl::StrCat("UBND xã ", code));
      c.mutable_agency()->set_kind(lv1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE);
      lv1::CreateAgencyResponse cr;
      ASSERT_TRUE(Admin(&lv1::LiaisonService::Stub::CreateAgency, c, &cr).ok());
    }
    auto dossier = ServiceUnderTest::Start(
        dossier::Spec(),
        [&](ServiceConfig& c) {
          c.peer_addrs["liaison"] = absl::StrCat("127.0.0.1:", liaison_sut_->service().port());
        },
        &clock_);
    ASSERT_TRUE(dossier.ok()) << dossier.status();
    dossier_sut_ = std::move(*dossier);
    dossiers_ = dv1::DossierService::NewStub(dossier_sut_->channel());
  }

  template <typename Req, typename Resp>
  grpc::Status Admin(grpc::Status (lv1::LiaisonService::Stub::*m)(grpc::ClientContext*, const Req&,
                                                                  Resp*),
                     const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kAdmin, "000.00.00.H99", "admin");
    return ((*liaison_).*m)(&ctx, req, resp);
  }

  void Merge(const char* code, const char* successor, const char* effective = "2026-03-02") {
    lv1::MergeAgencyRequest m;
    m.set_code(code);
    m.set_successor_code(successor);
    m.set_effective_date(effective);
    lv1::MergeAgencyResponse mr;
    auto st = Admin(&lv1::LiaisonService::Stub::MergeAgency, m, &mr);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  // The dossier service reads the directory every few seconds: waits until it has the merger
  // (an officer of the successor may read a merged commune's dossier).
  void AwaitMergerSeen(const std::string& code) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      dv1::Dossier ignored;
      if (Get(code, kNewCommune, &ignored).ok()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "the dossier service did not see the merger within 20 s";
  }

  dv1::Dossier Receive(const std::string& id, Role role, const std::string& caller_agency,
                       const std::string& receiving_agency = "") {
    dv1::ReceiveDossierRequest r;
    r.set_request_id(id);
    r.set_procedure_code("HKD-01");
    r.set_channel(role == Role::kSystem ? dv1::CHANNEL_ONLINE : dv1::CHANNEL_COUNTER);
    r.set_receiving_agency_code(receiving_agency);
    r.mutable_applicant()->set_full_name("Nguyễn Văn " + id);
    r.mutable_applicant()->set_citizen_id("001203004567");
    r.add_documents()->set_document_code("bien-ban-hop");
    r.add_documents()->set_document_code("giay-de-nghi");
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, caller_agency, "officer-" + caller_agency);
    dv1::ReceiveDossierResponse resp;
    auto st = dossiers_->ReceiveDossier(&ctx, r, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.dossier();
  }

  grpc::Status Get(const std::string& code, const std::string& agency, dv1::Dossier* out) {
    dv1::GetDossierRequest r;
    r.set_code(code);
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, agency, "officer-" + agency);
    dv1::GetDossierResponse resp;
    auto st = dossiers_->GetDossier(&ctx, r, &resp);
    *out = resp.dossier();
    return st;
  }

  grpc::Status Start(const dv1::Dossier& d, const std::string& agency) {
    dv1::StartProcessingRequest r;
    r.set_code(d.code());
    r.set_expected_version(d.version());
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, agency, "officer-" + agency);
    dv1::StartProcessingResponse resp;
    return dossiers_->StartProcessing(&ctx, r, &resp);
  }

  std::vector<std::string> Worklist(const std::string& agency, int page_size) {
    std::vector<std::string> codes;
    std::string token;
    do {
      dv1::ListDossiersRequest r;
      r.set_agency_code(agency);
      r.set_page_size(page_size);
      r.set_page_token(token);
      grpc::ClientContext ctx;
      ServiceUnderTest::Authorize(ctx, Role::kOfficer, agency, "officer-" + agency);
      dv1::ListDossiersResponse resp;
      auto st = dossiers_->ListDossiers(&ctx, r, &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      if (!st.ok()) break;
      for (const auto& d : resp.dossiers()) codes.push_back(d.code());
      token = resp.next_page_token();
    } while (!token.empty());
    return codes;
  }

  FakeClock clock_{testing::VnTime(2026, 3, 2, 9, 0)};  // Monday
  std::unique_ptr<ServiceUnderTest> liaison_sut_;
  std::unique_ptr<ServiceUnderTest> dossier_sut_;
  std::unique_ptr<lv1::LiaisonService::Stub> liaison_;
  std::unique_ptr<dv1::DossierService::Stub> dossiers_;
};

TEST_F(MergerTest, TheSuccessorTakesOverTheMergedCommunesDossiers) {
  // Before the merger: one dossier at each old commune, one at the new one (due Thu 5/3),
  // and one received the next day (due Fri 6/3), so the worklist mixes the three agencies.
  const auto at_a = Receive("a-1", Role::kOfficer, kOldCommuneA);
  const auto at_new = Receive("n-1", Role::kOfficer, kNewCommune);
  clock_.Advance(absl::Hours(24));
  const auto at_b = Receive("b-1", Role::kOfficer, kOldCommuneB);
  ASSERT_TRUE(absl::StartsWith(at_a.code(), kOldCommuneA)) << at_a.code();
  dv1::Dossier seen;
  ASSERT_EQ(Get(at_a.code(), kNewCommune, &seen).error_code(), grpc::StatusCode::NOT_FOUND)
      << "not yet merged: another commune's dossier";

  Merge(kOldCommuneA, kNewCommune);
  Merge(kOldCommuneB, kNewCommune);
  AwaitMergerSeen(at_a.code());

  // Its staff read and move the merged commune's dossier; the code stays as it was.
  ASSERT_TRUE(Get(at_a.code(), kNewCommune, &seen).ok());
  EXPECT_EQ(seen.receiving_agency_code(), kOldCommuneA);
  auto st = Start(at_a, kNewCommune);
  EXPECT_TRUE(st.ok()) << st.error_message();
  // Another commune's staff still may not.
  EXPECT_EQ(Get(at_b.code(), kOtherCommune, &seen).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Start(at_b, kOtherCommune).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // The portal still addresses the old commune: the successor receives it, under its own code.
  const auto redirected = Receive("portal-1", Role::kSystem, "000.00.00.H99", kOldCommuneB);
  EXPECT_EQ(redirected.receiving_agency_code(), kNewCommune);
  EXPECT_TRUE(absl::StartsWith(redirected.code(), kNewCommune)) << redirected.code();
  ASSERT_GT(redirected.events_size(), 0);
  EXPECT_NE(redirected.events(0).note().find(absl::StrCat("merged into ", kNewCommune)),
            std::string::npos)
      << redirected.events(0).note();

  // One worklist in due-date order across the three communes' dossiers, page after page.
  const std::vector<std::string> expected = {at_a.code(), at_new.code(), at_b.code(),
                                             redirected.code()};
  EXPECT_EQ(Worklist(kNewCommune, 100), expected);
  EXPECT_EQ(Worklist(kNewCommune, 1), expected);
  EXPECT_EQ(Worklist(kOtherCommune, 100), std::vector<std::string>{});

  // The successor's figures count them; the change feed carries them.
  dv1::GetAgencyStatisticsRequest sr;
  sr.set_agency_code(kNewCommune);
  sr.set_from_date("2026-03-01");
  sr.set_to_date("2026-03-31");
  grpc::ClientContext sctx;
  ServiceUnderTest::Authorize(sctx, Role::kLeader, kNewCommune, "leader");
  dv1::GetAgencyStatisticsResponse stats;
  ASSERT_TRUE(dossiers_->GetAgencyStatistics(&sctx, sr, &stats).ok());
  EXPECT_EQ(stats.statistics().received(), 4);
  EXPECT_EQ(stats.statistics().in_progress(), 4);

  dv1::WatchDossiersRequest wr;
  wr.set_agency_code(kNewCommune);
  grpc::ClientContext wctx;
  ServiceUnderTest::Authorize(wctx, Role::kOfficer, kNewCommune, "officer");
  wctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  auto reader = dossiers_->WatchDossiers(&wctx, wr);
  std::set<std::string> watched;
  dv1::WatchDossiersResponse change;
  for (int i = 0; i < 5 && reader->Read(&change); ++i) watched.insert(change.dossier_code());
  wctx.TryCancel();
  while (reader->Read(&change)) {
  }
  reader->Finish().IgnoreError();
  EXPECT_EQ(watched, (std::set<std::string>(expected.begin(), expected.end())))
      << "four intakes and one start";
}

// docs/api.md, "Merged communes": from the merger's date an officer's token that still names
// the merged commune acts for the successor (the old commune's staff continue as the
// successor's, DOMAIN.md §0): it reads and moves the successor's dossiers, those of the other
// commune merged into it too, and receives under the successor's code. A third commune's
// dossiers stay out of its reach.
TEST_F(MergerTest, AnOfficerTokenNamingTheMergedCommuneActsForTheSuccessor) {
  const auto at_new = Receive("n-1", Role::kOfficer, kNewCommune);
  const auto at_b = Receive("b-1", Role::kOfficer, kOldCommuneB);
  const auto at_other = Receive("o-1", Role::kOfficer, kOtherCommune);
  dv1::Dossier seen;
  ASSERT_EQ(Get(at_new.code(), kOldCommuneA, &seen).error_code(), grpc::StatusCode::NOT_FOUND)
      << "before the merger: another commune's dossier";
  Merge(kOldCommuneA, kNewCommune);
  Merge(kOldCommuneB, kNewCommune);
  AwaitMergerSeen(at_b.code());
  EXPECT_TRUE(Get(at_new.code(), kOldCommuneA, &seen).ok());
  EXPECT_TRUE(Get(at_b.code(), kOldCommuneA, &seen).ok()) << "the other merged commune's too";
  EXPECT_TRUE(Start(at_new, kOldCommuneA).ok());
  EXPECT_EQ(Get(at_other.code(), kOldCommuneA, &seen).error_code(), grpc::StatusCode::NOT_FOUND);
  const auto received = Receive("a-after", Role::kOfficer, kOldCommuneA);
  EXPECT_EQ(received.receiving_agency_code(), kNewCommune);
  EXPECT_TRUE(absl::StartsWith(received.code(), kNewCommune)) << received.code();
}

// DOMAIN.md §0: a merger takes effect on its date. Recorded on Monday 2/3 for Thursday 5/3,
// it changes nothing on Wednesday: the old commune receives and keeps its own dossiers. From
// Thursday the successor answers for them.
TEST_F(MergerTest, AMergerRecordedAheadOfItsEffectiveDateChangesNothingBeforeIt) {
  const auto at_a = Receive("a-1", Role::kOfficer, kOldCommuneA);
  Merge(kOldCommuneA, kNewCommune, "2026-03-05");
  clock_.Set(testing::VnTime(2026, 3, 5, 9, 0));
  AwaitMergerSeen(at_a.code());  // the dossier service holds the directory with the merger

  clock_.Set(testing::VnTime(2026, 3, 4, 16, 59));  // Wednesday, the day before
  dv1::Dossier seen;
  EXPECT_EQ(Get(at_a.code(), kNewCommune, &seen).error_code(), grpc::StatusCode::NOT_FOUND)
      << "not the successor's yet";
  const auto addressed = Receive("portal-early", Role::kSystem, "000.00.00.H99", kOldCommuneA);
  EXPECT_EQ(addressed.receiving_agency_code(), kOldCommuneA);
  EXPECT_TRUE(absl::StartsWith(addressed.code(), kOldCommuneA)) << addressed.code();
  EXPECT_EQ(Worklist(kNewCommune, 100), std::vector<std::string>{});
  EXPECT_EQ(Worklist(kOldCommuneA, 100), (std::vector<std::string>{at_a.code(), addressed.code()}));
  EXPECT_TRUE(Start(at_a, kOldCommuneA).ok()) << "its own staff still act on it";

  clock_.Set(testing::VnTime(2026, 3, 5, 7, 30));  // Thursday: the merger is in force
  ASSERT_TRUE(Get(at_a.code(), kNewCommune, &seen).ok());
  const auto redirected = Receive("portal-on-day", Role::kSystem, "000.00.00.H99", kOldCommuneA);
  EXPECT_EQ(redirected.receiving_agency_code(), kNewCommune);
  EXPECT_EQ(Worklist(kNewCommune, 100).size(), 3u);
}

TEST_F(MergerTest, AStreamOpenedBeforeTheMergerCarriesTheMergedCommunesChangesAfterIt) {
  const auto at_a = Receive("a-1", Role::kOfficer, kOldCommuneA);
  dv1::WatchDossiersRequest wr;
  wr.set_agency_code(kNewCommune);
  grpc::ClientContext wctx;
  ServiceUnderTest::Authorize(wctx, Role::kSystem, "000.00.00.H99", "portal");
  wctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  auto reader = dossiers_->WatchDossiers(&wctx, wr);
  const auto at_new = Receive("n-1", Role::kOfficer, kNewCommune);
  dv1::WatchDossiersResponse change;
  ASSERT_TRUE(reader->Read(&change));
  EXPECT_EQ(change.dossier_code(), at_new.code()) << "its own intake; not yet the old commune's";

  Merge(kOldCommuneA, kNewCommune);
  AwaitMergerSeen(at_a.code());
  ASSERT_TRUE(Start(at_a, kNewCommune).ok());
  ASSERT_TRUE(reader->Read(&change)) << "the stream ended";
  EXPECT_EQ(change.dossier_code(), at_a.code());
  EXPECT_EQ(change.to_state(), dv1::DOSSIER_STATE_IN_PROGRESS);
  wctx.TryCancel();
  while (reader->Read(&change)) {
  }
  reader->Finish().IgnoreError();
}

TEST_F(MergerTest, TheLateDossierAlertCountsAMergedCommunesDossiersUnderItsSuccessor) {
  Receive("a-1", Role::kOfficer, kOldCommuneA);  // due Thu 5/3
  Receive("n-1", Role::kOfficer, kNewCommune);
  Receive("o-1", Role::kOfficer, kOtherCommune);
  auto& ctx = dossier_sut_->service().context();
  dossier::CalendarService calendar(ctx.db, clock_);
  dossier::Catalogue catalogue(ctx.db, clock_);
  dossier::PublicLookup lookup(ctx.db, ctx.redis, "test");
  dossier::Dossiers dossiers(ctx.db, clock_, catalogue, calendar, lookup);
  dossiers.SetAgencyResolver([](const std::string& code) {
    return code == kOldCommuneA || code == kNewCommune
               ? dossier::Dossiers::Answering{kNewCommune, {kNewCommune, kOldCommuneA}}
               : dossier::Dossiers::Answering{code, {code}};
  });
  clock_.Set(testing::VnTime(2026, 3, 6, 9, 0));
  auto late = dossiers.LateWithoutApologyByAgency();
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_EQ(*late,
            (std::vector<std::pair<std::string, int64_t>>{{kNewCommune, 2}, {kOtherCommune, 1}}));
}

}  // namespace
}  // namespace localgov
