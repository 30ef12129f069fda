#include "common/outbox.h"

#include <mutex>
#include <set>

#include "common/db/migrations.h"
#include "common/db/transaction.h"
#include "gtest/gtest.h"
#include "tests/harness/servers.h"

namespace localgov {
namespace {

// A receiver that records what it got and can refuse the first N deliveries.
class RecordingReceiver final : public OutboxDeliverer {
 public:
  explicit RecordingReceiver(int refuse_first = 0) : refuse_(refuse_first) {}
  absl::Status Deliver(const OutboxMessage& m) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++attempts_;
    if (refuse_ > 0) {
      --refuse_;
      return absl::UnavailableError("receiver down");
    }
    received_.push_back(m.message_id);
    payloads_.push_back(m.payload);
    return absl::OkStatus();
  }
  std::vector<std::string> received() {
    std::lock_guard<std::mutex> lock(mu_);
    return received_;
  }
  std::vector<std::string> payloads() {
    std::lock_guard<std::mutex> lock(mu_);
    return payloads_;
  }
  int attempts() {
    std::lock_guard<std::mutex> lock(mu_);
    return attempts_;
  }

 private:
  std::mutex mu_;
  int refuse_;
  int attempts_ = 0;
  std::vector<std::string> received_;
  std::vector<std::string> payloads_;
};

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto url = testing::TestServers::Get().CreateDatabase();
    ASSERT_TRUE(url.ok());
    auto pool = PgPool::Create({*url, 6, absl::Seconds(2), 2, 5000});
    ASSERT_TRUE(pool.ok());
    pool_ = std::move(*pool);
    ASSERT_TRUE(ApplyMigrations(*pool_, {&common_migrations()}).ok());
  }

  absl::Status Enqueue(const std::string& payload, bool commit = true) {
    return RunInTransaction(*pool_, "enqueue", [&](pqxx::work& tx) {
      EnqueueOutbox(tx, "test.topic", "key-1", payload, "text/plain");
      return commit ? absl::OkStatus() : absl::AbortedError("rolled back");
    });
  }

  OutboxRelay::Options FastOptions() {
    OutboxRelay::Options o;
    o.poll_interval = absl::Milliseconds(20);
    o.base_backoff = absl::Milliseconds(50);
    o.max_backoff = absl::Milliseconds(200);
    return o;
  }

  std::unique_ptr<PgPool> pool_;
};

TEST_F(OutboxTest, OnlyCommittedMessagesAreDeliveredAndEachOnce) {
  const std::string binary = std::string("committed\x01") + '\0' + "binary";
  ASSERT_TRUE(Enqueue(binary).ok());
  ASSERT_FALSE(Enqueue("rolled back", /*commit=*/false).ok());
  auto receiver = std::make_shared<RecordingReceiver>();
  OutboxRelay relay(*pool_, FastOptions(), nullptr);
  relay.Register("test.topic", receiver);
  auto n = relay.RunOnce();
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(*relay.RunOnce(), 0);
  ASSERT_EQ(receiver->payloads().size(), 1u);
  EXPECT_EQ(receiver->payloads()[0], binary);
  auto backlog = relay.Backlog();
  ASSERT_TRUE(backlog.ok());
  EXPECT_EQ(backlog->pending, 0);
}

TEST_F(OutboxTest, FailedDeliveriesAreRetriedWithBackoffUntilAcknowledged) {
  ASSERT_TRUE(Enqueue("m").ok());
  auto receiver = std::make_shared<RecordingReceiver>(/*refuse_first=*/2);
  OutboxRelay relay(*pool_, FastOptions(), nullptr);
  relay.Register("test.topic", receiver);
  EXPECT_EQ(*relay.RunOnce(), 0);
  EXPECT_EQ(*relay.RunOnce(), 0) << "not due yet: backoff must hold the retry";
  EXPECT_EQ(receiver->attempts(), 1);
  auto backlog = relay.Backlog();
  ASSERT_TRUE(backlog.ok());
  EXPECT_EQ(backlog->pending, 1);
  relay.Start();
  for (int i = 0; i < 100 && receiver->received().empty(); ++i)
    absl::SleepFor(absl::Milliseconds(20));
  relay.Stop();
  EXPECT_EQ(receiver->received().size(), 1u);
  EXPECT_EQ(receiver->attempts(), 3);
}

TEST_F(OutboxTest, TwoRelaysNeverDeliverTheSameMessageTwice) {
  constexpr int kMessages = 200;
  for (int i = 0; i < kMessages; ++i) ASSERT_TRUE(Enqueue("m" + std::to_string(i)).ok());
  auto receiver = std::make_shared<RecordingReceiver>();
  OutboxRelay a(*pool_, FastOptions(), nullptr);
  OutboxRelay b(*pool_, FastOptions(), nullptr);
  a.Register("test.topic", receiver);
  b.Register("test.topic", receiver);
  a.Start();
  b.Start();
  for (int i = 0; i < 250 && receiver->received().size() < kMessages; ++i) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  a.Stop();
  b.Stop();
  const auto got = receiver->received();
  EXPECT_EQ(got.size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(std::set<std::string>(got.begin(), got.end()).size(), static_cast<size_t>(kMessages));
}

TEST_F(OutboxTest, BacklogReportsTheAgeOfTheOldestUndeliveredMessage) {
  ASSERT_TRUE(Enqueue("old").ok());
  ASSERT_TRUE(RunInTransaction(*pool_, "age", [](pqxx::work& tx) {
                tx.exec("UPDATE outbox SET created_at = now() - interval '90 seconds'");
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Enqueue("new").ok());
  auto metrics = Metrics::Create("test", "");
  ASSERT_TRUE(metrics.ok());
  auto options = FastOptions();
  options.dead_letter_age = absl::Seconds(60);
  OutboxRelay relay(*pool_, options, metrics->get());
  auto backlog = relay.Backlog();
  ASSERT_TRUE(backlog.ok());
  EXPECT_GE(backlog->oldest_age_seconds, 89.0);
  EXPECT_LT(backlog->oldest_age_seconds, 120.0);
  EXPECT_EQ(backlog->pending, 2);
  EXPECT_EQ(backlog->dead_letters, 1) << "only the 90-second-old message is past 60 s";
}

// A receiver that calls one message invalid (no retry can change that) and takes the rest.
class PickyReceiver final : public OutboxDeliverer {
 public:
  absl::Status Deliver(const OutboxMessage& m) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (m.payload == "poison") return absl::InvalidArgumentError(std::string(1 << 20, 'x'));
    taken_.insert(m.payload);
    return absl::OkStatus();
  }
  std::set<std::string> taken() {
    std::lock_guard<std::mutex> lock(mu_);
    return taken_;
  }

 private:
  std::mutex mu_;
  std::set<std::string> taken_;
};

TEST_F(OutboxTest, AMessageItsReceiverCallsInvalidIsSetAsideAndTheRestFlow) {
  ASSERT_TRUE(Enqueue("poison").ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Enqueue("m" + std::to_string(i)).ok());
  auto receiver = std::make_shared<PickyReceiver>();
  OutboxRelay relay(*pool_, FastOptions(), nullptr);
  relay.Register("test.topic", receiver);
  auto n = relay.RunOnce();
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 5);
  EXPECT_EQ(receiver->taken().size(), 5u);
  EXPECT_EQ(*relay.RunOnce(), 0) << "the set-aside message is not tried again";
  auto backlog = relay.Backlog();
  ASSERT_TRUE(backlog.ok());
  EXPECT_EQ(backlog->pending, 0);
  EXPECT_EQ(backlog->dead_letters, 1) << "a set-aside message counts as a dead letter";
  ASSERT_TRUE(RunInTransaction(*pool_, "check", [](pqxx::work& tx) {
                auto r =
                    tx.exec("SELECT set_aside_reason FROM outbox WHERE set_aside_at IS NOT NULL");
                EXPECT_EQ(r.size(), 1u);
                EXPECT_LT(r[0][0].as<std::string>().size(), 600u) << "a short reason";
                return absl::OkStatus();
              }).ok());
}

}  // namespace
}  // namespace localgov
