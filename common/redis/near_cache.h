#ifndef LOCALGOV_COMMON_REDIS_NEAR_CACHE_H_
#define LOCALGOV_COMMON_REDIS_NEAR_CACHE_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "common/clock.h"

struct redisContext;

namespace localgov {

// A copy in this process of Redis values that are read far more often than they change, kept
// exact by Redis itself: server-assisted client-side caching (CLIENT TRACKING in broadcast
// mode, Redis ≥ 6). Redis sends us the name of every key under the tracked prefixes that
// anyone changes, deletes or lets expire, and we drop our copy when it arrives (normally well
// under a millisecond after the change). Values are taken only from replies of Redis itself
// (see Begin/Put), never from what a caller computed.
//
// Safety nets: while the invalidation connection is down nothing is served or kept (the cache
// is emptied when it drops and again when it is back); a copy is served for at most `max_age`
// even if an invalidation were lost on a silently broken connection; at most `max_entries`
// keys are kept.
class RedisNearCache final {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::vector<std::string> prefixes;  // keys to track; none or an empty one: never armed
    absl::Duration max_age = absl::Seconds(1);
    size_t max_entries = 10000;
    absl::Duration retry_after = absl::Seconds(1);  // between attempts to reconnect
    // Told when invalidations start or stop arriving (for a metric); on the listener thread.
    std::function<void(bool)> on_armed;
  };
  // A Redis value as read: nullopt for a key that does not exist.
  using Value = std::optional<std::string>;
  // Handed out by Begin: which slots a read may fill.
  struct Ticket {
    std::vector<std::pair<std::string, uint64_t>> slots;
  };

  // Starts the invalidation listener; it connects in the background and retries until stopped.
  RedisNearCache(Options options, const Clock& clock);
  ~RedisNearCache();
  RedisNearCache(const RedisNearCache&) = delete;
  RedisNearCache& operator=(const RedisNearCache&) = delete;

  // The copy of `key`, if one is held and fresh; nullopt means "ask Redis".
  std::optional<Value> Get(const std::string& key);
  // Call before sending the read of `keys` to Redis, then Put what it answered. A key changed
  // after Begin is invalidated after Begin, which voids the ticket's slot for it: a reply
  // that may predate the change is then not kept.
  Ticket Begin(const std::vector<std::string>& keys);
  void Put(const Ticket& ticket, const std::string& key, Value value);

  // Forgets the copies of `keys` at once: for a process that has just changed them in Redis
  // itself, so that its next read sees its own change without waiting for Redis's message.
  void Drop(const std::vector<std::string>& keys) { Invalidate(keys); }

  // Whether invalidations are being received now (copies are served only then).
  bool armed() const { return armed_.load(); }
  // Keys held or being read (for tests and metrics).
  size_t size() {
    std::lock_guard<std::mutex> lock(mu_);
    return slots_.size();
  }
  // Invalidation messages received and applied so far (for tests and metrics).
  uint64_t invalidations() const { return invalidations_.load(); }

 private:
  struct Slot {
    uint64_t generation = 0;
    bool filled = false;
    Value value;
    absl::Time stored;
  };

  void Listen();
  // One connection's life: subscribe, then apply invalidations until it fails or the cache is
  // destroyed. Whether it got as far as subscribing.
  bool ListenOnce();
  void Invalidate(const std::vector<std::string>& keys);
  void Clear();

  const Options options_;
  const Clock& clock_;
  std::atomic<bool> armed_{false};
  std::atomic<uint64_t> invalidations_{0};

  std::mutex mu_;
  absl::flat_hash_map<std::string, Slot> slots_ ABSL_GUARDED_BY(mu_);
  uint64_t next_generation_ ABSL_GUARDED_BY(mu_) = 1;

  std::mutex conn_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ ABSL_GUARDED_BY(conn_mu_) = false;
  redisContext* conn_ ABSL_GUARDED_BY(conn_mu_) = nullptr;
  std::thread listener_;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_REDIS_NEAR_CACHE_H_
