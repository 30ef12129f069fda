#include "common/redis/redis.h"

#include <functional>

#include "common/clock.h"
#include "common/redis/near_cache.h"

#include "gtest/gtest.h"
#include "tests/harness/servers.h"

namespace localgov {
namespace {

using testing::TestServers;

std::unique_ptr<RedisPool> NewPool() {
  RedisPool::Options o;
  o.port = TestServers::Get().redis_port();
  o.size = 2;
  o.timeout = absl::Milliseconds(200);
  o.retry_after = absl::Milliseconds(300);
  auto pool = RedisPool::Create(o);
  EXPECT_TRUE(pool.ok());
  return std::move(*pool);
}

TEST(RedisPoolTest, RunsCommands) {
  auto pool = NewPool();
  ASSERT_TRUE(pool->Command({"SET", "k", "v", "EX", "60"}).ok());
  auto got = pool->Command({"GET", "k"});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->type, RedisReply::Type::kString);
  EXPECT_EQ(got->str, "v");
  auto n = pool->Command({"INCR", "n"});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->integer, 1);
  EXPECT_EQ(pool->Command({"NOSUCHCOMMAND"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(RedisPoolTest, APipelineAnswersEachCommandInOrderAndKeepsTheConnectionUsable) {
  auto pool = NewPool();
  auto replies = pool->Pipeline(
      {{"SET", "p1", "a"}, {"NOSUCHCOMMAND"}, {"INCR", "p2"}, {"MGET", "p1", "p2", "p3"}});
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 4u);
  EXPECT_TRUE((*replies)[0].ok());
  EXPECT_EQ((*replies)[1].status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*replies)[2]->integer, 1);
  const auto& mget = *(*replies)[3];
  ASSERT_EQ(mget.elements.size(), 3u);
  EXPECT_EQ(mget.elements[0].str, "a");
  EXPECT_EQ(mget.elements[1].str, "1");
  EXPECT_EQ(mget.elements[2].type, RedisReply::Type::kNil);
  // Both connections of the pool still answer in step.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(pool->Command({"GET", "p1"})->str, "a");
}

TEST(RedisPoolTest, RedisDownGivesUnavailableFastThenRecovers) {
  auto pool = NewPool();
  ASSERT_TRUE(pool->Ping());
  ASSERT_TRUE(TestServers::Get().StopRedis().ok());
  const auto started = absl::Now();
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(pool->Command({"GET", "k"}).status().code(), absl::StatusCode::kUnavailable);
  }
  EXPECT_LT(absl::Now() - started, absl::Seconds(3)) << "callers must degrade, not hang";
  EXPECT_FALSE(pool->healthy());
  ASSERT_TRUE(TestServers::Get().StartRedis().ok());
  bool back = false;
  for (int i = 0; i < 50 && !back; ++i) {
    back = pool->Ping();
    if (!back) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(back);
  EXPECT_TRUE(pool->healthy());
}

// Polls `done` for up to five seconds: invalidations arrive on their own connection.
bool Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return done();
}

class NearCacheTest : public ::testing::Test {
 protected:
  std::unique_ptr<RedisNearCache> Start(const Clock& clock = SystemClock::Get()) {
    RedisNearCache::Options o;
    o.port = TestServers::Get().redis_port();
    o.prefixes = {"near:"};
    o.max_age = absl::Minutes(1);
    o.retry_after = absl::Milliseconds(100);
    auto cache = std::make_unique<RedisNearCache>(o, clock);
    EXPECT_TRUE(Eventually([&] { return cache->armed(); })) << "subscribed to invalidations";
    return cache;
  }
  // What a caller does on a miss: Begin, read from Redis, Put.
  void Read(RedisNearCache& cache, const std::string& key) {
    auto ticket = cache.Begin({key});
    auto got = pool_->Command({"GET", key});
    ASSERT_TRUE(got.ok()) << got.status();
    cache.Put(
        ticket, key,
        got->type == RedisReply::Type::kString ? RedisNearCache::Value(got->str) : std::nullopt);
  }

  // A change by another client, returning once its invalidation has arrived (one that arrives
  // after a later Begin would, rightly, void that read).
  void Change(RedisNearCache& cache, const std::vector<std::string>& command) {
    const uint64_t seen = cache.invalidations();
    ASSERT_TRUE(pool_->Command(command).ok());
    ASSERT_TRUE(Eventually([&] { return cache.invalidations() > seen; }));
  }

  std::unique_ptr<RedisPool> pool_ = NewPool();
};

TEST_F(NearCacheTest, ServesItsCopyUntilRedisReportsAChangeByAnyone) {
  auto cache = Start();
  Change(*cache, {"SET", "near:a", "v1"});
  EXPECT_FALSE(cache->Get("near:a").has_value()) << "nothing read yet";
  Read(*cache, "near:a");
  ASSERT_TRUE(cache->Get("near:a").has_value());
  EXPECT_EQ(**cache->Get("near:a"), "v1");
  Read(*cache, "near:absent");
  ASSERT_TRUE(cache->Get("near:absent").has_value()) << "a missing key is known too";
  EXPECT_FALSE(cache->Get("near:absent")->has_value());

  ASSERT_TRUE(pool_->Command({"SET", "near:a", "v2"}).ok());  // another client's change
  EXPECT_TRUE(Eventually([&] { return !cache->Get("near:a").has_value(); }));
  Read(*cache, "near:a");
  EXPECT_EQ(**cache->Get("near:a"), "v2");
  ASSERT_TRUE(pool_->Command({"SET", "near:absent", "now"}).ok());
  EXPECT_TRUE(Eventually([&] { return !cache->Get("near:absent").has_value(); }));
  Change(*cache, {"SET", "near:e", "x", "PX", "50"});
  Read(*cache, "near:e");
  EXPECT_TRUE(Eventually([&] { return !cache->Get("near:e").has_value(); })) << "expiry counts";
}

TEST_F(NearCacheTest, AReplyThatMayPredateAChangeIsNotKept) {
  auto cache = Start();
  ASSERT_TRUE(pool_->Command({"SET", "near:b", "old"}).ok());
  auto ticket = cache->Begin({"near:b"});
  // The read went out and came back with "old"; the change lands before it is put.
  const uint64_t seen = cache->invalidations();
  ASSERT_TRUE(pool_->Command({"SET", "near:b", "new"}).ok());
  ASSERT_TRUE(Eventually([&] { return cache->invalidations() > seen; }));
  cache->Put(ticket, "near:b", "old");
  EXPECT_FALSE(cache->Get("near:b").has_value());
}

TEST_F(NearCacheTest, KeysOutsideItsPrefixesAreNeitherKeptNorReported) {
  auto cache = Start();
  const uint64_t seen = cache->invalidations();
  ASSERT_TRUE(pool_->Command({"SET", "elsewhere", "x"}).ok());
  ASSERT_TRUE(pool_->Command({"SET", "near:marker", "x"}).ok());
  ASSERT_TRUE(Eventually([&] { return cache->invalidations() > seen; }));
  EXPECT_EQ(cache->invalidations(), seen + 1) << "only near:marker was reported";
}

TEST_F(NearCacheTest, WithoutPrefixesItNeverServesAnything) {
  RedisNearCache::Options o;
  o.port = TestServers::Get().redis_port();
  o.prefixes = {""};  // would track every key of the server
  o.retry_after = absl::Milliseconds(50);
  RedisNearCache cache(o, SystemClock::Get());
  absl::SleepFor(absl::Milliseconds(300));  // several attempts
  EXPECT_FALSE(cache.armed());
  EXPECT_TRUE(cache.Begin({"near:x"}).slots.empty());
}

TEST_F(NearCacheTest, ACopyIsServedAtMostMaxAge) {
  FakeClock clock(absl::FromUnixSeconds(1'800'000'000));
  auto cache = Start(clock);
  Change(*cache, {"SET", "near:c", "v"});
  Read(*cache, "near:c");
  clock.Advance(absl::Minutes(1));
  EXPECT_TRUE(cache->Get("near:c").has_value());
  clock.Advance(absl::Milliseconds(1));
  EXPECT_FALSE(cache->Get("near:c").has_value());
}

TEST_F(NearCacheTest, NothingIsServedWhileRedisIsDownAndCopiesAreDroppedWhenItReturns) {
  auto cache = Start();
  Change(*cache, {"SET", "near:d", "before"});
  Read(*cache, "near:d");
  ASSERT_TRUE(cache->Get("near:d").has_value());
  ASSERT_TRUE(TestServers::Get().StopRedis().ok());
  EXPECT_TRUE(Eventually([&] { return !cache->armed(); }));
  EXPECT_FALSE(cache->Get("near:d").has_value()) << "changes would go unreported";
  EXPECT_TRUE(cache->Begin({"near:d"}).slots.empty()) << "and nothing is kept";
  ASSERT_TRUE(TestServers::Get().StartRedis().ok());
  EXPECT_TRUE(Eventually([&] { return cache->armed(); })) << "resubscribes by itself";
  EXPECT_FALSE(cache->Get("near:d").has_value());
}

}  // namespace
}  // namespace localgov
