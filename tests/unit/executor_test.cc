#include "common/executor.h"

#include <atomic>
#include <future>

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

}  // namespace
}  // namespace localgov
