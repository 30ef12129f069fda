// Intake and reading of dossiers, against real PostgreSQL.
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "common/audit.h"
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

  // Holds the commune's code counter for 2/3/2026 (an uncommitted row) so that the next
  // intake waits in its transaction while others queue behind it; waits until it does.
  std::unique_ptr<pqxx::work> HoldCounterAndSendFirst(pqxx::connection& conn, std::thread& first) {
    auto blocker = std::make_unique<pqxx::work>(conn);
    blocker->exec(
        "INSERT INTO dossier_code_counters (agency, day, last) VALUES"
        " ('000.00.31.H41', '2026-03-02', 0)");
    first = std::thread([this] {
      v1::ReceiveDossierResponse resp;
      EXPECT_TRUE(Receive(Complete("first"), &resp).ok());
    });
    for (int i = 0; i < 100 && Count("SELECT count(*) FROM pg_stat_activity WHERE"
                                     " wait_event_type = 'Lock' AND query LIKE"
                                     " '%dossier_code_counters%'") == 0;
         ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return blocker;
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

TEST_F(IntakeTest, IntakesArrivingTogetherAreWrittenTogetherYetEachGetsItsOwnOutcome) {
  pqxx::connection blocker_conn(sut_->config().database_url);
  std::thread first;
  auto blocker = HoldCounterAndSendFirst(blocker_conn, first);
  std::mutex mu;
  std::vector<std::string> codes_of_same;
  std::set<std::string> codes;
  int clash_created = 0, clash_refused = 0;
  std::vector<std::thread> threads;
  auto record = [&](const v1::ReceiveDossierResponse& resp) {
    std::lock_guard<std::mutex> lock(mu);
    codes.insert(resp.dossier().code());
  };
  for (int i = 0; i < 6; ++i) {  // distinct requests, two communes
    threads.emplace_back([&, i] {
      auto r = Complete("d-" + std::to_string(i));
      const std::string agency = i % 2 == 0 ? kCommune : kOtherCommune;
      r.set_receiving_agency_code(agency);
      v1::ReceiveDossierResponse resp;
      auto st = Receive(r, &resp, Role::kOfficer, agency);
      EXPECT_TRUE(st.ok()) << st.error_message();
      record(resp);
    });
  }
  for (int i = 0; i < 3; ++i) {  // one request sent three times at once
    threads.emplace_back([&] {
      v1::ReceiveDossierResponse resp;
      auto st = Receive(Complete("same"), &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      record(resp);
      std::lock_guard<std::mutex> lock(mu);
      codes_of_same.push_back(resp.dossier().code());
    });
  }
  for (int i = 0; i < 2; ++i) {  // one request_id, two different bodies
    threads.emplace_back([&, i] {
      auto r = Complete("clash");
      r.mutable_applicant()->set_full_name(i == 0 ? "Trần Thị Bình" : "Lê Văn Cường");
      v1::ReceiveDossierResponse resp;
      auto st = Receive(r, &resp);
      std::lock_guard<std::mutex> lock(mu);
      if (st.ok()) {
        ++clash_created;
        codes.insert(resp.dossier().code());
      } else {
        EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS) << st.error_message();
        ++clash_refused;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // all queued
  blocker->commit();
  first.join();
  for (auto& t : threads) t.join();

  ASSERT_EQ(codes_of_same.size(), 3u);
  EXPECT_EQ(codes_of_same[0], codes_of_same[1]);
  EXPECT_EQ(codes_of_same[0], codes_of_same[2]);
  EXPECT_EQ(clash_created, 1);
  EXPECT_EQ(clash_refused, 1);
  // first, 6 distinct, "same" once, "clash" once: 9 dossiers, each code once, and each
  // commune's day numbered without a gap.
  EXPECT_EQ(Count("SELECT count(*) FROM dossiers"), 9);
  EXPECT_EQ(Count("SELECT count(*) FROM dossiers WHERE receiving_agency = '000.00.31.H41'"
                  " AND code <= '000.00.31.H41-260302-0006'"),
            6);
  EXPECT_EQ(Count("SELECT count(*) FROM dossiers WHERE receiving_agency = '000.00.32.H41'"
                  " AND code <= '000.00.32.H41-260302-0003'"),
            3);
  EXPECT_LT(Count("SELECT count(DISTINCT xmin::text) FROM dossiers"), 9)
      << "intakes that arrived together share a transaction";
  // The metric: every one of the 12 calls was in one group, and fewer groups than calls.
  double groups = -1, calls = -1;
  for (const auto& f : sut_->service().context().metrics.registry().Collect()) {
    if (f.name != "localgov_dossier_intake_group_size") continue;
    groups = static_cast<double>(f.metric.at(0).histogram.sample_count);
    calls = f.metric.at(0).histogram.sample_sum;
  }
  EXPECT_EQ(calls, 12);
  EXPECT_GT(groups, 0);
  EXPECT_LT(groups, 12);
  // One history event, one feed change (sequences 1..9), one audit record and one stored
  // response per dossier; the audit chain holds.
  EXPECT_EQ(Count("SELECT count(*) FROM dossier_events"), 9);
  EXPECT_EQ(Count("SELECT count(*) FROM dossier_changes WHERE sequence BETWEEN 1 AND 9"), 9);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'dossier.ReceiveDossier'"), 9);
  EXPECT_EQ(Count("SELECT count(*) FROM idempotency_keys WHERE response IS NOT NULL"), 9);
  pqxx::connection conn(sut_->config().database_url);
  pqxx::work tx(conn);
  auto verified = VerifyAuditChain(tx);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->ok) << verified->reason;
}

TEST_F(IntakeTest, AnIntakeTheDatabaseRefusesFailsAloneNotItsGroup) {
  {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    tx.exec(
        "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF NEW.applicant_name = 'Poison' THEN RAISE EXCEPTION 'refused'; END IF;"
        " RETURN NEW; END $$;"
        " CREATE TRIGGER refuse_poison BEFORE INSERT ON dossiers FOR EACH ROW"
        " EXECUTE FUNCTION refuse_poison()");
    tx.commit();
  }
  pqxx::connection blocker_conn(sut_->config().database_url);
  std::thread first;
  auto blocker = HoldCounterAndSendFirst(blocker_conn, first);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  grpc::StatusCode poison_code = grpc::StatusCode::OK;
  for (int i = 0; i < 5; ++i) {
    threads.emplace_back([&, i] {
      auto r = Complete("g-" + std::to_string(i));
      if (i == 2) r.mutable_applicant()->set_full_name("Poison");
      v1::ReceiveDossierResponse resp;
      auto st = Receive(r, &resp);
      if (i == 2) {
        poison_code = st.error_code();
      } else if (st.ok()) {
        ++ok;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // all queued
  blocker->commit();
  first.join();
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_NE(poison_code, grpc::StatusCode::OK);
  EXPECT_EQ(Count("SELECT count(*) FROM dossiers"), 5);
  EXPECT_EQ(Count("SELECT max(last) FROM dossier_code_counters"), 5) << "no code lost";
  EXPECT_EQ(Count("SELECT count(*) FROM idempotency_keys WHERE request_id = 'g-2'"), 0)
      << "the refused intake may be sent again";
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
