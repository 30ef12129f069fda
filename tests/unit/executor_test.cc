#include "common/executor.h"

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "gtest/gtest.h"

namespace localgov {
namespace {

TEST(BoundedExecutorTest, RunsEverythingSubmitted) {
  BoundedExecutor executor(3, 1000);
  std::atomic<int> ran{0};
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(executor.TrySubmit([&] { ++ran; }));
  executor.Stop();
  EXPECT_EQ(ran.load(), 500);
}

TEST(BoundedExecutorTest, RefusesWorkBeyondTheQueueBound) {
  BoundedExecutor executor(1, 2);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  ASSERT_TRUE(executor.TrySubmit([&] {
    started.set_value();
    gate.wait();
  }));
  started.get_future().wait();  // the only worker is busy now
  EXPECT_TRUE(executor.TrySubmit([] {}));
  EXPECT_TRUE(executor.TrySubmit([] {}));
  EXPECT_FALSE(executor.TrySubmit([] {})) << "a third queued task exceeds the bound of 2";
  EXPECT_EQ(executor.queued(), 2u);
  release.set_value();
  executor.Stop();
  EXPECT_EQ(executor.queued(), 0u);
}

TEST(BoundedExecutorTest, StopRunsWhatIsQueuedThenRefuses) {
  BoundedExecutor executor(1, 100);
  std::atomic<int> ran{0};
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(executor.TrySubmit([&] { ++ran; }));
  executor.Stop();
  EXPECT_EQ(ran.load(), 50);
  EXPECT_FALSE(executor.TrySubmit([] {}));
}

// One method's calls hanging (a locked table) must leave threads and queue room to the others.
TEST(BoundedExecutorTest, OneLaneNeverTakesEveryThreadOrTheWholeQueue) {
  BoundedExecutor executor(4, 8);
  ASSERT_EQ(executor.lane_threads(), 3u);
  ASSERT_EQ(executor.lane_queued(), 6u);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<int> stuck{0};
  std::atomic<int> ran_a{0};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(executor.TrySubmit(
        [&] {
          ++stuck;
          gate.wait();
          ++ran_a;
        },
        "Stuck"));
  }
  while (stuck.load() < 3) std::this_thread::yield();
  // The lane's share of the queue: 6 more wait; the 7th is refused although the queue has room.
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(executor.TrySubmit([&] { ++ran_a; }, "Stuck"));
  EXPECT_FALSE(executor.TrySubmit([] {}, "Stuck")) << "the lane already holds 6 of 8";
  EXPECT_EQ(executor.queued(), 6u);
  // Another lane passes the six waiting ones and runs on the fourth thread while they hang.
  std::promise<void> other_ran;
  ASSERT_TRUE(executor.TrySubmit([&] { other_ran.set_value(); }, "Other"));
  EXPECT_EQ(other_ran.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(ran_a.load(), 0);
  release.set_value();
  executor.Stop();
  EXPECT_EQ(ran_a.load(), 9) << "the queued ones run once the lane has threads again";
}

}  // namespace
}  // namespace localgov
