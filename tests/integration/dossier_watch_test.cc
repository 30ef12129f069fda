// WatchDossiers: the resumable change feed for the portal, against real PostgreSQL.
#include <chrono>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "services/dossier/dossier_spec.h"
#include "tests/harness/dates.h"
#include "tests/harness/service_fixture.h"

namespace localgov::dossier {
namespace {

using testing::ServiceUnderTest;
using Change = v1::WatchDossiersResponse;

constexpr const char* kCommune = "000.00.31.H41";
constexpr const char* kOtherCommune = "000.00.32.H41";
constexpr const char* kCitizenId = "001203004567";

// One open stream; reads with a deadline so a missing change fails the test instead of hanging.
class Watch {
 public:
  Watch(v1::DossierService::Stub& stub, const v1::WatchDossiersRequest& req, Role role,
        const std::string& agency, const std::string& subject) {
    ServiceUnderTest::Authorize(ctx_, role, agency, subject);
    ctx_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    reader_ = stub.WatchDossiers(&ctx_, req);
  }
  ~Watch() {
    if (finished_) return;
    ctx_.TryCancel();
    Change ignored;
    while (reader_->Read(&ignored)) {
    }
    reader_->Finish().IgnoreError();
  }
  std::vector<Change> Read(int n) {
    std::vector<Change> out;
    Change c;
    while (static_cast<int>(out.size()) < n && reader_->Read(&c)) out.push_back(c);
    return out;
  }
  // The stream's status when it ended on its own (an error).
  grpc::Status Ended() {
    Change c;
    while (reader_->Read(&c)) {
    }
    finished_ = true;
    return reader_->Finish();
  }

 private:
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReader<Change>> reader_;
  bool finished_ = false;
};

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sut = ServiceUnderTest::Start(Spec(), {}, &clock_);
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::DossierService::NewStub(sut_->channel());
  }

  v1::Dossier Receive(const std::string& request_id, const std::string& agency = kCommune,
                      const std::string& citizen = kCitizenId) {
    v1::ReceiveDossierRequest r;
    r.set_request_id(request_id);
    r.set_procedure_code("LT-01");
    r.set_channel(v1::CHANNEL_COUNTER);
    r.mutable_applicant()->set_full_name("Nguyễn Văn An");
    r.mutable_applicant()->set_citizen_id(citizen);
    r.add_documents()->set_document_code("to-khai-lien-thong");
    r.add_documents()->set_document_code("giay-chung-sinh");
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, agency, "officer-1");
    v1::ReceiveDossierResponse resp;
    auto st = stub_->ReceiveDossier(&ctx, r, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.dossier();
  }

  v1::Dossier StartProcessing(const v1::Dossier& d) {
    v1::StartProcessingRequest r;
    r.set_code(d.code());
    r.set_expected_version(d.version());
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, d.receiving_agency_code(), "officer-1");
    v1::StartProcessingResponse resp;
    auto st = stub_->StartProcessing(&ctx, r, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.dossier();
  }

  static v1::WatchDossiersRequest AgencyWatch(const std::string& agency, int64_t after = 0) {
    v1::WatchDossiersRequest r;
    r.set_agency_code(agency);
    r.set_after_sequence(after);
    return r;
  }

  FakeClock clock_{testing::VnTime(2026, 3, 2, 9, 0)};
  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<v1::DossierService::Stub> stub_;
};

TEST_F(WatchTest, SendsTheHistoryThenLiveChangesInCommitOrder) {
  const auto d1 = Receive("w-1");
  Receive("w-other", kOtherCommune);  // another agency: not in this stream
  Watch portal(*stub_, AgencyWatch(kCommune), Role::kSystem, "000.00.00.H41", "portal");
  auto first = portal.Read(1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].dossier_code(), d1.code());
  EXPECT_EQ(first[0].from_state(), v1::DOSSIER_STATE_UNSPECIFIED);
  EXPECT_EQ(first[0].to_state(), v1::DOSSIER_STATE_ACCEPTED);
  EXPECT_EQ(first[0].portal_status_code(), 2);
  EXPECT_EQ(first[0].dossier_version(), 1);
  EXPECT_EQ(first[0].due_date(), "2026-03-05");
  EXPECT_EQ(first[0].receiving_agency_code(), kCommune);
  // Live: changes committed after the stream caught up arrive without a new call.
  const auto d2 = Receive("w-2");
  StartProcessing(d1);
  auto live = portal.Read(2);
  ASSERT_EQ(live.size(), 2u);
  EXPECT_EQ(live[0].dossier_code(), d2.code());
  EXPECT_EQ(live[1].dossier_code(), d1.code());
  EXPECT_EQ(live[1].from_state(), v1::DOSSIER_STATE_ACCEPTED);
  EXPECT_EQ(live[1].to_state(), v1::DOSSIER_STATE_IN_PROGRESS);
  EXPECT_EQ(live[1].dossier_version(), 2);
  EXPECT_EQ(live[1].event_sequence(), 2);
  EXPECT_LT(first[0].sequence(), live[0].sequence());
  EXPECT_LT(live[0].sequence(), live[1].sequence());
}

TEST_F(WatchTest, AReconnectingPortalResumesAfterItsLastSequenceAndMissesNothing) {
  const auto d1 = Receive("r-1");
  const auto d2 = Receive("r-2");
  int64_t last = 0;
  {
    Watch portal(*stub_, AgencyWatch(kCommune), Role::kSystem, "000.00.00.H41", "portal");
    auto got = portal.Read(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].dossier_code(), d1.code());
    last = got[0].sequence();
  }  // disconnected; meanwhile more happens
  StartProcessing(d1);
  Watch again(*stub_, AgencyWatch(kCommune, last), Role::kSystem, "000.00.00.H41", "portal");
  auto got = again.Read(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].dossier_code(), d2.code());
  EXPECT_EQ(got[0].to_state(), v1::DOSSIER_STATE_ACCEPTED);
  EXPECT_EQ(got[1].dossier_code(), d1.code());
  EXPECT_EQ(got[1].to_state(), v1::DOSSIER_STATE_IN_PROGRESS);
}

TEST_F(WatchTest, ConcurrentIntakesAllReachTheStreamOnceAndInOrder) {
  Watch portal(*stub_, AgencyWatch(kCommune), Role::kSystem, "000.00.00.H41", "portal");
  constexpr int kThreads = 6;
  constexpr int kEach = 5;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) Receive(absl::StrCat("c-", t, "-", i));
    });
  }
  auto got = portal.Read(kThreads * kEach);
  for (auto& th : threads) th.join();
  ASSERT_EQ(got.size(), static_cast<size_t>(kThreads * kEach));
  std::set<std::string> codes;
  for (size_t i = 0; i < got.size(); ++i) {
    codes.insert(got[i].dossier_code());
    if (i > 0) {
      // One agency only, so the feed sequence has no gaps at all.
      EXPECT_EQ(got[i].sequence(), got[i - 1].sequence() + 1);
    }
  }
  EXPECT_EQ(codes.size(), static_cast<size_t>(kThreads * kEach));
}

TEST_F(WatchTest, ChangesCommittedByAnotherReplicaReachTheStream) {
  // A second replica on the same database: its commits do not wake this replica's watchers
  // directly; the watermark's poll finds them.
  const std::string url = sut_->config().database_url;
  auto replica = ServiceUnderTest::Start(
      Spec(), [&](ServiceConfig& c) { c.database_url = url; }, &clock_);
  ASSERT_TRUE(replica.ok()) << replica.status();
  Watch portal(*stub_, AgencyWatch(kCommune), Role::kSystem, "000.00.00.H41", "portal");
  auto other_stub = v1::DossierService::NewStub((*replica)->channel());
  v1::ReceiveDossierRequest r;
  r.set_request_id("replica-1");
  r.set_procedure_code("LT-01");
  r.set_channel(v1::CHANNEL_COUNTER);
  r.mutable_applicant()->set_full_name("Trần Thị Bình");
  r.mutable_applicant()->set_citizen_id(kCitizenId);
  r.add_documents()->set_document_code("to-khai-lien-thong");
  r.add_documents()->set_document_code("giay-chung-sinh");
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-2");
  v1::ReceiveDossierResponse resp;
  ASSERT_TRUE(other_stub->ReceiveDossier(&ctx, r, &resp).ok());
  auto got = portal.Read(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].dossier_code(), resp.dossier().code());
}

TEST_F(WatchTest, ACitizenWatchesTheirOwnDossierOnly) {
  const auto mine = Receive("m-1");
  const auto theirs = Receive("t-1", kCommune, "001203009999");
  v1::WatchDossiersRequest req;
  req.set_dossier_code(mine.code());
  {
    Watch own(*stub_, req, Role::kCitizen, "", kCitizenId);
    auto got = own.Read(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].dossier_code(), mine.code());
    StartProcessing(mine);
    got = own.Read(1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].to_state(), v1::DOSSIER_STATE_IN_PROGRESS);
  }
  req.set_dossier_code(theirs.code());
  Watch other(*stub_, req, Role::kCitizen, "", kCitizenId);
  EXPECT_EQ(other.Ended().error_code(), grpc::StatusCode::NOT_FOUND);
  Watch agency(*stub_, AgencyWatch(kCommune), Role::kCitizen, "", kCitizenId);
  EXPECT_EQ(agency.Ended().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(WatchTest, AnOfficerOfAnotherAgencyIsDenied) {
  Watch w(*stub_, AgencyWatch(kCommune), Role::kOfficer, kOtherCommune, "officer-9");
  EXPECT_EQ(w.Ended().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(WatchTest, BadRequestsNameTheirFields) {
  auto fields_of = [](const grpc::Status& st) {
    std::vector<std::string> fields;
    for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) fields.push_back(v.field);
    return fields;
  };
  v1::WatchDossiersRequest negative = AgencyWatch(kCommune);
  negative.set_after_sequence(-1);  // the input policy: never negative
  Watch n(*stub_, negative, Role::kSystem, "000.00.00.H41", "portal");
  const auto refused = n.Ended();
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(fields_of(refused), (std::vector<std::string>{"after_sequence"}));
  v1::WatchDossiersRequest neither;
  Watch w(*stub_, neither, Role::kSystem, "000.00.00.H41", "portal");
  auto st = w.Ended();
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(fields_of(st), (std::vector<std::string>{"agency_code"}));
  v1::WatchDossiersRequest both = AgencyWatch("not-a-code");
  both.set_dossier_code("X");
  Watch w2(*stub_, both, Role::kSystem, "000.00.00.H41", "portal");
  st = w2.Ended();
  EXPECT_EQ(fields_of(st), (std::vector<std::string>{"dossier_code", "agency_code"}));
}

}  // namespace
}  // namespace localgov::dossier
