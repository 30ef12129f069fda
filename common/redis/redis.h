#ifndef LOCALGOV_COMMON_REDIS_REDIS_H_
#define LOCALGOV_COMMON_REDIS_REDIS_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

struct redisContext;

namespace localgov {

// A Redis reply, copied out of hiredis.
struct RedisReply {
  enum class Type { kNil, kString, kInteger, kArray, kStatus };
  Type type = Type::kNil;
  std::string str;
  int64_t integer = 0;
  std::vector<RedisReply> elements;
};

// A bounded pool of hiredis connections with connect and command timeouts. Redis only speeds
// things up: when it is down or slow, Command returns UNAVAILABLE within the timeout, and for
// `retry_after` after a failure it returns UNAVAILABLE at once (no connect attempt), so a
// caller degrades to PostgreSQL without a hang. A broken connection is replaced on next use.
class RedisPool final {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 6379;
    int size = 8;
    absl::Duration timeout = absl::Milliseconds(200);
    absl::Duration retry_after = absl::Seconds(1);
  };

  static absl::StatusOr<std::unique_ptr<RedisPool>> Create(Options options);
  ~RedisPool();

  // Runs one command, e.g. {"SET", key, value, "EX", "60"}. A Redis error reply is
  // FAILED_PRECONDITION; unreachable or slow Redis is UNAVAILABLE.
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& argv);
  // Several commands in one round trip; each reply (or Redis error) in order. UNAVAILABLE as a
  // whole when Redis cannot be reached.
  absl::StatusOr<std::vector<absl::StatusOr<RedisReply>>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);
  // PING; false when Redis cannot be reached now.
  bool Ping();
  const Options& options() const { return options_; }
  // Whether the last command reached Redis.
  bool healthy() const { return healthy_.load(); }

 private:
  explicit RedisPool(Options options) : options_(std::move(options)) {}
  absl::StatusOr<redisContext*> Take();
  void Give(redisContext* ctx, bool broken);

  const Options options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<redisContext*> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time down_until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::atomic<bool> healthy_{true};
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_REDIS_REDIS_H_
