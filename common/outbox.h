#ifndef LOCALGOV_COMMON_OUTBOX_H_
#define LOCALGOV_COMMON_OUTBOX_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db/pool.h"
#include "common/metrics.h"
#include "common/periodic.h"
#include "pqxx/pqxx"

namespace localgov {

struct OutboxMessage {
  int64_t id = 0;
  std::string message_id;  // receivers deduplicate on it
  std::string topic;
  std::string key;
  std::string payload;
  std::string content_type;
  int attempts = 0;  // failed attempts so far
};

// Writes a message in the caller's transaction; it is delivered only if that transaction
// commits. Returns the message id.
std::string EnqueueOutbox(pqxx::work& tx, const std::string& topic, const std::string& key,
                          const std::string& payload, const std::string& content_type);

// Delivers messages of one topic to their receiver. OK means the receiver acknowledged;
// INVALID_ARGUMENT or DATA_LOSS mean no retry can succeed (the message is set aside with the
// reason: a dead letter in the metrics, out of the queue's way); any other status schedules a
// retry.
class OutboxDeliverer {
 public:
  virtual ~OutboxDeliverer() = default;
  virtual absl::Status Deliver(const OutboxMessage& message) = 0;
};

// Exponential backoff with jitter: min(max, base * 2^(attempts-1)) scaled by a factor in
// [0.5, 1.0] taken from `jitter01` (a uniform draw in [0, 1)).
absl::Duration OutboxBackoff(int attempts, absl::Duration base, absl::Duration max,
                             double jitter01);

// Relays undelivered messages to their deliverers: claims a batch with FOR UPDATE SKIP LOCKED
// (several replicas never deliver the same message at once), delivers, and marks each message
// delivered or schedules its retry, in the claiming transaction. A crash between delivery and
// commit delivers again: at-least-once, made exactly-once by the receiver's deduplication.
class OutboxRelay final {
 public:
  struct Options {
    absl::Duration poll_interval = absl::Milliseconds(500);
    int batch_size = 32;
    absl::Duration base_backoff = absl::Seconds(1);
    absl::Duration max_backoff = absl::Minutes(10);
    // A message still undelivered after this long counts as a dead letter (metric and
    // alert); the relay keeps trying it.
    absl::Duration dead_letter_age = absl::Hours(24);
  };

  OutboxRelay(PgPool& pool, Options options, Metrics* metrics);
  ~OutboxRelay();

  void Register(const std::string& topic, std::shared_ptr<OutboxDeliverer> deliverer);
  void Start();
  void Stop();
  // One pass: delivers what is due now; returns how many were delivered.
  absl::StatusOr<int> RunOnce();
  struct BacklogFigures {
    double oldest_age_seconds = 0;  // of the oldest undelivered message, any topic
    int64_t pending = 0;
    // undelivered for longer than Options::dead_letter_age, or set aside
    int64_t dead_letters = 0;
  };
  // The backlog now; updates the metrics.
  absl::StatusOr<BacklogFigures> Backlog();

 private:
  absl::Duration Pass();

  PgPool& pool_;
  const Options options_;
  Metrics* metrics_;
  std::map<std::string, std::shared_ptr<OutboxDeliverer>> deliverers_;
  PeriodicThread thread_;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_OUTBOX_H_
