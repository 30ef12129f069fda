#include <atomic>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "gtest/gtest.h"
#include "services/dossier/dossier_spec.h"
#include "tests/harness/servers.h"

namespace localgov {
namespace {

using testing::TestServers;

std::unique_ptr<PgPool> NewPool(const std::string& url, int size = 4) {
  auto pool = PgPool::Create({url, size, absl::Seconds(1), 2, 5000});
  EXPECT_TRUE(pool.ok());
  return std::move(*pool);
}

// A one-connection pool on a new database with the common tables (idempotency keys, audit).
std::unique_ptr<PgPool> CommonTablesPool() {
  auto url = TestServers::Get().CreateDatabase();
  EXPECT_TRUE(url.ok()) << url.status();
  if (!url.ok()) return nullptr;
  auto pool = NewPool(*url, 1);
  EXPECT_TRUE(ApplyMigrations(*pool, {&common_migrations()}).ok());
  return pool;
}

absl::Status SelectOne(PgPool& pool) {
  return RunInTransaction(pool, "select_one", [](pqxx::work& tx) {
    tx.exec("SELECT 1");
    return absl::OkStatus();
  });
}

TEST(PgPoolTest, RecoversAfterPostgresRestartsWithoutRestartingTheService) {
  auto url = TestServers::Get().CreateDatabase();
  ASSERT_TRUE(url.ok()) << url.status();
  auto pool = NewPool(*url);
  ASSERT_TRUE(SelectOne(*pool).ok());
  ASSERT_TRUE(SelectOne(*pool).ok());
  ASSERT_GE(pool->stats().idle, 1);  // a connection is kept, and will be stale after restart

  ASSERT_TRUE(TestServers::Get().StopPostgres().ok());
  const auto started = absl::Now();
  const auto down = SelectOne(*pool);
  EXPECT_EQ(down.code(), absl::StatusCode::kUnavailable) << down;
  EXPECT_LT(absl::Now() - started, absl::Seconds(10)) << "a dead database must not hang callers";

  ASSERT_TRUE(TestServers::Get().StartPostgres().ok());
  EXPECT_TRUE(SelectOne(*pool).ok()) << "the pool must replace its broken connections";
  EXPECT_TRUE(SelectOne(*pool).ok());
}

TEST(PgPoolTest, AcquireGivesUpAfterTheTimeoutWhenAllConnectionsAreBusy) {
  auto url = TestServers::Get().CreateDatabase();
  ASSERT_TRUE(url.ok());
  auto pool = PgPool::Create({*url, 1, absl::Milliseconds(200), 2, 5000});
  ASSERT_TRUE(pool.ok());
  auto held = (*pool)->Acquire();
  ASSERT_TRUE(held.ok());
  auto second = (*pool)->Acquire();
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ((*pool)->stats().in_use, 1);
}

TEST(TransactionTest, ANonOkBodyRollsEverythingBack) {
  auto url = TestServers::Get().CreateDatabase();
  ASSERT_TRUE(url.ok());
  auto pool = NewPool(*url);
  ASSERT_TRUE(RunInTransaction(*pool, "setup", [](pqxx::work& tx) {
                tx.exec("CREATE TABLE t (v int)");
                return absl::OkStatus();
              }).ok());
  auto st = RunInTransaction(*pool, "half", [](pqxx::work& tx) {
    tx.exec("INSERT INTO t VALUES (1)");
    return absl::FailedPreconditionError("second step refused");
  });
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  int64_t count = -1;
  ASSERT_TRUE(RunInTransaction(*pool, "count", [&](pqxx::work& tx) {
                count = tx.exec("SELECT count(*) FROM t")[0][0].as<int64_t>();
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(count, 0);
}

TEST(TransactionTest, SerializationFailuresAreRetriedUntilBothIncrementsLand) {
  auto url = TestServers::Get().CreateDatabase();
  ASSERT_TRUE(url.ok());
  auto pool = NewPool(*url, 8);
  ASSERT_TRUE(RunInTransaction(*pool, "setup", [](pqxx::work& tx) {
                tx.exec("CREATE TABLE counter (v int); INSERT INTO counter VALUES (0)");
                return absl::OkStatus();
              }).ok());
  constexpr int kThreads = 6;
  constexpr int kEach = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < kEach; ++j) {
        TxOptions opts;
        opts.isolation = Isolation::kSerializable;
        opts.max_attempts = 50;
        auto st = RunInTransaction(
            *pool, "increment",
            [](pqxx::work& tx) {
              const int v = tx.exec("SELECT v FROM counter")[0][0].as<int>();
              tx.exec_params("UPDATE counter SET v = $1", v + 1);
              return absl::OkStatus();
            },
            opts);
        if (!st.ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  int v = 0;
  ASSERT_TRUE(RunInTransaction(*pool, "read", [&](pqxx::work& tx) {
                v = tx.exec("SELECT v FROM counter")[0][0].as<int>();
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(v, kThreads * kEach);
}

TEST(TransactionTest, UniqueViolationIsAlreadyExists) {
  auto url = TestServers::Get().CreateDatabase();
  ASSERT_TRUE(url.ok());
  auto pool = NewPool(*url);
  auto st = RunInTransaction(*pool, "dup", [](pqxx::work& tx) {
    tx.exec(
        "CREATE TABLE u (k text PRIMARY KEY); INSERT INTO u VALUES ('a'); INSERT INTO u VALUES "
        "('a')");
    return absl::OkStatus();
  });
  EXPECT_EQ(st.code(), absl::StatusCode::kAlreadyExists);
}

TEST(IdempotencyTest, KeysClaimedTogetherTellWhichAreNewAndKeepTheirResponses) {
  auto pool = CommonTablesPool();
  ASSERT_NE(pool, nullptr);
  const std::vector<IdempotencyKey> first = {{"officer-1", "Receive", "a", "digest-a"},
                                             {"officer-1", "Receive", "b", "digest-b"}};
  ASSERT_TRUE(RunInTransaction(*pool, "claim", [&](pqxx::work& tx) {
                EXPECT_EQ(ClaimNewIdempotencyKeys(tx, first), (std::vector<bool>{true, true}));
                StoreIdempotentResponses(tx, first, {"response-a", std::string("b\0b", 3)});
                return absl::OkStatus();
              }).ok());
  // "b" again, with its body, a new "c", and "a" with another body.
  const std::vector<IdempotencyKey> second = {{"officer-1", "Receive", "b", "digest-b"},
                                              {"officer-1", "Receive", "c", "digest-c"},
                                              {"officer-1", "Receive", "a", "other"}};
  ASSERT_TRUE(
      RunInTransaction(*pool, "claim", [&](pqxx::work& tx) {
        EXPECT_EQ(ClaimNewIdempotencyKeys(tx, second), (std::vector<bool>{false, true, false}));
        auto b = ClaimIdempotencyKey(tx, "officer-1", "Receive", "b", "digest-b");
        EXPECT_TRUE(b.ok() && b->has_value() && **b == std::string("b\0b", 3))
            << "a binary response comes back byte for byte";
        auto a = ClaimIdempotencyKey(tx, "officer-1", "Receive", "a", "other");
        EXPECT_EQ(a.status().code(), absl::StatusCode::kAlreadyExists);
        return absl::OkStatus();
      }).ok());
}

// The planner takes any set of rows from JSON for 100 rows; joined to a small table, that made it
// read the whole idempotency table for every group it stored (seen as intake slowing down on a
// new deployment, until its statistics caught up). Storing goes through the key's index.
TEST(IdempotencyTest, StoringAGroupsResponsesNeverReadsTheWholeTable) {
  auto pool = CommonTablesPool();
  ASSERT_NE(pool, nullptr);
  ASSERT_TRUE(RunInTransaction(*pool, "groups", [&](pqxx::work& tx) {
                auto seq_scans = [&] {
                  return tx
                      .exec(
                          "SELECT seq_scan FROM pg_stat_xact_user_tables"
                          " WHERE relname = 'idempotency_keys'")[0][0]
                      .as<int64_t>();
                };
                int64_t after_first = 0;
                for (int g = 0; g < 40; ++g) {
                  std::vector<IdempotencyKey> keys;
                  std::vector<std::string> responses;
                  for (int i = 0; i < 8; ++i) {
                    const std::string id = absl::StrCat("r-", g, "-", i);
                    keys.push_back({"portal", "Receive", id, "digest-" + id});
                    responses.push_back("response-" + id);
                  }
                  EXPECT_EQ(ClaimNewIdempotencyKeys(tx, keys), std::vector<bool>(8, true));
                  StoreIdempotentResponses(tx, keys, responses);
                  if (g == 0) after_first = seq_scans();
                }
                EXPECT_EQ(seq_scans(), after_first) << "groups 2 to 40 read the whole table";
                // (A single look-up, planned for its own value, may read a table this small.)
                auto stored = StoredResponse(tx, {"portal", "Receive", "r-39-7", "digest-r-39-7"});
                EXPECT_TRUE(stored.ok() && *stored == "response-r-39-7");
                return absl::OkStatus();
              }).ok());
}

TEST(IdempotencyTest, AResponseIsStoredOnlyForAKeyClaimedBefore) {
  auto pool = CommonTablesPool();
  ASSERT_NE(pool, nullptr);
  auto st = RunInTransaction(*pool, "unclaimed", [&](pqxx::work& tx) {
    StoreIdempotentResponses(tx, {{"portal", "Receive", "never-claimed", "d"}}, {"response"});
    return absl::OkStatus();
  });
  EXPECT_FALSE(st.ok()) << "a programming error, refused";
  auto count = RunInTransaction(*pool, "count", [&](pqxx::work& tx) {
    EXPECT_EQ(tx.exec("SELECT count(*) FROM idempotency_keys")[0][0].as<int>(), 0);
    return absl::OkStatus();
  });
  EXPECT_TRUE(count.ok());
}

TEST(MigrationsTest, ApplyOnceThenNothingToDo) {
  auto url = TestServers::Get().CreateDatabase();
  ASSERT_TRUE(url.ok());
  auto pool = NewPool(*url);
  auto first = ApplyMigrations(*pool, {&common_migrations(), &dossier_migrations()});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->applied,
            static_cast<int>(common_migrations().size() + dossier_migrations().size()));
  EXPECT_EQ(first->schema_version, dossier_migrations().back().version);
  auto second = ApplyMigrations(*pool, {&common_migrations(), &dossier_migrations()});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->applied, 0);
  EXPECT_EQ(second->schema_version, first->schema_version);
}

TEST(MigrationsTest, ReplicasStartingTogetherApplyEachMigrationOnce) {
  auto url = TestServers::Get().CreateDatabase();
  ASSERT_TRUE(url.ok());
  constexpr int kReplicas = 4;
  std::vector<std::unique_ptr<PgPool>> pools;
  for (int i = 0; i < kReplicas; ++i) pools.push_back(NewPool(*url, 1));
  std::atomic<int> applied{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kReplicas; ++i) {
    threads.emplace_back([&, i] {
      auto r = ApplyMigrations(*pools[i], {&common_migrations(), &dossier_migrations()});
      if (r.ok()) {
        applied += r->applied;
      } else {
        ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(applied.load(),
            static_cast<int>(common_migrations().size() + dossier_migrations().size()));
}

TEST(MigrationsTest, AnEditedMigrationIsRefused) {
  auto url = TestServers::Get().CreateDatabase();
  ASSERT_TRUE(url.ok());
  auto pool = NewPool(*url);
  std::vector<Migration> v1 = {{"demo", 1, "0001_t", "CREATE TABLE demo_t (a int);"}};
  ASSERT_TRUE(ApplyMigrations(*pool, {&v1}).ok());
  std::vector<Migration> edited = {{"demo", 1, "0001_t", "CREATE TABLE demo_t (a bigint);"}};
  auto r = ApplyMigrations(*pool, {&edited});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(MigrationsTest, AFailingMigrationLeavesNothingHalfApplied) {
  auto url = TestServers::Get().CreateDatabase();
  ASSERT_TRUE(url.ok());
  auto pool = NewPool(*url);
  std::vector<Migration> bad = {{"demo", 1, "0001_ok", "CREATE TABLE demo_ok (a int);"},
                                {"demo", 2, "0002_bad", "CREATE TABLE demo_bad (a nosuchtype);"}};
  EXPECT_FALSE(ApplyMigrations(*pool, {&bad}).ok());
  bool exists = true;
  ASSERT_TRUE(RunInTransaction(*pool, "check", [&](pqxx::work& tx) {
                exists = !tx.exec("SELECT 1 FROM pg_tables WHERE tablename = 'demo_ok'").empty();
                return absl::OkStatus();
              }).ok());
  EXPECT_FALSE(exists);
}

}  // namespace
}  // namespace localgov
