#include "common/redis/redis.h"

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

}  // namespace
}  // namespace localgov
