// localgov.audit.v1.AuditService as every binary serves it (issue 25): an auditor verifies the
// service's own audit chain over gRPC, and a database superuser's edit or deletion (triggers
// bypassed) is named with its position.
#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "gtest/gtest.h"
#include "localgov/audit/v1/audit_service.grpc.pb.h"
#include "services/cadre/cadre_spec.h"
#include "services/dossier/dossier_spec.h"
#include "services/liaison/liaison_spec.h"
#include "services/petition/petition_spec.h"
#include "tests/harness/audit_tamper.h"
#include "tests/harness/service_fixture.h"

namespace localgov {
namespace {

namespace av1 = localgov::audit::v1;
using testing::ServiceUnderTest;

struct Case {
  const char* name;
  ServiceSpec (*spec)();
};

class AuditServiceTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    auto sut = ServiceUnderTest::Start(GetParam().spec());
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = av1::AuditService::NewStub(sut_->channel());
    // Records as the service's writes leave them, after whatever it recorded at start.
    {
      pqxx::connection conn(sut_->config().database_url);
      pqxx::work tx(conn);
      base_ = tx.exec("SELECT coalesce(max(position), 0) FROM audit_log")[0][0].as<int64_t>();
    }
    testing::AppendTestAudits(sut_->config().database_url, 6, "thing");
  }

  grpc::Status Verify(av1::VerifyAuditChainResponse* out, Role role = Role::kAuditor,
                      int max_findings = 0) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, "000.00.00.H41", "auditor-1");
    av1::VerifyAuditChainRequest req;
    req.set_max_findings(max_findings);
    return stub_->VerifyAuditChain(&ctx, req, out);
  }

  void Tamper(const std::string& sql) {
    testing::TamperAsSuperuser(sut_->config().database_url, sql);
  }

  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<av1::AuditService::Stub> stub_;
  int64_t base_ = 0;
};

TEST_P(AuditServiceTest, AnAuditorVerifiesTheIntactChainAndNoOtherRoleMay) {
  av1::VerifyAuditChainResponse r;
  auto st = Verify(&r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(r.service(), GetParam().name);
  EXPECT_TRUE(r.ok()) << r.reason();
  EXPECT_EQ(r.records_checked(), base_ + 6);
  EXPECT_EQ(r.head_position(), base_ + 6);
  EXPECT_EQ(r.head_hash().size(), 64u);
  EXPECT_EQ(r.problem(), av1::AUDIT_PROBLEM_UNSPECIFIED);
  if (std::string(GetParam().name) != "liaison") {
    // No service token here: the chain is checked, and the answer says the tail is not.
    EXPECT_NE(r.anchors_unchecked_reason().find("not configured"), std::string::npos)
        << r.anchors_unchecked_reason();
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kAuditor, "000.00.00.H41", "auditor-1");
    av1::AnchorAuditChainResponse a;
    EXPECT_EQ(stub_->AnchorAuditChain(&ctx, av1::AnchorAuditChainRequest(), &a).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  } else {
    EXPECT_EQ(r.anchors_unchecked_reason(), "") << "the liaison anchors in its own log";
  }
  for (Role role : {Role::kOfficer, Role::kLeader, Role::kAdmin, Role::kInspector}) {
    EXPECT_EQ(Verify(&r, role).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
}

TEST_P(AuditServiceTest, ASuperusersEditOfAMiddleRecordIsNamed) {
  Tamper(absl::StrCat("UPDATE audit_log SET actor = 'someone-else' WHERE position = ", base_ + 3));
  av1::VerifyAuditChainResponse r;
  ASSERT_TRUE(Verify(&r).ok());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.problem(), av1::AUDIT_PROBLEM_EDITED);
  EXPECT_EQ(r.first_bad_position(), base_ + 3);
  EXPECT_NE(r.reason().find("altered"), std::string::npos) << r.reason();
  EXPECT_EQ(r.problems(), 1);
  ASSERT_EQ(r.findings_size(), 1);
  EXPECT_EQ(r.findings(0).position(), base_ + 3);
  EXPECT_EQ(r.head_position(), base_ + 6) << "the walk goes on to the end";
}

TEST_P(AuditServiceTest, ASuperusersDeletionOfAMiddleRecordIsNamed) {
  Tamper(absl::StrCat("DELETE FROM audit_log WHERE position = ", base_ + 4));
  av1::VerifyAuditChainResponse r;
  ASSERT_TRUE(Verify(&r).ok());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.problem(), av1::AUDIT_PROBLEM_DELETED);
  EXPECT_EQ(r.first_bad_position(), base_ + 4);
  EXPECT_EQ(r.head_position(), base_ + 6) << "the walk goes on to the end";
  EXPECT_EQ(r.problems(), 1) << "the next record is not also reported as unlinked";
  ASSERT_EQ(r.findings_size(), 1);
  EXPECT_EQ(r.findings(0).count(), 1);
}

// Several tamperings are all named, in chain order: an edit, then two records deleted.
TEST_P(AuditServiceTest, EveryBrokenPlaceIsNamedNotOnlyTheFirst) {
  Tamper(absl::StrCat("UPDATE audit_log SET change_digest = 'x' WHERE position = ", base_ + 2));
  Tamper(
      absl::StrCat("DELETE FROM audit_log WHERE position IN (", base_ + 4, ", ", base_ + 5, ")"));
  av1::VerifyAuditChainResponse r;
  ASSERT_TRUE(Verify(&r).ok());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.first_bad_position(), base_ + 2);
  EXPECT_EQ(r.problems(), 2);
  ASSERT_EQ(r.findings_size(), 2);
  EXPECT_EQ(r.findings(0).problem(), av1::AUDIT_PROBLEM_EDITED);
  EXPECT_EQ(r.findings(0).position(), base_ + 2);
  EXPECT_EQ(r.findings(1).problem(), av1::AUDIT_PROBLEM_DELETED);
  EXPECT_EQ(r.findings(1).position(), base_ + 4);
  EXPECT_EQ(r.findings(1).count(), 2);
  EXPECT_NE(r.findings(1).reason().find("to"), std::string::npos) << r.findings(1).reason();
  ASSERT_TRUE(Verify(&r, Role::kAuditor, 1).ok());
  EXPECT_EQ(r.findings_size(), 1);
  EXPECT_EQ(r.problems(), 2);
  EXPECT_EQ(Verify(&r, Role::kAuditor, 1001).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_P(AuditServiceTest, ARecordReplacedWithARecomputedHashBreaksTheLink) {
  Tamper(absl::StrCat("UPDATE audit_log SET hash = repeat('a', 64) WHERE position = ", base_ + 2));
  av1::VerifyAuditChainResponse r;
  ASSERT_TRUE(Verify(&r).ok());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.first_bad_position(), base_ + 2);
  ASSERT_EQ(r.findings_size(), 2);  // the record itself, and the next one's link to it
  EXPECT_EQ(r.findings(1).problem(), av1::AUDIT_PROBLEM_UNLINKED);
  EXPECT_EQ(r.findings(1).position(), base_ + 3);
}

INSTANTIATE_TEST_SUITE_P(Services, AuditServiceTest,
                         ::testing::Values(Case{"dossier", &dossier::Spec},
                                           Case{"petition", &petition::Spec},
                                           Case{"cadre", &cadre::Spec},
                                           Case{"liaison", &liaison::Spec}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace localgov
