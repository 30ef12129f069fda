// The procedure catalogue through the dossier service's RPCs, against real PostgreSQL.
#include <set>

#include "common/clock.h"
#include "common/db/transaction.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "services/dossier/catalogue.h"
#include "services/dossier/catalogue_store.h"
#include "services/dossier/dossier_spec.h"
#include "tests/harness/db_plan.h"
#include "tests/harness/service_fixture.h"

namespace localgov::dossier {
namespace {

using testing::ServiceUnderTest;

class CatalogueRpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sut = ServiceUnderTest::Start(Spec());
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::DossierService::NewStub(sut_->channel());
  }

  grpc::Status List(const v1::ListProceduresRequest& req, v1::ListProceduresResponse* resp) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kCitizen, "", "citizen-1");
    return stub_->ListProcedures(&ctx, req, resp);
  }

  std::vector<std::string> Codes(const std::string& query, const std::string& field = "",
                                 v1::ProcedureLevel level = v1::PROCEDURE_LEVEL_UNSPECIFIED) {
    v1::ListProceduresRequest req;
    req.set_query(query);
    req.set_field(field);
    req.set_level(level);
    req.set_page_size(100);
    v1::ListProceduresResponse resp;
    auto st = List(req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    std::vector<std::string> out;
    for (const auto& p : resp.procedures()) out.push_back(p.code());
    return out;
  }

  grpc::Status Get(const std::string& code, const std::string& as_of,
                   v1::GetProcedureResponse* resp) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer);
    v1::GetProcedureRequest req;
    req.set_code(code);
    req.set_as_of(as_of);
    return stub_->GetProcedure(&ctx, req, resp);
  }

  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<v1::DossierService::Stub> stub_;
};

TEST_F(CatalogueRpcTest, TheSeededCatalogueHasAtLeastTwelveProceduresPagedByCode) {
  std::vector<std::string> all;
  std::string token;
  int pages = 0;
  do {
    v1::ListProceduresRequest req;
    req.set_page_size(5);
    req.set_page_token(token);
    v1::ListProceduresResponse resp;
    ASSERT_TRUE(List(req, &resp).ok());
    EXPECT_LE(resp.procedures_size(), 5);
    for (const auto& p : resp.procedures()) all.push_back(p.code());
    token = resp.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_GE(all.size(), 12u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size()) << "no repeats";
}

TEST_F(CatalogueRpcTest, SearchIgnoresDiacriticsAndCase) {
  const std::vector<std::string> birth = {"HT-01", "LT-01"};
  EXPECT_EQ(Codes("khai sinh"), birth);
  EXPECT_EQ(Codes("KHAI SINH"), birth);
  EXPECT_EQ(Codes("Khai sinh"), birth);
  EXPECT_EQ(Codes("đất"), (std::vector<std::string>{"DD-01", "DD-02"}));
  EXPECT_EQ(Codes("chung thuc ban sao"), (std::vector<std::string>{"CT-01"}));
  EXPECT_TRUE(Codes("khong co thu tuc nay").empty());
}

TEST_F(CatalogueRpcTest, FiltersByFieldAndLevel) {
  EXPECT_EQ(Codes("", "ho tich"),
            (std::vector<std::string>{"HT-01", "HT-02", "HT-03", "HT-04", "HT-05", "LT-01"}));
  EXPECT_EQ(Codes("", "Hộ tịch").size(), 6u);
  EXPECT_EQ(Codes("", "", v1::PROCEDURE_LEVEL_PROVINCE),
            (std::vector<std::string>{"DD-02", "LLTP-01"}));
  EXPECT_EQ(Codes("thuong tru", "", v1::PROCEDURE_LEVEL_COMMUNE),
            (std::vector<std::string>{"CT-03", "LT-01"}));
}

TEST_F(CatalogueRpcTest, BadPagingIsReportedPerField) {
  v1::ListProceduresRequest req;
  req.set_page_size(1000);
  req.set_page_token("not-ours");
  v1::ListProceduresResponse resp;
  auto st = List(req, &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"page_size", "page_token"}));
}

TEST_F(CatalogueRpcTest, TheLienThongBirthProcedureCarriesItsParallelRoute) {
  v1::GetProcedureResponse resp;
  ASSERT_TRUE(Get("LT-01", "", &resp).ok());
  const auto& p = resp.procedure();
  EXPECT_EQ(p.limit().unit(), v1::LIMIT_UNIT_WORKING_DAYS);
  EXPECT_EQ(p.limit().amount(), 3);
  EXPECT_EQ(p.limit_with_verification().amount(), 5);
  ASSERT_EQ(p.steps_size(), 3);
  EXPECT_TRUE(p.steps(0).lead());
  EXPECT_EQ(p.steps(1).order(), p.steps(2).order()) << "police and social insurance in parallel";
  EXPECT_EQ(Get("NO-SUCH", "", &resp).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get("LT-01", "2025-06-30", &resp).error_code(), grpc::StatusCode::NOT_FOUND)
      << "not in force before 2025-07-01";
  EXPECT_EQ(Get("LT-01", "30/06/2025", &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CatalogueRpcTest, ADossierCanReadTheVersionInForceOnItsIntakeDay) {
  v1::GetProcedureResponse v1resp;
  ASSERT_TRUE(Get("HT-05", "", &v1resp).ok());
  auto next = v1resp.procedure();
  next.set_version(2);
  next.set_effective_from("2027-01-01");
  next.mutable_limit()->set_amount(2);
  ASSERT_TRUE(RunInTransaction(sut_->service().context().db, "v2", [&](pqxx::work& tx) {
                CatalogueStore::InsertVersion(tx, next, absl::Now());
                return absl::OkStatus();
              }).ok());
  v1::GetProcedureResponse got;
  ASSERT_TRUE(Get("HT-05", "", &got).ok());
  EXPECT_EQ(got.procedure().version(), 2);
  ASSERT_TRUE(Get("HT-05", "2026-06-01", &got).ok());
  EXPECT_EQ(got.procedure().version(), 1);
  EXPECT_EQ(got.procedure().limit().amount(), 3);
  EXPECT_EQ(Codes("xac nhan tinh trang hon nhan"), (std::vector<std::string>{"HT-05"}))
      << "listed once, as its latest version";
}

TEST_F(CatalogueRpcTest, SeedingTwiceAddsNothing) {
  Catalogue again(sut_->service().context().db, SystemClock::Get());
  ASSERT_TRUE(again.SeedMissing(SeedProcedures()).ok());
  pqxx::connection conn(sut_->config().database_url);
  pqxx::nontransaction tx(conn);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM procedures")[0][0].as<size_t>(), SeedProcedures().size());
}

TEST_F(CatalogueRpcTest, EveryListQueryShapeIsIndexBacked) {
  pqxx::connection conn(sut_->config().database_url);
  pqxx::work tx(conn);
  tx.exec("SET LOCAL enable_seqscan = off");
  const std::vector<ProcedureFilter> shapes = {
      {{}, "", 0, "", 21},
      {{"khai", "sinh"}, "", 0, "", 21},
      {{}, "ho tich", 0, "", 21},
      {{}, "", 2, "HT-01", 21},
  };
  for (const auto& f : shapes) {
    const auto q = CatalogueStore::ListLatestQuery(f);
    const std::string plan = testing::ExplainPlan(tx, q);
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << q.sql << "\n" << plan;
  }
}

}  // namespace
}  // namespace localgov::dossier
