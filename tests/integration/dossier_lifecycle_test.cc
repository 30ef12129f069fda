// A dossier's life through the transition RPCs, on a fake clock, against real PostgreSQL.
// HKD-01 (3 working days, all steps at the commune); steps handed to other agencies are in
// liaison_exchange_test.cc.
#include <atomic>
#include <thread>
#include <type_traits>

#include "common/clock.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "services/dossier/dossier_spec.h"
#include "services/dossier/portal_codes.h"
#include "services/dossier/rules.h"
#include "tests/harness/dates.h"
#include "tests/harness/service_fixture.h"

namespace localgov::dossier {
namespace {

using testing::ServiceUnderTest;

constexpr const char* kCommune = "000.00.31.H41";
constexpr const char* kCitizenId = "001203004567";

class LifecycleRpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sut = ServiceUnderTest::Start(Spec(), {}, &clock_);
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::DossierService::NewStub(sut_->channel());
  }

  v1::Dossier Receive(const std::string& request_id = "life-1",
                      v1::Channel channel = v1::CHANNEL_COUNTER) {
    v1::ReceiveDossierRequest r;
    r.set_request_id(request_id);
    r.set_procedure_code("HKD-01");
    r.set_channel(channel);
    r.mutable_applicant()->set_full_name("Nguyễn Văn An");
    r.mutable_applicant()->set_citizen_id(kCitizenId);
    r.add_documents()->set_document_code("bien-ban-hop");
    r.add_documents()->set_document_code("giay-de-nghi");
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    v1::ReceiveDossierResponse resp;
    EXPECT_TRUE(stub_->ReceiveDossier(&ctx, r, &resp).ok());
    return resp.dossier();
  }

  template <typename Request, typename Response, typename Call>
  grpc::Status Do(Call call, Request req, v1::Dossier* out, Role role = Role::kOfficer,
                  const std::string& agency = kCommune, const std::string& subject = "officer-1") {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, agency, subject);
    Response resp;
    auto st = (stub_.get()->*call)(&ctx, req, &resp);
    if (st.ok() && out != nullptr) *out = resp.dossier();
    return st;
  }

  grpc::Status Start(const v1::Dossier& d, v1::Dossier* out, Role role = Role::kOfficer,
                     const std::string& agency = kCommune) {
    v1::StartProcessingRequest r;
    r.set_code(d.code());
    r.set_expected_version(d.version());
    return Do<v1::StartProcessingRequest, v1::StartProcessingResponse>(
        &v1::DossierService::Stub::StartProcessing, r, out, role, agency);
  }

  // RequestSupplement for "giay-de-nghi", at `d`'s version.
  grpc::Status AskForDocument(const v1::Dossier& d, v1::Dossier* out) {
    v1::RequestSupplementRequest r;
    r.set_code(d.code());
    r.set_expected_version(d.version());
    r.add_missing_document_codes("giay-de-nghi");
    return Do<v1::RequestSupplementRequest, v1::RequestSupplementResponse>(
        &v1::DossierService::Stub::RequestSupplement, r, out);
  }

  // CompleteSupplement with "giay-de-nghi", at `d`'s version.
  grpc::Status HandInDocument(const v1::Dossier& d, v1::Dossier* out) {
    v1::CompleteSupplementRequest r;
    r.set_code(d.code());
    r.set_expected_version(d.version());
    r.add_documents()->set_document_code("giay-de-nghi");
    return Do<v1::CompleteSupplementRequest, v1::CompleteSupplementResponse>(
        &v1::DossierService::Stub::CompleteSupplement, r, out);
  }

  grpc::Status Result(const v1::Dossier& d, v1::Dossier* out) {
    v1::RecordResultRequest r;
    r.set_code(d.code());
    r.set_expected_version(d.version());
    return Do<v1::RecordResultRequest, v1::RecordResultResponse>(
        &v1::DossierService::Stub::RecordResult, r, out);
  }

  // GetAgencyStatistics as the commune's leader.
  grpc::Status Stats(const std::string& agency, const std::string& from, const std::string& to,
                     v1::AgencyStatistics* out) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kLeader, kCommune, "leader-1");
    v1::GetAgencyStatisticsRequest req;
    req.set_agency_code(agency);
    req.set_from_date(from);
    req.set_to_date(to);
    v1::GetAgencyStatisticsResponse resp;
    auto st = stub_->GetAgencyStatistics(&ctx, req, &resp);
    if (out != nullptr) *out = resp.statistics();
    return st;
  }

  FakeClock clock_{testing::VnTime(2026, 3, 2, 9, 0)};  // Monday
  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<v1::DossierService::Stub> stub_;
};

TEST_F(LifecycleRpcTest, FromCounterToReturnWithASupplementAndAnApology) {
  v1::Dossier d = Receive();
  ASSERT_EQ(d.due_date(), "2026-03-05");  // Mon 2/3 + 3 working days
  ASSERT_TRUE(Start(d, &d).ok());
  EXPECT_EQ(d.state(), v1::DOSSIER_STATE_IN_PROGRESS);

  clock_.Set(testing::VnTime(2026, 3, 3, 10, 0));
  ASSERT_TRUE(AskForDocument(d, &d).ok());
  EXPECT_EQ(d.portal_status_code(), 5);

  clock_.Set(testing::VnTime(2026, 3, 10, 15, 30));  // Tue after 15:00 -> clock from Wed 11/3
  ASSERT_TRUE(HandInDocument(d, &d).ok());
  EXPECT_EQ(d.due_date(), "2026-03-16");  // Thu 12, Fri 13, Mon 16
  ASSERT_TRUE(Start(d, &d).ok());

  clock_.Set(testing::VnTime(2026, 3, 13, 16, 0));  // Fri: the working day before Mon 16/3
  v1::ApologizeRequest ap;
  ap.set_code(d.code());
  ap.set_expected_version(d.version());
  ap.set_reason("Chờ Công an xác minh nơi cư trú");
  ap.set_new_due_date("2026-03-18");
  ASSERT_TRUE((Do<v1::ApologizeRequest, v1::ApologizeResponse>(&v1::DossierService::Stub::Apologize,
                                                               ap, &d))
                  .ok());
  EXPECT_EQ(d.due_date(), "2026-03-18");
  ap.set_expected_version(d.version());
  ap.set_new_due_date("2026-03-20");
  EXPECT_EQ((Do<v1::ApologizeRequest, v1::ApologizeResponse>(&v1::DossierService::Stub::Apologize,
                                                             ap, nullptr))
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "the new date is set only once";

  clock_.Set(testing::VnTime(2026, 3, 18, 10, 0));
  ASSERT_TRUE(Result(d, &d).ok());
  EXPECT_EQ(d.outcome(), v1::OUTCOME_CLASS_ON_TIME);
  v1::ReturnResultRequest ret;
  ret.set_code(d.code());
  ret.set_expected_version(d.version());
  ASSERT_TRUE((Do<v1::ReturnResultRequest, v1::ReturnResultResponse>(
                   &v1::DossierService::Stub::ReturnResult, ret, &d))
                  .ok());
  EXPECT_EQ(d.state(), v1::DOSSIER_STATE_RETURNED);
  EXPECT_EQ(d.events_size(), 8);
  EXPECT_EQ(d.version(), 8);

  pqxx::connection conn(sut_->config().database_url);
  pqxx::nontransaction tx(conn);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM audit_log WHERE entity_id = '" + d.code() + "'")[0][0]
                .as<int>(),
            8);
  EXPECT_EQ(
      tx.exec("SELECT count(*) FROM dossier_events WHERE dossier_code = '" + d.code() + "'")[0][0]
          .as<int>(),
      8);
}

TEST_F(LifecycleRpcTest, TwoOfficersAtOnceExactlyOneWinsAndStaleWritesAreAborted) {
  const v1::Dossier d = Receive();
  std::atomic<int> ok{0}, aborted{0};
  std::vector<std::thread> officers;
  for (int i = 0; i < 4; ++i) {
    officers.emplace_back([&] {
      const auto st = Start(d, nullptr);
      if (st.ok()) ++ok;
      if (st.error_code() == grpc::StatusCode::ABORTED) ++aborted;
    });
  }
  for (auto& t : officers) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(aborted.load(), 3);
  EXPECT_EQ(Start(d, nullptr).error_code(), grpc::StatusCode::ABORTED) << "version 1 is stale";
}

TEST_F(LifecycleRpcTest, AnotherAgencyIsDeniedAndTheApplicantMayOnlyWithdraw) {
  v1::Dossier d = Receive();
  EXPECT_EQ(Start(d, nullptr, Role::kOfficer, "000.00.32.H41").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::StartProcessingRequest sp;
  sp.set_code(d.code());
  sp.set_expected_version(d.version());
  EXPECT_EQ(
      (Do<v1::StartProcessingRequest, v1::StartProcessingResponse>(
           &v1::DossierService::Stub::StartProcessing, sp, nullptr, Role::kCitizen, "", kCitizenId))
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::WithdrawDossierRequest w;
  w.set_code(d.code());
  w.set_expected_version(d.version());
  EXPECT_EQ((Do<v1::WithdrawDossierRequest, v1::WithdrawDossierResponse>(
                 &v1::DossierService::Stub::WithdrawDossier, w, nullptr, Role::kCitizen, "",
                 "079203009999"))
                .error_code(),
            grpc::StatusCode::NOT_FOUND)
      << "someone else's dossier does not exist for them";
  ASSERT_TRUE(
      (Do<v1::WithdrawDossierRequest, v1::WithdrawDossierResponse>(
           &v1::DossierService::Stub::WithdrawDossier, w, &d, Role::kCitizen, "", kCitizenId))
          .ok());
  EXPECT_EQ(d.portal_status_code(), 7);
}

TEST_F(LifecycleRpcTest, DocumentsCannotBeRequestedAfterTheThirdWorkingDay) {
  v1::Dossier d = Receive();
  clock_.Set(testing::VnTime(2026, 3, 6, 8, 0));  // Fri: intake Mon + 3 working days ended Thu
  EXPECT_EQ(AskForDocument(d, nullptr).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::StopProcessingRequest stop;
  stop.set_code(d.code());
  stop.set_expected_version(d.version());
  EXPECT_EQ((Do<v1::StopProcessingRequest, v1::StopProcessingResponse>(
                 &v1::DossierService::Stub::StopProcessing, stop, nullptr))
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT)
      << "a refusal needs reasons";
}

// DOMAIN.md: rule sets are versioned by effective date and a case follows the set in force on
// the day it started. A later set (LOCALGOV_ONE_STOP_RULES) from Tuesday 3/3: documents may be
// asked for within 1 working day, and the cutoff is 16:30.
TEST_F(LifecycleRpcTest, ARuleSetAppliesToDossiersReceivedFromItsDayOnly) {
  auto sut = ServiceUnderTest::Start(
      Spec(),
      [](ServiceConfig& c) {
        c.extras[OneStopRuleBook::kVariable] =
            "2026-03-03:supplement_window=1,receipt_cutoff=16:30";
      },
      &clock_);
  ASSERT_TRUE(sut.ok()) << sut.status();
  sut_ = std::move(*sut);
  stub_ = v1::DossierService::NewStub(sut_->channel());

  const v1::Dossier before = Receive("rules-before");  // Mon 2/3 09:00: Decree 118/2025's set
  clock_.Set(testing::VnTime(2026, 3, 3, 16, 0));      // Tue 16:00, before the new 16:30
  const v1::Dossier after = Receive("rules-after");
  EXPECT_EQ(after.clock_start_date(), "2026-03-03") << "received before 16:30: that day";
  clock_.Set(testing::VnTime(2026, 3, 5, 9, 0));  // Thu
  // Received Mon: Tue (1), Wed (2), Thu (3) — still in time.
  EXPECT_TRUE(AskForDocument(before, nullptr).ok());
  // Received Tue: Wed (1) — Thursday is too late.
  grpc::Status late = AskForDocument(after, nullptr);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(late.error_message().find("within 1 working day of intake (until 2026-03-04)"),
            std::string::npos)
      << late.error_message();
}

// DOMAIN.md §1: the portal status codes are unverified, so a province may renumber states
// (LOCALGOV_PORTAL_STATUS_CODES). Every answer that carries a code uses its table.
TEST_F(LifecycleRpcTest, APortalStatusTableOfTheProvinceNumbersEveryAnswer) {
  auto sut = ServiceUnderTest::Start(
      Spec(),
      [](ServiceConfig& c) { c.extras[PortalCodes::kVariable] = "ACCEPTED=12,IN_PROGRESS=14"; },
      &clock_);
  ASSERT_TRUE(sut.ok()) << sut.status();
  sut_ = std::move(*sut);
  stub_ = v1::DossierService::NewStub(sut_->channel());

  const v1::Dossier received = Receive("portal-codes");
  EXPECT_EQ(received.portal_status_code(), 12);
  {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    v1::ListDossiersRequest req;
    v1::ListDossiersResponse resp;
    ASSERT_TRUE(stub_->ListDossiers(&ctx, req, &resp).ok());
    ASSERT_EQ(resp.dossiers_size(), 1);
    EXPECT_EQ(resp.dossiers(0).portal_status_code(), 12);
  }
  v1::Dossier started;
  ASSERT_TRUE(Start(received, &started).ok());
  EXPECT_EQ(started.portal_status_code(), 14);
  {
    v1::GetDossierRequest req;
    req.set_code(received.code());
    v1::Dossier got;
    ASSERT_TRUE((Do<v1::GetDossierRequest, v1::GetDossierResponse>(
                     &v1::DossierService::Stub::GetDossier, req, &got))
                    .ok());
    EXPECT_EQ(got.portal_status_code(), 14);
  }
  {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kSystem, "000.00.00.H41", "portal");
    v1::LookupDossierRequest req;
    req.set_code(received.code());
    req.set_second_factor(std::string(kCitizenId).substr(8));
    v1::LookupDossierResponse resp;
    ASSERT_TRUE(stub_->LookupDossier(&ctx, req, &resp).ok());
    EXPECT_EQ(resp.dossier().portal_status_code(), 14);
  }
  {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kSystem, "000.00.00.H41", "portal");
    v1::WatchDossiersRequest req;
    req.set_dossier_code(received.code());
    auto reader = stub_->WatchDossiers(&ctx, req);
    v1::WatchDossiersResponse change;
    ASSERT_TRUE(reader->Read(&change));
    EXPECT_EQ(change.portal_status_code(), 12);
    ASSERT_TRUE(reader->Read(&change));
    EXPECT_EQ(change.portal_status_code(), 14);
    ctx.TryCancel();
  }
}

TEST_F(LifecycleRpcTest, AnOnlineDossierIsAskedForMissingDocumentsOnlyOnce) {
  v1::Dossier d = Receive("online-1", v1::CHANNEL_ONLINE);
  ASSERT_TRUE(AskForDocument(d, &d).ok());
  ASSERT_TRUE(HandInDocument(d, &d).ok());
  auto again = AskForDocument(d, nullptr);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << again.error_message();
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
  v1::GetDossierRequest get;
  get.set_code(d.code());
  v1::GetDossierResponse now;
  ASSERT_TRUE(stub_->GetDossier(&ctx, get, &now).ok());
  EXPECT_EQ(now.dossier().version(), d.version()) << "nothing written";
  EXPECT_EQ(now.dossier().events_size(), d.events_size());
  EXPECT_EQ(now.dossier().state(), v1::DOSSIER_STATE_ACCEPTED);
}

TEST_F(LifecycleRpcTest, RatingsAndStatisticsFollowTheDossiers) {
  v1::Dossier d = Receive("q-1");  // due Thu 5/3
  ASSERT_TRUE(Start(d, &d).ok());
  clock_.Set(testing::VnTime(2026, 3, 4, 10, 0));
  ASSERT_TRUE(Result(d, &d).ok());
  v1::ReturnResultRequest ret;
  ret.set_code(d.code());
  ret.set_expected_version(d.version());
  ASSERT_TRUE((Do<v1::ReturnResultRequest, v1::ReturnResultResponse>(
                   &v1::DossierService::Stub::ReturnResult, ret, &d))
                  .ok());

  auto rate = [&](Role role, const std::string& subject) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, role == Role::kCitizen ? "" : kCommune, subject);
    v1::RateDossierRequest req;
    req.set_code(d.code());
    req.set_level(v1::SATISFACTION_LEVEL_VERY_SATISFIED);
    v1::RateDossierResponse resp;
    return stub_->RateDossier(&ctx, req, &resp).error_code();
  };
  EXPECT_EQ(rate(Role::kCitizen, "079203009999"), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(rate(Role::kOfficer, "officer-1"), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(rate(Role::kCitizen, kCitizenId), grpc::StatusCode::OK);
  EXPECT_EQ(rate(Role::kCitizen, kCitizenId), grpc::StatusCode::ALREADY_EXISTS) << "once";

  clock_.Set(testing::VnTime(2026, 3, 2, 11, 0));
  const v1::Dossier open = Receive("q-2");  // due Thu 5/3, left open
  clock_.Set(testing::VnTime(2026, 3, 10, 9, 0));

  v1::AgencyStatistics s;
  ASSERT_TRUE(Stats(kCommune, "2026-03-01", "2026-03-31", &s).ok());
  EXPECT_EQ(s.received(), 2);
  EXPECT_EQ(s.received_online(), 0);
  EXPECT_EQ(s.finished(), 1);
  EXPECT_EQ(s.early(), 1);
  EXPECT_DOUBLE_EQ(s.on_time_rate(), 1.0);
  EXPECT_EQ(s.in_progress(), 1);
  EXPECT_EQ(s.late_without_apology(), 1) << open.code() << " was due 5/3";
  EXPECT_EQ(s.ratings(), 1);
  EXPECT_DOUBLE_EQ(s.satisfaction_rate(), 1.0);
  // Received Mon 2/3 09:00 (that day is not counted), result Wed 4/3: 2 working days.
  EXPECT_DOUBLE_EQ(s.average_processing_working_days(), 2.0);
  EXPECT_DOUBLE_EQ(s.indicator1_average_points(), 2.0) << "early";
  EXPECT_DOUBLE_EQ(s.indicator3_average_points(), 2.0) << "never asked to complete it";
  ASSERT_EQ(s.service_index_size(), 3);
  EXPECT_EQ(s.service_index(0).group(), "on_time");
  EXPECT_DOUBLE_EQ(s.service_index(0).points(), 20.0);
  EXPECT_DOUBLE_EQ(s.service_index(1).points(), 18.0);
  EXPECT_DOUBLE_EQ(s.service_index(2).points(), 0.0) << "nothing received online";
  ASSERT_TRUE(Stats(kCommune, "2026-04-01", "2026-04-30", &s).ok());
  EXPECT_EQ(s.received(), 0);
  EXPECT_EQ(Stats("000.00.32.H41", "2026-03-01", "2026-03-31", nullptr).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Stats(kCommune, "2026-03-31", "2026-03-01", nullptr).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(LifecycleRpcTest, EachOfficersRecordForTheYearCountsTheirStepsAndResults) {
  // officer-1 receives two dossiers at the counter; officer-2 handles both, one early, one late
  // with no apology.
  auto as2 = [&](auto call, auto req, v1::Dossier* out) {
    using Request = std::decay_t<decltype(req)>;
    using Response = std::conditional_t<std::is_same_v<Request, v1::StartProcessingRequest>,
                                        v1::StartProcessingResponse, v1::RecordResultResponse>;
    req.set_code(out->code());
    req.set_expected_version(out->version());
    return Do<Request, Response>(call, req, out, Role::kOfficer, kCommune, "officer-2");
  };
  v1::Dossier early = Receive("o-1");  // Mon 2/3, due Thu 5/3
  v1::Dossier late = Receive("o-2");
  ASSERT_TRUE(
      as2(&v1::DossierService::Stub::StartProcessing, v1::StartProcessingRequest(), &early).ok());
  ASSERT_TRUE(
      as2(&v1::DossierService::Stub::StartProcessing, v1::StartProcessingRequest(), &late).ok());
  clock_.Set(testing::VnTime(2026, 3, 4, 10, 0));
  ASSERT_TRUE(as2(&v1::DossierService::Stub::RecordResult, v1::RecordResultRequest(), &early).ok());
  clock_.Set(testing::VnTime(2026, 3, 10, 10, 0));
  ASSERT_TRUE(as2(&v1::DossierService::Stub::RecordResult, v1::RecordResultRequest(), &late).ok());
  ASSERT_EQ(late.outcome(), v1::OUTCOME_CLASS_LATE);

  auto records = [&](Role role, const std::string& agency, int year,
                     v1::ListOfficerRecordsResponse* out) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, agency, "caller-1");
    v1::ListOfficerRecordsRequest req;
    req.set_agency_code(kCommune);
    req.set_year(year);
    v1::ListOfficerRecordsResponse resp;
    auto st = stub_->ListOfficerRecords(&ctx, req, out != nullptr ? out : &resp);
    return st.error_code();
  };
  v1::ListOfficerRecordsResponse r;
  ASSERT_EQ(records(Role::kLeader, kCommune, 2026, &r), grpc::StatusCode::OK);
  ASSERT_EQ(r.records_size(), 2);
  EXPECT_EQ(r.records(0).subject(), "officer-1");
  EXPECT_EQ(r.records(0).steps_handled(), 2);
  EXPECT_EQ(r.records(0).results(), 0);
  EXPECT_EQ(r.records(1).subject(), "officer-2");
  EXPECT_EQ(r.records(1).steps_handled(), 4) << "two starts, two results";
  EXPECT_EQ(r.records(1).results(), 2);
  EXPECT_EQ(r.records(1).early(), 1);
  EXPECT_EQ(r.records(1).on_time(), 0);
  EXPECT_EQ(r.records(1).late(), 1);
  EXPECT_EQ(r.records(1).late_without_apology(), 1);
  ASSERT_EQ(records(Role::kLeader, kCommune, 2027, &r), grpc::StatusCode::OK);
  EXPECT_EQ(r.records_size(), 0);
  EXPECT_EQ(records(Role::kInspector, "000.00.32.H41", 2026, &r), grpc::StatusCode::OK);
  EXPECT_EQ(r.records_size(), 2);

  EXPECT_EQ(records(Role::kOfficer, kCommune, 2026, nullptr), grpc::StatusCode::PERMISSION_DENIED)
      << "an officer does not read colleagues' records";
  EXPECT_EQ(records(Role::kLeader, "000.00.32.H41", 2026, nullptr),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(records(Role::kLeader, kCommune, 1999, nullptr), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(LifecycleRpcTest, ATransferAfterTheDayOfReceiptIsRecordedAndCounted) {
  v1::Dossier d = Receive("t-1");  // Mon 2/3 09:00: to be transferred that day
  clock_.Set(testing::VnTime(2026, 3, 3, 8, 0));
  ASSERT_TRUE(Start(d, &d).ok()) << "late is recorded, not refused";
  EXPECT_TRUE(d.quality().transferred_late());
  EXPECT_EQ(d.events(d.events_size() - 1).note(),
            "transferred for processing (late: due 2026-03-02)");
  ASSERT_TRUE(Result(d, &d).ok());
  v1::AgencyStatistics s;
  ASSERT_TRUE(Stats(kCommune, "2026-03-01", "2026-03-31", &s).ok());
  EXPECT_EQ(s.finished(), 1);
  EXPECT_EQ(s.finished_transferred_late(), 1);
}

TEST_F(LifecycleRpcTest, EachBadRatingFieldGivesItsFieldViolation) {
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kCitizen, "", kCitizenId);
  v1::RateDossierRequest req;
  req.set_comment(std::string(1001, 'x'));
  v1::RateDossierResponse resp;
  auto st = stub_->RateDossier(&ctx, req, &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"code", "level", "comment"}));
}

TEST_F(LifecycleRpcTest, TheIndicatorsAreScoredWhenTheResultIsReady) {
  // Incomplete at the counter (form 02: the applicant must come back once), completed, then
  // asked again at appraisal: indicator 3 scores 0; finished late: indicator 1 scores 0.
  v1::ReceiveDossierRequest r;
  r.set_request_id("ind-1");
  r.set_procedure_code("HKD-01");
  r.set_channel(v1::CHANNEL_COUNTER);
  r.mutable_applicant()->set_full_name("Nguyễn Văn An");
  r.mutable_applicant()->set_citizen_id(kCitizenId);
  r.add_documents()->set_document_code("bien-ban-hop");
  v1::Dossier d;
  {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    v1::ReceiveDossierResponse resp;
    ASSERT_TRUE(stub_->ReceiveDossier(&ctx, r, &resp).ok());
    d = resp.dossier();
  }
  EXPECT_EQ(d.quality().supplement_requests(), 1);
  ASSERT_TRUE(HandInDocument(d, &d).ok());
  ASSERT_TRUE(AskForDocument(d, &d).ok());
  EXPECT_EQ(d.quality().supplement_requests(), 2);
  ASSERT_TRUE(HandInDocument(d, &d).ok());
  ASSERT_TRUE(Start(d, &d).ok());
  clock_.Set(testing::VnTime(2026, 3, 20, 10, 0));  // long after the due date
  ASSERT_TRUE(Result(d, &d).ok());
  EXPECT_EQ(d.outcome(), v1::OUTCOME_CLASS_LATE);
  EXPECT_EQ(d.quality().indicator1_points(), 0);
  EXPECT_EQ(d.quality().indicator3_points(), 0);
}

TEST_F(LifecycleRpcTest, APaymentIsRequestedAndConfirmedOverRpc) {
  v1::Dossier d = Receive("pay-1");
  ASSERT_TRUE(Start(d, &d).ok());
  v1::RequestPaymentRequest rp;
  rp.set_code(d.code());
  rp.set_expected_version(d.version());
  rp.set_amount_vnd(100000);
  rp.set_reason("Lệ phí đăng ký hộ kinh doanh");
  EXPECT_EQ((Do<v1::RequestPaymentRequest, v1::RequestPaymentResponse>(
                 &v1::DossierService::Stub::RequestPayment, rp, nullptr, Role::kOfficer,
                 "000.00.32.H41", "officer-9"))
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "another agency's officer";
  ASSERT_TRUE((Do<v1::RequestPaymentRequest, v1::RequestPaymentResponse>(
                   &v1::DossierService::Stub::RequestPayment, rp, &d))
                  .ok());
  EXPECT_EQ(d.portal_status_code(), 6);
  EXPECT_EQ((Do<v1::RequestPaymentRequest, v1::RequestPaymentResponse>(
                 &v1::DossierService::Stub::RequestPayment, rp, nullptr))
                .error_code(),
            grpc::StatusCode::ABORTED)
      << "a stale version";
  v1::ConfirmPaymentRequest cp;
  cp.set_code(d.code());
  cp.set_expected_version(d.version());
  cp.set_payment_reference("BL-2026-000123");
  ASSERT_TRUE((Do<v1::ConfirmPaymentRequest, v1::ConfirmPaymentResponse>(
                   &v1::DossierService::Stub::ConfirmPayment, cp, &d, Role::kSystem))
                  .ok());
  EXPECT_EQ(d.state(), v1::DOSSIER_STATE_IN_PROGRESS);
  EXPECT_EQ(d.payment().reference(), "BL-2026-000123");
  pqxx::connection conn(sut_->config().database_url);
  pqxx::nontransaction tx(conn);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM audit_log WHERE entity_id = '" + d.code() +
                    "' AND action LIKE 'dossier.%Payment'")[0][0]
                .as<int>(),
            2);
}

TEST_F(LifecycleRpcTest, TheAgencysOwnStepIsCompletedOverRpcByItsStaffOnly) {
  v1::Dossier d = Receive("step-1");
  ASSERT_TRUE(Start(d, &d).ok());
  // HKD-01's one step is the commune's: 3 working days from Mon 2/3 -> Thu 5/3.
  ASSERT_EQ(d.steps_size(), 1);
  EXPECT_TRUE(d.steps(0).own());
  EXPECT_EQ(d.steps(0).state(), v1::STEP_STATE_IN_PROGRESS);
  EXPECT_EQ(d.steps(0).due_date(), "2026-03-05");
  auto complete = [&](int index, int64_t version, v1::Dossier* out, Role role = Role::kOfficer,
                      const std::string& agency = kCommune,
                      const std::string& subject = "officer-1") {
    v1::CompleteStepRequest r;
    r.set_code(d.code());
    r.set_expected_version(version);
    r.set_step_index(index);
    r.set_note("Đã thẩm định");
    return Do<v1::CompleteStepRequest, v1::CompleteStepResponse>(
        &v1::DossierService::Stub::CompleteStep, r, out, role, agency, subject);
  };
  EXPECT_EQ(
      complete(0, d.version(), nullptr, Role::kOfficer, "000.00.32.H41", "officer-9").error_code(),
      grpc::StatusCode::PERMISSION_DENIED)
      << "another agency's officer";
  EXPECT_EQ(complete(0, d.version(), nullptr, Role::kCitizen, "", kCitizenId).error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "the applicant may only withdraw";
  auto bad = complete(5, d.version(), nullptr);
  ASSERT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(bad))) fields.push_back(v.field);
  EXPECT_EQ(fields, std::vector<std::string>{"step_index"});
  EXPECT_EQ(complete(0, d.version() - 1, nullptr).error_code(), grpc::StatusCode::ABORTED)
      << "a stale version";
  const int64_t before = d.version();
  auto st = complete(0, d.version(), &d);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(d.version(), before + 1) << "the refused calls wrote nothing";
  EXPECT_EQ(d.state(), v1::DOSSIER_STATE_IN_PROGRESS);
  EXPECT_EQ(d.steps(0).state(), v1::STEP_STATE_COMPLETED);
  EXPECT_EQ(d.steps(0).outcome(), v1::OUTCOME_CLASS_EARLY);
  EXPECT_EQ(complete(0, d.version(), nullptr).error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << "done already";
  pqxx::connection conn(sut_->config().database_url);
  pqxx::nontransaction tx(conn);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM audit_log WHERE entity_id = '" + d.code() +
                    "' AND action = 'dossier.CompleteStep'")[0][0]
                .as<int>(),
            1);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM dossier_step_outcomes WHERE dossier_code = '" + d.code() +
                    "' AND outcome = 1")[0][0]
                .as<int>(),
            1);
}

}  // namespace
}  // namespace localgov::dossier
