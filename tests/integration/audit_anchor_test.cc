// Audit chain heads anchored in the liaison's signed message log (issue 25, item 5): each
// service anchors its head with its own service token, and VerifyAuditChain checks the chain
// against the anchors, so that a database superuser who deletes the newest records, or rewrites
// the tail with recomputed hashes, is named — beside the edits and deletions the chain itself
// shows.
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "localgov/audit/v1/audit_service.grpc.pb.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "services/cadre/cadre_spec.h"
#include "services/dossier/dossier_spec.h"
#include "services/liaison/liaison_spec.h"
#include "services/petition/petition_spec.h"
#include "tests/harness/audit_tamper.h"
#include "tests/harness/service_fixture.h"

namespace localgov {
namespace {

namespace av1 = localgov::audit::v1;
namespace lv1 = localgov::liaison::v1;
using testing::ServiceUnderTest;

struct Case {
  const char* name;
  ServiceSpec (*spec)();
};

constexpr const char* kAuditorAgency = "000.00.00.H41";

class AuditAnchorTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    const std::string name = GetParam().name;
    auto liaison = ServiceUnderTest::Start(liaison::Spec(), [](ServiceConfig& c) {
      c.audit_anchor_interval_s = 0;  // on demand only: the test decides when
    });
    ASSERT_TRUE(liaison.ok()) << liaison.status();
    liaison_ = std::move(*liaison);
    if (name == "liaison") {
      sut_ = liaison_.get();
    } else {
      const std::string liaison_addr = absl::StrCat("127.0.0.1:", liaison_->service().port());
      auto sut = ServiceUnderTest::Start(GetParam().spec(), [&](ServiceConfig& c) {
        c.peer_addrs["liaison"] = liaison_addr;
        c.service_token_file = ServiceUnderTest::ServiceTokenFile(name, kAuditorAgency);
        c.audit_anchor_interval_s = 0;
      });
      ASSERT_TRUE(sut.ok()) << sut.status();
      own_ = std::move(*sut);
      sut_ = own_.get();
    }
    stub_ = av1::AuditService::NewStub(sut_->channel());
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    base_ = tx.exec("SELECT coalesce(max(position), 0) FROM audit_log")[0][0].as<int64_t>();
    tx.commit();
    Append(6, "first");
  }

  void Append(int n, const std::string& what) {
    testing::AppendTestAudits(sut_->config().database_url, n, what);
  }

  grpc::Status Anchor(av1::AnchorAuditChainResponse* out, Role role = Role::kAuditor) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, kAuditorAgency, "auditor-1");
    return stub_->AnchorAuditChain(&ctx, av1::AnchorAuditChainRequest(), out);
  }

  grpc::Status Verify(av1::VerifyAuditChainResponse* out) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kAuditor, kAuditorAgency, "auditor-1");
    return stub_->VerifyAuditChain(&ctx, av1::VerifyAuditChainRequest(), out);
  }

  void Tamper(const std::string& sql) {
    testing::TamperAsSuperuser(sut_->config().database_url, sql);
  }

  std::unique_ptr<lv1::LiaisonService::Stub> LiaisonStub() {
    return lv1::LiaisonService::NewStub(liaison_->channel());
  }

  std::unique_ptr<ServiceUnderTest> liaison_;
  std::unique_ptr<ServiceUnderTest> own_;
  ServiceUnderTest* sut_ = nullptr;
  std::unique_ptr<av1::AuditService::Stub> stub_;
  int64_t base_ = 0;
};

TEST_P(AuditAnchorTest, TheHeadIsAnchoredInTheSignedLogOnceAndTheIntactChainVerifiesAgainstIt) {
  av1::AnchorAuditChainResponse a;
  auto st = Anchor(&a);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(a.service(), GetParam().name);
  EXPECT_EQ(a.chain(), GetParam().name);
  EXPECT_EQ(a.position(), base_ + 6);
  EXPECT_EQ(a.hash().size(), 64u);
  EXPECT_GT(a.log_sequence(), 0);
  EXPECT_TRUE(a.created());
  av1::AnchorAuditChainResponse again;
  ASSERT_TRUE(Anchor(&again, Role::kAdmin).ok());
  EXPECT_FALSE(again.created()) << "the same head is not logged twice";
  EXPECT_EQ(again.log_sequence(), a.log_sequence());
  EXPECT_EQ(Anchor(&again, Role::kOfficer).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // The anchor is an entry of the liaison's signed log, and the log still verifies.
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kAuditor, kAuditorAgency, "auditor-1");
  lv1::VerifyLogResponse log;
  ASSERT_TRUE(LiaisonStub()->VerifyLog(&ctx, lv1::VerifyLogRequest(), &log).ok());
  EXPECT_TRUE(log.ok()) << log.problem();
  pqxx::connection conn(liaison_->config().database_url);
  pqxx::work tx(conn);
  auto entry =
      tx.exec_params("SELECT event, detail FROM message_log WHERE sequence = $1", a.log_sequence());
  ASSERT_EQ(entry.size(), 1u);
  EXPECT_EQ(entry[0][0].as<std::string>(), "anchored");
  EXPECT_NE(entry[0][1].as<std::string>().find(a.hash()), std::string::npos);

  av1::VerifyAuditChainResponse r;
  ASSERT_TRUE(Verify(&r).ok());
  EXPECT_TRUE(r.ok()) << r.reason();
  EXPECT_EQ(r.anchors_checked(), 1);
  EXPECT_EQ(r.last_anchor_position(), base_ + 6);
  EXPECT_GT(r.last_anchored_at().seconds(), 0);
  EXPECT_EQ(r.anchors_unchecked_reason(), "");
}

// The proof: as a superuser, edit a middle record, delete one, and delete the newest
// ones; each is named, the deleted tail because the anchor remembers the head.
TEST_P(AuditAnchorTest, AnEditADeletionAndADeletedTailAreEachNamed) {
  av1::AnchorAuditChainResponse a;
  ASSERT_TRUE(Anchor(&a).ok());
  Tamper(absl::StrCat("UPDATE audit_log SET entity_id = 'other' WHERE position = ", base_ + 2));
  Tamper(absl::StrCat("DELETE FROM audit_log WHERE position = ", base_ + 3));
  Tamper(absl::StrCat("DELETE FROM audit_log WHERE position >= ", base_ + 5));
  av1::VerifyAuditChainResponse r;
  ASSERT_TRUE(Verify(&r).ok());
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.head_position(), base_ + 4);
  ASSERT_EQ(r.findings_size(), 3) << r.reason();
  EXPECT_EQ(r.findings(0).problem(), av1::AUDIT_PROBLEM_EDITED);
  EXPECT_EQ(r.findings(0).position(), base_ + 2);
  EXPECT_EQ(r.findings(1).problem(), av1::AUDIT_PROBLEM_DELETED);
  EXPECT_EQ(r.findings(1).position(), base_ + 3);
  EXPECT_EQ(r.findings(2).problem(), av1::AUDIT_PROBLEM_TRUNCATED);
  EXPECT_EQ(r.findings(2).position(), base_ + 5);
  EXPECT_EQ(r.findings(2).count(), 2);
  EXPECT_NE(r.findings(2).reason().find("newest records were deleted"), std::string::npos)
      << r.findings(2).reason();
  EXPECT_EQ(r.problems(), 3);
}

// Without the anchor the same deleted tail would verify: the window the interval leaves open.
TEST_P(AuditAnchorTest, ATailDeletedBeforeItWasAnchoredIsNotSeen) {
  av1::AnchorAuditChainResponse a;
  ASSERT_TRUE(Anchor(&a).ok());
  Append(3, "later");  // not anchored yet
  Tamper(absl::StrCat("DELETE FROM audit_log WHERE position > ", base_ + 6));
  av1::VerifyAuditChainResponse r;
  ASSERT_TRUE(Verify(&r).ok());
  EXPECT_TRUE(r.ok()) << "records after the newest anchor are not covered: " << r.reason();
  EXPECT_EQ(r.last_anchor_position(), base_ + 6);
}

// A superuser who deletes the tail and lets the service write on (or writes a tail with
// recomputed hashes) leaves a chain that links and hashes correctly; the anchor names it.
TEST_P(AuditAnchorTest, ATailRewrittenWithRecomputedHashesDoesNotMatchItsAnchor) {
  av1::AnchorAuditChainResponse a;
  ASSERT_TRUE(Anchor(&a).ok());
  Tamper(absl::StrCat("DELETE FROM audit_log WHERE position > ", base_ + 3));
  Append(4, "rewritten");
  av1::VerifyAuditChainResponse r;
  ASSERT_TRUE(Verify(&r).ok());
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.findings_size(), 1) << r.reason();
  EXPECT_EQ(r.findings(0).problem(), av1::AUDIT_PROBLEM_ANCHOR_MISMATCH);
  EXPECT_EQ(r.findings(0).position(), base_ + 6);
  EXPECT_NE(r.findings(0).reason().find("rewritten"), std::string::npos) << r.findings(0).reason();
  // The rewritten head is refused at the anchored position... and a later one is logged.
  Tamper(absl::StrCat("DELETE FROM audit_log WHERE position = ", base_ + 7));
  av1::AnchorAuditChainResponse refused;
  auto st = Anchor(&refused);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_NE(st.error_message().find("rewritten"), std::string::npos) << st.error_message();
}

INSTANTIATE_TEST_SUITE_P(Services, AuditAnchorTest,
                         ::testing::Values(Case{"dossier", &dossier::Spec},
                                           Case{"petition", &petition::Spec},
                                           Case{"cadre", &cadre::Spec},
                                           Case{"liaison", &liaison::Spec}),
                         [](const auto& info) { return std::string(info.param.name); });

// The liaison's side: who may anchor which chain, and what it refuses.
class AnchorAuditHeadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto liaison = ServiceUnderTest::Start(liaison::Spec());
    ASSERT_TRUE(liaison.ok()) << liaison.status();
    liaison_ = std::move(*liaison);
    stub_ = lv1::LiaisonService::NewStub(liaison_->channel());
  }
  grpc::Status Anchor(Role role, const std::string& subject, const std::string& chain,
                      int64_t position, const std::string& hash,
                      lv1::AnchorAuditHeadResponse* out) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, kAuditorAgency, subject);
    lv1::AnchorAuditHeadRequest req;
    req.set_chain(chain);
    req.set_position(position);
    req.set_hash(hash);
    return stub_->AnchorAuditHead(&ctx, req, out);
  }
  std::unique_ptr<ServiceUnderTest> liaison_;
  std::unique_ptr<lv1::LiaisonService::Stub> stub_;
};

TEST_F(AnchorAuditHeadTest, AServiceAnchorsItsOwnChainOnlyAndBadInputIsNamed) {
  const std::string hash(64, 'a');
  lv1::AnchorAuditHeadResponse r;
  EXPECT_TRUE(Anchor(Role::kSystem, "service:dossier", "dossier", 5, hash, &r).ok());
  EXPECT_TRUE(r.created());
  EXPECT_EQ(Anchor(Role::kSystem, "service:dossier", "petition", 5, hash, &r).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Anchor(Role::kAdmin, "service:dossier", "dossier", 6, hash, &r).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      Anchor(Role::kSystem, "service:dossier", "dossier", 5, std::string(64, 'b'), &r).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  auto st = Anchor(Role::kSystem, "service:Bad Chain", "Bad Chain", 0, "xyz", &r);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;  // as any gRPC client decodes it
  ASSERT_TRUE(details.ParseFromString(st.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad));
  std::vector<std::string> fields;
  for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  EXPECT_EQ(fields, (std::vector<std::string>{"chain", "position", "hash"}));
  // An auditor lists them; a bad page token is named.
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kAuditor, kAuditorAgency, "auditor-1");
  lv1::ListAuditAnchorsRequest req;
  req.set_chain("dossier");
  lv1::ListAuditAnchorsResponse listed;
  ASSERT_TRUE(stub_->ListAuditAnchors(&ctx, req, &listed).ok());
  ASSERT_EQ(listed.anchors_size(), 1);
  EXPECT_EQ(listed.anchors(0).position(), 5);
  EXPECT_EQ(listed.anchors(0).hash(), hash);
  grpc::ClientContext bad_ctx;
  ServiceUnderTest::Authorize(bad_ctx, Role::kAuditor, kAuditorAgency, "auditor-1");
  req.set_page_token("not-a-token");
  EXPECT_EQ(stub_->ListAuditAnchors(&bad_ctx, req, &listed).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AnchorAuditHeadTest, AServiceAnchorsItsHeadOnItsOwnAtTheInterval) {
  // A dossier service anchoring every second (its chain named as a second deployment's).
  const std::string liaison_addr = absl::StrCat("127.0.0.1:", liaison_->service().port());
  auto timed = ServiceUnderTest::Start(dossier::Spec(), [&](ServiceConfig& c) {
    c.peer_addrs["liaison"] = liaison_addr;
    c.audit_chain = "dossier.timed";
    c.service_token_file = ServiceUnderTest::ServiceTokenFile("dossier.timed", kAuditorAgency);
    c.audit_anchor_interval_s = 1;
  });
  ASSERT_TRUE(timed.ok()) << timed.status();
  pqxx::connection conn((*timed)->config().database_url);
  {
    pqxx::work tx(conn);
    ASSERT_TRUE(AppendAudit(tx, {"o", "officer", "000.00.31.H41", "test.Write", "t", "1", "r", "c"},
                            absl::FromUnixSeconds(1767225600))
                    .ok());
    tx.commit();
  }
  pqxx::work tx(conn);
  const AuditHead head = ReadAuditHead(tx);
  tx.commit();
  lv1::ListAuditAnchorsResponse listed;
  for (int i = 0; i < 100; ++i) {  // up to 10 s: the anchorer's next pass
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kAuditor, kAuditorAgency, "auditor-1");
    lv1::ListAuditAnchorsRequest req;
    req.set_chain("dossier.timed");
    ASSERT_TRUE(stub_->ListAuditAnchors(&ctx, req, &listed).ok());
    if (listed.anchors_size() > 0 && listed.anchors().rbegin()->position() == head.position) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_GT(listed.anchors_size(), 0);
  EXPECT_EQ(listed.anchors().rbegin()->position(), head.position);
  EXPECT_EQ(listed.anchors().rbegin()->hash(), head.hash);
}

}  // namespace
}  // namespace localgov
