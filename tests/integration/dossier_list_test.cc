// ListDossiers: worklists by due date, filters, keyset pages, masking — real PostgreSQL.
#include "common/status.h"
#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "services/dossier/dossier_spec.h"
#include "services/dossier/dossier_store.h"
#include "services/dossier/gauges.h"
#include "tests/harness/dates.h"
#include "tests/harness/db_plan.h"
#include "tests/harness/service_fixture.h"

namespace localgov::dossier {
namespace {

using testing::ServiceUnderTest;

constexpr const char* kCommune = "000.00.31.H41";

class ListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sut = ServiceUnderTest::Start(Spec(), {}, &clock_);
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::DossierService::NewStub(sut_->channel());
    // Mon 2/3/2026 09:00: due Thu 5/3; with verification due Mon 9/3; incomplete: no due date.
    d1_ = Receive("a", "001203000001", false, true);
    d2_ = Receive("b", "001203000002", true, true);
    d3_ = Receive("c", "001203000001", false, false);
  }

  v1::Dossier Receive(const std::string& id, const std::string& citizen, bool verification,
                      bool complete) {
    v1::ReceiveDossierRequest r;
    r.set_request_id(id);
    r.set_procedure_code("LT-01");
    r.set_channel(v1::CHANNEL_COUNTER);
    r.mutable_applicant()->set_full_name("Phạm Văn " + id);
    r.mutable_applicant()->set_citizen_id(citizen);
    r.set_with_verification(verification);
    r.add_documents()->set_document_code("to-khai-lien-thong");
    if (complete) r.add_documents()->set_document_code("giay-chung-sinh");
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    v1::ReceiveDossierResponse resp;
    EXPECT_TRUE(stub_->ReceiveDossier(&ctx, r, &resp).ok());
    return resp.dossier();
  }

  grpc::Status List(const v1::ListDossiersRequest& req, v1::ListDossiersResponse* resp,
                    Role role = Role::kOfficer, const std::string& agency = kCommune,
                    const std::string& subject = "officer-1") {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, agency, subject);
    return stub_->ListDossiers(&ctx, req, resp);
  }

  std::vector<std::string> Codes(const v1::ListDossiersRequest& req, Role role = Role::kOfficer,
                                 const std::string& subject = "officer-1") {
    v1::ListDossiersResponse resp;
    auto st = List(req, &resp, role, kCommune, subject);
    EXPECT_TRUE(st.ok()) << st.error_message();
    std::vector<std::string> out;
    for (const auto& d : resp.dossiers()) out.push_back(d.code());
    return out;
  }

  FakeClock clock_{testing::VnTime(2026, 3, 2, 9, 0)};
  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<v1::DossierService::Stub> stub_;
  v1::Dossier d1_, d2_, d3_;
};

TEST_F(ListTest, TheWorklistIsOrderedByDueDateWithUndatedLastAndPagesByKeyset) {
  v1::ListDossiersRequest req;
  req.set_page_size(2);
  v1::ListDossiersResponse page1, page2;
  ASSERT_TRUE(List(req, &page1).ok());
  ASSERT_EQ(page1.dossiers_size(), 2);
  EXPECT_EQ(page1.dossiers(0).code(), d1_.code());
  EXPECT_EQ(page1.dossiers(1).code(), d2_.code());
  EXPECT_EQ(page1.dossiers(0).applicant().citizen_id(), "********0001") << "masked in lists";
  EXPECT_EQ(page1.dossiers(0).events_size(), 0);
  ASSERT_FALSE(page1.next_page_token().empty());
  req.set_page_token(page1.next_page_token());
  ASSERT_TRUE(List(req, &page2).ok());
  ASSERT_EQ(page2.dossiers_size(), 1);
  EXPECT_EQ(page2.dossiers(0).code(), d3_.code());
  EXPECT_TRUE(page2.next_page_token().empty());
}

TEST_F(ListTest, LateAndLateWithoutApology) {
  // Fri 6/3: d2 (due Mon 9/3) gets an apology and a new date, Wed 11/3.
  clock_.Set(testing::VnTime(2026, 3, 6, 9, 0));
  v1::ApologizeRequest ap;
  ap.set_code(d2_.code());
  ap.set_expected_version(d2_.version());
  ap.set_reason("Chờ xác minh");
  ap.set_new_due_date("2026-03-11");
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
  v1::ApologizeResponse apr;
  ASSERT_TRUE(stub_->Apologize(&ctx, ap, &apr).ok());
  v1::ListDossiersRequest late;
  late.set_late_only(true);
  EXPECT_EQ(Codes(late), (std::vector<std::string>{d1_.code()}));  // due 5/3, today 6/3
  clock_.Set(testing::VnTime(2026, 3, 12, 9, 0));
  EXPECT_EQ(Codes(late), (std::vector<std::string>{d1_.code(), d2_.code()}));
  v1::ListDossiersRequest unapologized;
  unapologized.set_late_without_apology_only(true);
  EXPECT_EQ(Codes(unapologized), (std::vector<std::string>{d1_.code()}));
}

TEST_F(ListTest, DossiersStillAtTheCounterAfterTheirDayOfReceipt) {
  // d1 and d2 were accepted Mon 2/3 09:00: to be handed to processing that day.
  v1::ListDossiersRequest req;
  req.set_transfer_overdue_only(true);
  clock_.Set(testing::VnTime(2026, 3, 2, 16, 30));
  EXPECT_EQ(Codes(req), std::vector<std::string>{}) << "still their day";
  clock_.Set(testing::VnTime(2026, 3, 3, 7, 30));
  EXPECT_EQ(Codes(req), (std::vector<std::string>{d1_.code(), d2_.code()}))
      << "d3 waits for documents, not for the counter";
  v1::StartProcessingRequest start;
  start.set_code(d1_.code());
  start.set_expected_version(d1_.version());
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
  v1::StartProcessingResponse started;
  ASSERT_TRUE(stub_->StartProcessing(&ctx, start, &started).ok());
  EXPECT_EQ(Codes(req), (std::vector<std::string>{d2_.code()}));
}

TEST_F(ListTest, FiltersByStateAndDueBefore) {
  v1::ListDossiersRequest req;
  req.add_states(v1::DOSSIER_STATE_SUPPLEMENT_REQUESTED);
  EXPECT_EQ(Codes(req), (std::vector<std::string>{d3_.code()}));
  v1::ListDossiersRequest due;
  due.set_due_before("2026-03-06");
  EXPECT_EQ(Codes(due), (std::vector<std::string>{d1_.code()}));
}

TEST_F(ListTest, FiltersByChannelAndApplicant) {
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kSystem, kCommune, "portal");
  v1::ReceiveDossierRequest online;
  online.set_request_id("online-1");
  online.set_procedure_code("LT-01");
  online.set_receiving_agency_code(kCommune);
  online.set_channel(v1::CHANNEL_ONLINE);
  online.mutable_applicant()->set_full_name("Lê Thị D");
  online.mutable_applicant()->set_citizen_id("001203000004");
  online.add_documents()->set_document_code("to-khai-lien-thong");
  online.add_documents()->set_document_code("giay-chung-sinh");
  v1::ReceiveDossierResponse received;
  ASSERT_TRUE(stub_->ReceiveDossier(&ctx, online, &received).ok());
  v1::ListDossiersRequest by_channel;
  by_channel.add_channels(v1::CHANNEL_ONLINE);
  EXPECT_EQ(Codes(by_channel), (std::vector<std::string>{received.dossier().code()}));
  by_channel.add_channels(v1::CHANNEL_COUNTER);
  EXPECT_EQ(Codes(by_channel).size(), 4u);
  v1::ListDossiersRequest by_applicant;
  by_applicant.set_applicant_citizen_id("001203000001");
  EXPECT_EQ(Codes(by_applicant), (std::vector<std::string>{d1_.code(), d3_.code()}));
}

TEST_F(ListTest, DueWithinWorkingDaysCountsWorkingDaysFromToday) {
  // Today Mon 2/3/2026. d1 is due Thu 5/3 (3 working days on), d2 Mon 9/3 (5 on); d3 has no
  // due date (its clock waits for the missing documents).
  v1::ListDossiersRequest req;
  req.set_due_within_working_days(0);
  EXPECT_TRUE(Codes(req).empty());
  req.set_due_within_working_days(2);  // up to Wed 4/3
  EXPECT_TRUE(Codes(req).empty());
  req.set_due_within_working_days(3);  // up to Thu 5/3
  EXPECT_EQ(Codes(req), (std::vector<std::string>{d1_.code()}));
  req.set_due_within_working_days(4);  // up to Fri 6/3; the weekend does not count
  EXPECT_EQ(Codes(req), (std::vector<std::string>{d1_.code()}));
  req.set_due_within_working_days(5);  // up to Mon 9/3
  EXPECT_EQ(Codes(req), (std::vector<std::string>{d1_.code(), d2_.code()}));
  // Fri 6/3: d1 is overdue and still listed under "0" (due today or before).
  clock_.Set(testing::VnTime(2026, 3, 6, 9, 0));
  req.set_due_within_working_days(0);
  EXPECT_EQ(Codes(req), (std::vector<std::string>{d1_.code()}));
  req.set_due_within_working_days(1);  // Mon 9/3 is the next working day
  EXPECT_EQ(Codes(req), (std::vector<std::string>{d1_.code(), d2_.code()}));
}

TEST_F(ListTest, BadFilterFieldsAreNamed) {
  v1::ListDossiersRequest bad;
  bad.add_channels(v1::CHANNEL_UNSPECIFIED);
  bad.set_applicant_citizen_id("12345");
  bad.set_due_within_working_days(61);
  v1::ListDossiersResponse resp;
  auto st = List(bad, &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"channels[0]", "applicant_citizen_id",
                                              "due_within_working_days"}));
}

TEST_F(ListTest, WhoSeesWhat) {
  v1::ListDossiersRequest other;
  other.set_agency_code("000.00.32.H41");
  v1::ListDossiersResponse resp;
  EXPECT_EQ(List(other, &resp).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::ListDossiersRequest mine;
  mine.set_agency_code(kCommune);
  EXPECT_TRUE(List(mine, &resp, Role::kInspector, "000.00.00.H41", "inspector-1").ok());
  EXPECT_EQ(resp.dossiers_size(), 3);
  EXPECT_EQ(Codes({}, Role::kCitizen, "001203000001"),
            (std::vector<std::string>{d1_.code(), d3_.code()}));
  v1::ListDossiersRequest bad;
  bad.set_page_token("garbage");
  bad.set_due_before("5/3/2026");
  auto st = List(bad, &resp);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"page_token", "due_before"}));
}

TEST_F(ListTest, TheLateWithoutApologyGaugeCountsPerAgencyAndFallsBackToZero) {
  prometheus::Registry registry;
  auto& ctx = sut_->service().context();
  CalendarService calendar(ctx.db, clock_);
  Catalogue catalogue(ctx.db, clock_);
  PublicLookup lookup(ctx.db, ctx.redis, "test");
  Dossiers dossiers(ctx.db, clock_, catalogue, calendar, lookup);
  LateDossierGauge gauge(dossiers, registry, absl::Hours(1));
  auto value = [&] {
    for (const auto& f : registry.Collect()) {
      if (f.name != "localgov_dossiers_late_without_apology") continue;
      for (const auto& m : f.metric) {
        for (const auto& l : m.label) {
          if (l.name == "agency" && l.value == kCommune) return m.gauge.value;
        }
      }
    }
    return -1.0;
  };
  clock_.Set(testing::VnTime(2026, 3, 6, 9, 0));  // d1 due Thu 5/3 is late; d2 (9/3) is not
  ASSERT_TRUE(gauge.Refresh());
  EXPECT_EQ(value(), 1.0);
  clock_.Set(testing::VnTime(2026, 3, 10, 9, 0));  // d2 is late too
  ASSERT_TRUE(gauge.Refresh());
  EXPECT_EQ(value(), 2.0);
  clock_.Set(testing::VnTime(2026, 3, 2, 9, 0));  // back before both due dates
  ASSERT_TRUE(gauge.Refresh());
  EXPECT_EQ(value(), 0.0) << "an agency with no late dossier left reports 0, not its last value";
}

TEST_F(ListTest, EveryListQueryShapeIsIndexBacked) {
  pqxx::connection conn(sut_->config().database_url);
  pqxx::work tx(conn);
  tx.exec("SET LOCAL enable_seqscan = off");
  DossierFilter worklist;
  worklist.agency = kCommune;
  DossierFilter next = worklist;
  next.after_due = "2026-03-05";
  next.after_code = "000.00.31.H41-260302-0001";
  DossierFilter late = worklist;
  late.late_without_apology_only = true;
  late.today = "2026-03-12";
  DossierFilter citizen;
  citizen.citizen_id = "001203000001";
  DossierFilter due_soon = worklist;
  due_soon.open_only = true;
  due_soon.due_before = "2026-03-09";
  due_soon.channels = {3};
  due_soon.applicant = "001203000001";
  // The worklist of an agency that holds the dossiers of two communes merged into it.
  DossierFilter merged = next;
  merged.merged = {"000.00.22.H41", "000.00.23.H41"};
  merged.open_only = true;
  DossierFilter at_counter = worklist;
  at_counter.transfer_overdue_only = true;
  at_counter.today = "2026-03-03";
  for (const auto& f : {worklist, next, late, citizen, due_soon, merged, at_counter}) {
    const auto q = DossierStore::ListQuery(f);
    const std::string plan = testing::ExplainPlan(tx, q);
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << q.sql << "\n" << plan;
  }
  // Each merged agency's page is read from its own range of the worklist index, in order.
  const std::string merged_plan = testing::ExplainPlan(tx, DossierStore::ListQuery(merged));
  EXPECT_NE(merged_plan.find("Index Scan using dossiers_worklist"), std::string::npos)
      << merged_plan;
  const SqlQuery gauge{DossierStore::kLateWithoutApologySql, {"2026-03-12"}};
  const std::string plan = testing::ExplainPlan(tx, gauge);
  EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << plan;
}

}  // namespace
}  // namespace localgov::dossier
