#include "common/audit.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "common/db/migrations.h"
#include "common/db/transaction.h"
#include "gtest/gtest.h"
#include "tests/harness/servers.h"

namespace localgov {
namespace {

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto url = testing::TestServers::Get().CreateDatabase();
    ASSERT_TRUE(url.ok());
    auto pool = PgPool::Create({*url, 2, absl::Seconds(2), 2, 5000});
    ASSERT_TRUE(pool.ok());
    pool_ = std::move(*pool);
    ASSERT_TRUE(ApplyMigrations(*pool_, {&common_migrations()}).ok());
    for (int i = 1; i <= 5; ++i) {
      ASSERT_TRUE(RunInTransaction(*pool_, "append", [&](pqxx::work& tx) {
                    return AppendAudit(tx,
                                       {"officer-1", "officer", "000.00.00.G22", "test.Action",
                                        "thing", "thing-" + std::to_string(i),
                                        "req-" + std::to_string(i), "change " + std::to_string(i)},
                                       absl::FromUnixSeconds(1767225600 + i));
                  }).ok());
    }
  }

  AuditVerification Verify() {
    AuditVerification out;
    EXPECT_TRUE(RunInTransaction(*pool_, "verify", [&](pqxx::work& tx) -> absl::Status {
                  auto v = VerifyAuditChain(tx);
                  if (!v.ok()) return v.status();
                  out = *v;
                  return absl::OkStatus();
                }).ok());
    return out;
  }

  // Tampering as a database superuser would: with triggers bypassed.
  void Tamper(const std::string& sql) {
    ASSERT_TRUE(RunInTransaction(*pool_, "tamper", [&](pqxx::work& tx) {
                  tx.exec("SET LOCAL session_replication_role = replica");
                  tx.exec(sql);
                  return absl::OkStatus();
                }).ok());
  }

  std::unique_ptr<PgPool> pool_;
};

TEST_F(AuditTest, AnIntactChainVerifies) {
  const auto v = Verify();
  EXPECT_TRUE(v.ok) << v.reason;
  EXPECT_EQ(v.checked, 5);
}

TEST_F(AuditTest, RowsCannotBeUpdatedOrDeletedThroughTheApplication) {
  auto st = RunInTransaction(*pool_, "edit", [](pqxx::work& tx) {
    tx.exec("UPDATE audit_log SET actor = 'someone-else' WHERE position = 2");
    return absl::OkStatus();
  });
  EXPECT_FALSE(st.ok());
  st = RunInTransaction(*pool_, "delete", [](pqxx::work& tx) {
    tx.exec("DELETE FROM audit_log WHERE position = 2");
    return absl::OkStatus();
  });
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(Verify().ok);
}

TEST_F(AuditTest, AnEditedRowIsDetectedAtItsPosition) {
  Tamper("UPDATE audit_log SET actor = 'someone-else' WHERE position = 3");
  const auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_position, 3);
  EXPECT_NE(v.reason.find("altered"), std::string::npos) << v.reason;
}

TEST_F(AuditTest, AnEditedRowWithRecomputedHashBreaksTheNextLink) {
  // A forger who recomputes row 3's hash still cannot make row 4 point at it.
  Tamper("UPDATE audit_log SET hash = repeat('a', 64) WHERE position = 3");
  const auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_position, 3);
}

TEST_F(AuditTest, ADeletedRowIsDetected) {
  Tamper("DELETE FROM audit_log WHERE position = 2");
  const auto v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_position, 2);
  EXPECT_NE(v.reason.find("missing"), std::string::npos) << v.reason;
}

TEST_F(AuditTest, ConcurrentAppendsNeverForkTheChain) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        EXPECT_TRUE(
            RunInTransaction(*pool_, "append", [&](pqxx::work& tx) {
              return AppendAudit(tx, {"a", "admin", "x", "act", "e", "id", "r", "c"}, absl::Now());
            }).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  const auto v = Verify();
  EXPECT_TRUE(v.ok) << v.reason;
  EXPECT_EQ(v.checked, 45);
}

TEST_F(AuditTest, EntriesAppendedTogetherChainInOrderAmongSingleAppends) {
  // A group's entries (the dossier service's intake groups) and single appends from other
  // writers at the same time: one chain, every entry once, in order.
  std::thread single([&] {
    for (int i = 0; i < 10; ++i) {
      EXPECT_TRUE(RunInTransaction(*pool_, "append", [&](pqxx::work& tx) {
                    return AppendAudit(tx, {"a", "admin", "x", "act", "e", "single", "r", "c"},
                                       absl::Now());
                  }).ok());
    }
  });
  for (int g = 0; g < 10; ++g) {
    std::vector<AuditEntry> group;
    for (int i = 0; i < 3; ++i) {
      group.push_back({"officer-1", "officer", "000.00.31.H41", "dossier.ReceiveDossier", "dossier",
                       absl::StrCat("group-", g, "-", i), "req", "change"});
    }
    ASSERT_TRUE(RunInTransaction(*pool_, "append_group", [&](pqxx::work& tx) {
                  return AppendAudits(tx, group, absl::Now());
                }).ok());
  }
  single.join();
  const auto v = Verify();
  EXPECT_TRUE(v.ok) << v.reason;
  EXPECT_EQ(v.checked, 5 + 10 + 30);
  ASSERT_TRUE(RunInTransaction(*pool_, "order", [&](pqxx::work& tx) -> absl::Status {
                // Each group's three entries hold consecutive positions, in the order given.
                auto r = tx.exec(
                    "SELECT count(*) FROM audit_log a JOIN audit_log b"
                    " ON b.position = a.position + 1"
                    " WHERE a.entity_id LIKE 'group-%-0' AND b.entity_id <> "
                    " regexp_replace(a.entity_id, '-0$', '-1')");
                EXPECT_EQ(r[0][0].as<int>(), 0);
                return absl::OkStatus();
              }).ok());
}

}  // namespace
}  // namespace localgov
