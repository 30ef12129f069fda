// A transition retried by a client that lost the answer (issue 25): with a request_id, the
// retry with the same expected_version gets the first answer instead of ABORTED, even once the
// dossier moved on; without one, today's behaviour. Real PostgreSQL; the answer is lost for
// real: the client's deadline passes while a row lock holds the commit back.
#include <chrono>
#include <thread>

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

constexpr const char* kCommune = "000.00.31.H41";

class TransitionRetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sut = ServiceUnderTest::Start(Spec(), {}, &clock_);
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::DossierService::NewStub(sut_->channel());
  }

  v1::Dossier Receive(const std::string& request_id) {
    v1::ReceiveDossierRequest r;
    r.set_request_id(request_id);
    r.set_procedure_code("HKD-01");
    r.set_channel(v1::CHANNEL_COUNTER);
    r.mutable_applicant()->set_full_name("Nguyễn Văn An");
    r.mutable_applicant()->set_citizen_id("001203004567");
    r.add_documents()->set_document_code("bien-ban-hop");
    r.add_documents()->set_document_code("giay-de-nghi");
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    v1::ReceiveDossierResponse resp;
    EXPECT_TRUE(stub_->ReceiveDossier(&ctx, r, &resp).ok());
    return resp.dossier();
  }

  grpc::Status Start(const v1::StartProcessingRequest& r, v1::Dossier* out,
                     const std::string& subject = "officer-1",
                     std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, subject);
    ctx.set_deadline(std::chrono::system_clock::now() + deadline);
    v1::StartProcessingResponse resp;
    auto st = stub_->StartProcessing(&ctx, r, &resp);
    if (st.ok() && out != nullptr) *out = resp.dossier();
    return st;
  }

  v1::Dossier Get(const std::string& code) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    v1::GetDossierRequest r;
    r.set_code(code);
    v1::GetDossierResponse resp;
    EXPECT_TRUE(stub_->GetDossier(&ctx, r, &resp).ok());
    return resp.dossier();
  }

  int AuditCount(const std::string& code, const std::string& action) {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::nontransaction tx(conn);
    return tx
        .exec_params("SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = $2", code,
                     action)[0][0]
        .as<int>();
  }

  FakeClock clock_{testing::VnTime(2026, 3, 2, 9, 0)};  // Monday
  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<v1::DossierService::Stub> stub_;
};

TEST_F(TransitionRetryTest, ARetryOfACommittedTransitionWhoseAnswerWasLostGetsTheFirstAnswer) {
  const v1::Dossier d = Receive("retry-1");
  ASSERT_EQ(d.version(), 1);
  v1::StartProcessingRequest r;
  r.set_code(d.code());
  r.set_expected_version(1);
  r.set_request_id("officer-1:start:retry-1");

  // The answer is lost: a lock on the dossier's row holds the commit back until the client has
  // given up; then the transition commits, unseen by the client.
  {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work locker(conn);
    locker.exec_params("SELECT 1 FROM dossiers WHERE code = $1 FOR UPDATE", d.code());
    EXPECT_EQ(Start(r, nullptr, "officer-1", std::chrono::milliseconds(800)).error_code(),
              grpc::StatusCode::DEADLINE_EXCEEDED);
    locker.commit();
  }
  v1::Dossier now;
  for (int i = 0; i < 100; ++i) {
    now = Get(d.code());
    if (now.version() == 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(now.version(), 2) << "the transition committed although its answer was lost";
  ASSERT_EQ(now.state(), v1::DOSSIER_STATE_IN_PROGRESS);

  // The officer's retry, same expected version and request id: the first answer.
  v1::Dossier first;
  auto st = Start(r, &first);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(first.version(), 2);
  EXPECT_EQ(first.state(), v1::DOSSIER_STATE_IN_PROGRESS);
  EXPECT_EQ(first.events_size(), now.events_size());

  // The dossier moves on (a payment is requested); the retry still gets the first answer.
  v1::RequestPaymentRequest rp;
  rp.set_code(d.code());
  rp.set_expected_version(2);
  rp.set_amount_vnd(100000);
  rp.set_reason("Lệ phí");
  rp.set_request_id("officer-1:pay:retry-1");
  {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    v1::RequestPaymentResponse resp;
    ASSERT_TRUE(stub_->RequestPayment(&ctx, rp, &resp).ok());
    EXPECT_EQ(resp.dossier().version(), 3);
  }
  v1::Dossier again;
  ASSERT_TRUE(Start(r, &again).ok());
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString()) << "the stored answer, unchanged";
  EXPECT_EQ(Get(d.code()).version(), 3) << "a replay writes nothing";
  EXPECT_EQ(AuditCount(d.code(), "dossier.StartProcessing"), 1) << "done once";

  // The same request id with another body: refused, as intake does.
  v1::StartProcessingRequest other = r;
  other.set_expected_version(3);
  EXPECT_EQ(Start(other, nullptr).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  // Another officer's request id is theirs alone: the same id is a new call, stale here.
  EXPECT_EQ(Start(r, nullptr, "officer-2").error_code(), grpc::StatusCode::ABORTED);
  // No request id: today's behaviour, a stale version is ABORTED.
  v1::StartProcessingRequest plain = r;
  plain.clear_request_id();
  EXPECT_EQ(Start(plain, nullptr).error_code(), grpc::StatusCode::ABORTED);
  // A malformed request id is a field violation.
  v1::StartProcessingRequest bad = r;
  bad.set_request_id("no spaces allowed");
  auto refused = Start(bad, nullptr);
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(refused))) fields.push_back(v.field);
  EXPECT_EQ(fields, std::vector<std::string>{"request_id"});
}

TEST_F(TransitionRetryTest, ConcurrentDuplicatesOfOneTransitionAllGetTheSameAnswer) {
  const v1::Dossier d = Receive("retry-2");
  v1::StartProcessingRequest r;
  r.set_code(d.code());
  r.set_expected_version(d.version());
  r.set_request_id("dup-start-2");
  std::vector<v1::Dossier> answers(4);
  std::vector<grpc::Status> statuses(4);
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&, i] { statuses[i] = Start(r, &answers[i]); });
  }
  for (auto& t : clients) t.join();
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << i << ": " << statuses[i].error_message();
    EXPECT_EQ(answers[i].version(), d.version() + 1);
    EXPECT_EQ(answers[i].SerializeAsString(), answers[0].SerializeAsString());
  }
  EXPECT_EQ(AuditCount(d.code(), "dossier.StartProcessing"), 1);
  EXPECT_EQ(Get(d.code()).version(), d.version() + 1);
}

}  // namespace
}  // namespace localgov::dossier
