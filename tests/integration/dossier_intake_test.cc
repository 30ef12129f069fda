// Intake and reading of dossiers, against real PostgreSQL.
#include <atomic>
#include <set>
#include <thread>

#include "common/status.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "services/dossier/convert.h"
#include "services/dossier/dossier_spec.h"
#include "tests/harness/dates.h"
#include "tests/harness/service_fixture.h"

namespace localgov::dossier {
namespace {

using google::protobuf::util::TimeUtil;
using testing::ServiceUnderTest;

constexpr const char* kCommune = "000.00.31.H41";
constexpr const char* kOtherCommune = "000.00.32.H41";
constexpr const char* kCitizenId = "001203004567";

class IntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sut = ServiceUnderTest::Start(Spec());
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::DossierService::NewStub(sut_->channel());
  }

  // The Decree 63/2024 liên thông birth procedure, complete, at the counter.
  static v1::ReceiveDossierRequest Complete(const std::string& request_id) {
    v1::ReceiveDossierRequest r;
    r.set_request_id(request_id);
    r.set_procedure_code("LT-01");
    r.set_channel(v1::CHANNEL_COUNTER);
    r.mutable_applicant()->set_full_name("Nguyễn Văn An");
    r.mutable_applicant()->set_citizen_id(kCitizenId);
    r.add_documents()->set_document_code("to-khai-lien-thong");
    r.add_documents()->set_document_code("giay-chung-sinh");
    *r.mutable_received_time() = ToProto(testing::VnTime(2026, 3, 2, 10, 0));  // Monday 10:00
    return r;
  }

  grpc::Status Receive(const v1::ReceiveDossierRequest& r, v1::ReceiveDossierResponse* resp,
                       Role role = Role::kOfficer, const std::string& agency = kCommune) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, agency, "officer-1");
    return stub_->ReceiveDossier(&ctx, r, resp);
  }

  grpc::Status Get(const std::string& code, v1::GetDossierResponse* resp, Role role,
                   const std::string& agency, const std::string& subject) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, agency, subject);
    v1::GetDossierRequest req;
    req.set_code(code);
    return stub_->GetDossier(&ctx, req, resp);
  }

  int64_t Count(const std::string& sql) {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::nontransaction tx(conn);
    return tx.exec(sql)[0][0].as<int64_t>();
  }

  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<v1::DossierService::Stub> stub_;
};

TEST_F(IntakeTest, ACompleteDossierGetsItsCodeAndTheAppointmentTheLawGives) {
  v1::ReceiveDossierResponse resp;
  auto st = Receive(Complete("r-1"), &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const auto& d = resp.dossier();
  EXPECT_EQ(d.code(), "000.00.31.H41-260302-0001");
  EXPECT_EQ(d.state(), v1::DOSSIER_STATE_ACCEPTED);
  EXPECT_EQ(d.portal_status_code(), 2);
  // Mon 2/3/2026 10:00, 3 working days: Tue 3, Wed 4, Thu 5.
  EXPECT_EQ(d.clock_start_date(), "2026-03-02");
  EXPECT_EQ(d.due_date(), "2026-03-05");
  ASSERT_EQ(d.events_size(), 1);
  EXPECT_EQ(d.events(0).to_state(), v1::DOSSIER_STATE_ACCEPTED);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'dossier.ReceiveDossier'"), 1);
}

TEST_F(IntakeTest, VerificationGivesTheLongerLimitAndAfterThreeMovesTheStart) {
  auto r = Complete("r-2");
  r.set_with_verification(true);
  *r.mutable_received_time() =
      ToProto(testing::VnTime(2026, 3, 6, 15, 30));  // Friday 15:30 -> deemed Monday 9/3
  v1::ReceiveDossierResponse resp;
  ASSERT_TRUE(Receive(r, &resp).ok());
  // 5 working days after Mon 9/3: Tue 10, Wed 11, Thu 12, Fri 13, Mon 16.
  EXPECT_EQ(resp.dossier().clock_start_date(), "2026-03-09");
  EXPECT_EQ(resp.dossier().due_date(), "2026-03-16");
  EXPECT_EQ(resp.dossier().code(), "000.00.31.H41-260306-0001")
      << "the code carries the intake date";
}

TEST_F(IntakeTest, AnIncompleteDossierListsEveryMissingDocumentAtOnce) {
  auto r = Complete("r-3");
  r.clear_documents();
  v1::ReceiveDossierResponse resp;
  ASSERT_TRUE(Receive(r, &resp).ok());
  EXPECT_EQ(resp.dossier().state(), v1::DOSSIER_STATE_SUPPLEMENT_REQUESTED);
  EXPECT_EQ(resp.dossier().portal_status_code(), 5);
  EXPECT_EQ(resp.dossier().missing_documents_size(), 2);
  EXPECT_TRUE(resp.dossier().due_date().empty()) << "no clock until complete";
}

TEST_F(IntakeTest, ARefusalRecordsItsReasons) {
  auto r = Complete("r-4");
  r.add_refusal_reasons("Trẻ đã trên 6 tuổi: không thuộc thủ tục liên thông");
  v1::ReceiveDossierResponse resp;
  ASSERT_TRUE(Receive(r, &resp).ok());
  EXPECT_EQ(resp.dossier().state(), v1::DOSSIER_STATE_NOT_ACCEPTED);
  EXPECT_NE(resp.dossier().events(0).note().find("6 tuổi"), std::string::npos);
}

TEST_F(IntakeTest, ARetryWithTheSameRequestIdCreatesOneDossier) {
  v1::ReceiveDossierResponse a, b;
  ASSERT_TRUE(Receive(Complete("same"), &a).ok());
  ASSERT_TRUE(Receive(Complete("same"), &b).ok());
  EXPECT_EQ(a.dossier().code(), b.dossier().code());
  EXPECT_EQ(Count("SELECT count(*) FROM dossiers"), 1);
}

TEST_F(IntakeTest, ConcurrentIntakesGetDistinctConsecutiveCodes) {
  constexpr int kCounters = 12;
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<std::string> codes;
  for (int i = 0; i < kCounters; ++i) {
    threads.emplace_back([&, i] {
      v1::ReceiveDossierResponse resp;
      if (Receive(Complete("c-" + std::to_string(i)), &resp).ok()) {
        std::lock_guard<std::mutex> lock(mu);
        codes.insert(resp.dossier().code());
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(codes.size(), static_cast<size_t>(kCounters));
  EXPECT_EQ(*codes.begin(), "000.00.31.H41-260302-0001");
  EXPECT_EQ(*codes.rbegin(), "000.00.31.H41-260302-0012");
}

TEST_F(IntakeTest, EachBadFieldGetsItsViolation) {
  v1::ReceiveDossierRequest r;
  r.set_procedure_code("LT-01");
  r.set_channel(v1::CHANNEL_POST);  // LT-01 is online or at the counter only
  r.mutable_applicant()->set_citizen_id("12345");
  r.add_documents()->set_document_code("no-such-document");
  *r.mutable_received_time() = ToProto(testing::VnTime(2026, 3, 2, 10, 0));
  v1::ReceiveDossierResponse resp;
  auto st = Receive(r, &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) fields.push_back(v.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"request_id", "channel", "applicant.full_name",
                                      "applicant.citizen_id", "documents[0].document_code"}));
  r.set_request_id("bad-1");
  r.set_procedure_code("NO-SUCH");
  st = Receive(r, &resp);
  fields.clear();
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"procedure_code"}));
  EXPECT_EQ(Count("SELECT count(*) FROM dossiers"), 0);
}

TEST_F(IntakeTest, AnOfficerOfAnotherAgencyIsDenied) {
  auto r = Complete("x-1");
  r.set_receiving_agency_code(kCommune);
  v1::ReceiveDossierResponse resp;
  EXPECT_EQ(Receive(r, &resp, Role::kOfficer, kOtherCommune).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Receive(r, &resp, Role::kCitizen, "").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Receive(r, &resp, Role::kSystem, "000.00.00.H99").ok())
      << "the portal, for any agency";
}

TEST_F(IntakeTest, ACitizenSeesOnlyTheirOwnDossierAndOfficersOnlyTheirAgencys) {
  v1::ReceiveDossierResponse created;
  ASSERT_TRUE(Receive(Complete("own"), &created).ok());
  const std::string code = created.dossier().code();
  v1::GetDossierResponse got;
  EXPECT_TRUE(Get(code, &got, Role::kCitizen, "", kCitizenId).ok());
  EXPECT_EQ(got.dossier().events_size(), 1);
  EXPECT_EQ(Get(code, &got, Role::kCitizen, "", "079203001111").error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(Get(code, &got, Role::kOfficer, kCommune, "officer-2").ok());
  EXPECT_EQ(Get(code, &got, Role::kOfficer, kOtherCommune, "officer-3").error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get("000.00.31.H41-260302-9999", &got, Role::kAdmin, kCommune, "a").error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace localgov::dossier
