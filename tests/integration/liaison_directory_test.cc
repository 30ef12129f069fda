// CreateAgency / GetAgency: the foundation's proof that a write RPC is validated, authorised,
// idempotent, all-or-nothing and audited.
#include <thread>

#include "common/audit.h"
#include "common/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "services/liaison/liaison_spec.h"
#include "tests/harness/service_fixture.h"

namespace localgov::liaison {
namespace {

using testing::ServiceUnderTest;

class DirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sut = ServiceUnderTest::Start(Spec());
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::LiaisonService::NewStub(sut_->channel());
  }

  static v1::CreateAgencyRequest Request(const std::string& request_id,
                                         const std::string& code = "000.00.31.H41") {
    v1::CreateAgencyRequest req;
    req.set_request_id(request_id);
    auto* a = req.mutable_agency();
    a->set_code(code);
    a->set_name("Ủy ban nhân dân xã Tân Phú");
    a->set_kind(v1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE);
    a->set_administrative_unit_code("25747");
    return req;
  }

  grpc::Status Create(const v1::CreateAgencyRequest& req, v1::CreateAgencyResponse* resp,
                      Role role = Role::kAdmin) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, "000.00.00.H41", "admin-1");
    return stub_->CreateAgency(&ctx, req, resp);
  }

  int64_t Count(const std::string& sql) {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::nontransaction tx(conn);
    return tx.exec(sql)[0][0].as<int64_t>();
  }

  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<v1::LiaisonService::Stub> stub_;
};

TEST_F(DirectoryTest, AdminRegistersAnAgencyThatCanBeReadBackAndIsAudited) {
  v1::CreateAgencyResponse created;
  auto st = Create(Request("req-1"), &created);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(created.agency().code(), "000.00.31.H41");
  EXPECT_EQ(created.agency().status(), v1::AGENCY_STATUS_ACTIVE);
  EXPECT_EQ(created.agency().etag(), "v1");

  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kOfficer);
  v1::GetAgencyRequest get;
  get.set_code("000.00.31.H41");
  v1::GetAgencyResponse got;
  ASSERT_TRUE(stub_->GetAgency(&ctx, get, &got).ok());
  EXPECT_EQ(got.agency().name(), "Ủy ban nhân dân xã Tân Phú");
  EXPECT_EQ(got.agency().create_time().seconds(), created.agency().create_time().seconds());

  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'liaison.CreateAgency'"
                  " AND entity_id = '000.00.31.H41' AND actor = 'admin-1'"),
            1);
}

TEST_F(DirectoryTest, BadRequestCarriesEveryFieldViolationAndWritesNothing) {
  v1::CreateAgencyRequest req;
  req.mutable_agency()->set_code("G22");
  v1::CreateAgencyResponse resp;
  auto st = Create(req, &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // Decoded as any gRPC client would: google.rpc.Status in grpc-status-details-bin.
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(st.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad));
  std::vector<std::string> fields;
  for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  EXPECT_EQ(fields,
            (std::vector<std::string>{"request_id", "agency.code", "agency.name", "agency.kind"}));
  EXPECT_EQ(Count("SELECT count(*) FROM agencies"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), 0);
}

TEST_F(DirectoryTest, OnlyAdminsAndSystemsMayRegisterAgencies) {
  v1::CreateAgencyResponse resp;
  EXPECT_EQ(Create(Request("r1"), &resp, Role::kOfficer).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Create(Request("r2"), &resp, Role::kCitizen).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Create(Request("r3"), &resp, Role::kSystem).ok());
  grpc::ClientContext anonymous;
  EXPECT_EQ(stub_->CreateAgency(&anonymous, Request("r4"), &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(DirectoryTest, ARetryWithTheSameRequestIdReturnsTheFirstResultAndCreatesOnce) {
  v1::CreateAgencyResponse first, second;
  ASSERT_TRUE(Create(Request("same-id"), &first).ok());
  ASSERT_TRUE(Create(Request("same-id"), &second).ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ(Count("SELECT count(*) FROM agencies"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), 1);
}

TEST_F(DirectoryTest, TheSameRequestIdForADifferentBodyIsRefused) {
  v1::CreateAgencyResponse resp;
  ASSERT_TRUE(Create(Request("id-x"), &resp).ok());
  EXPECT_EQ(Create(Request("id-x", "000.00.32.H41"), &resp).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Count("SELECT count(*) FROM agencies"), 1);
}

TEST_F(DirectoryTest, ConcurrentRetriesOfOneCreateMakeOneAgency) {
  constexpr int kClients = 8;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&] {
      v1::CreateAgencyResponse resp;
      if (Create(Request("burst-1"), &resp).ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kClients);
  EXPECT_EQ(Count("SELECT count(*) FROM agencies"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), 1);
}

TEST_F(DirectoryTest, ATakenCodeIsAlreadyExists) {
  v1::CreateAgencyResponse resp;
  ASSERT_TRUE(Create(Request("a"), &resp).ok());
  auto st = Create(Request("b"), &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), 1);
}

TEST_F(DirectoryTest, GetAgencyErrors) {
  v1::GetAgencyResponse resp;
  v1::GetAgencyRequest req;
  req.set_code("000.00.99.H41");
  grpc::ClientContext ctx1;
  ServiceUnderTest::Authorize(ctx1, Role::kCitizen);
  EXPECT_EQ(stub_->GetAgency(&ctx1, req, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
  req.set_code("nonsense");
  grpc::ClientContext ctx2;
  ServiceUnderTest::Authorize(ctx2, Role::kCitizen);
  EXPECT_EQ(stub_->GetAgency(&ctx2, req, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace localgov::liaison
