#include "common/outbox.h"

#include "gtest/gtest.h"

namespace localgov {
namespace {

TEST(OutboxBackoffTest, DoublesFromTheBaseWithJitterBetweenHalfAndFull) {
  const auto base = absl::Seconds(1);
  const auto max = absl::Minutes(10);
  EXPECT_EQ(OutboxBackoff(1, base, max, 1.0), absl::Seconds(1));
  EXPECT_EQ(OutboxBackoff(1, base, max, 0.0), absl::Milliseconds(500));
  EXPECT_EQ(OutboxBackoff(4, base, max, 1.0), absl::Seconds(8));
  EXPECT_EQ(OutboxBackoff(4, base, max, 0.5), absl::Seconds(6));
}

TEST(OutboxBackoffTest, IsCappedAtTheMaximum) {
  EXPECT_EQ(OutboxBackoff(40, absl::Seconds(1), absl::Minutes(10), 1.0), absl::Minutes(10));
  EXPECT_EQ(OutboxBackoff(1000, absl::Seconds(1), absl::Minutes(10), 0.0), absl::Minutes(5));
}

}  // namespace
}  // namespace localgov
