#ifndef LOCALGOV_COMMON_EXECUTOR_H_
#define LOCALGOV_COMMON_EXECUTOR_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"

namespace localgov {

// A fixed set of worker threads fed by a bounded queue. RPC handlers run here, never on gRPC's
// callback threads, because they block on PostgreSQL and Redis. A full queue refuses new work
// at once (the caller answers RESOURCE_EXHAUSTED) instead of letting latency grow without
// bound. Stop() runs what is queued, then joins.
class BoundedExecutor final {
 public:
  BoundedExecutor(int threads, size_t max_queued);
  ~BoundedExecutor();
  BoundedExecutor(const BoundedExecutor&) = delete;
  BoundedExecutor& operator=(const BoundedExecutor&) = delete;

  // False when the queue is full or the executor stopped; `task` is then not run.
  bool TrySubmit(std::function<void()> task);
  void Stop();
  size_t queued() const;

 private:
  void Work();

  const size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_EXECUTOR_H_
