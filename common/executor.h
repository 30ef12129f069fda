#ifndef LOCALGOV_COMMON_EXECUTOR_H_
#define LOCALGOV_COMMON_EXECUTOR_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"

namespace localgov {

// A fixed set of worker threads fed by a bounded queue. RPC handlers run here, never on gRPC's
// callback threads, because they block on PostgreSQL and Redis. A full queue refuses new work
// at once (the caller answers RESOURCE_EXHAUSTED) instead of letting latency grow without
// bound. Stop() runs what is queued, then joins.
//
// Tasks may name a lane (RpcRunner: the RPC method). One lane never takes all the threads or
// the whole queue: at most 3/4 of each (at least one), so that when one method's calls hang
// (a table locked in PostgreSQL: every intake waits for it until statement_timeout) the other
// methods still find a thread and room in the queue (tests/overload/). A queued task whose
// lane is at its thread limit waits, and tasks of other lanes behind it pass it.
class BoundedExecutor final {
 public:
  BoundedExecutor(int threads, size_t max_queued);
  ~BoundedExecutor();
  BoundedExecutor(const BoundedExecutor&) = delete;
  BoundedExecutor& operator=(const BoundedExecutor&) = delete;

  // False when the queue (or the lane's share of it) is full or the executor stopped; `task`
  // is then not run. An empty lane has no limit but the queue's.
  bool TrySubmit(std::function<void()> task, std::string_view lane = {});
  void Stop();
  size_t queued() const;
  size_t lane_threads() const { return lane_threads_; }
  size_t lane_queued() const { return lane_queued_; }

 private:
  struct Task {
    std::function<void()> run;
    std::string lane;
  };
  struct Lane {
    size_t running = 0;
    size_t queued = 0;
  };
  void Work();
  // The first queued task whose lane has a thread to spare; queue_.end() if none.
  std::deque<Task>::iterator Runnable() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t max_queued_;
  const size_t lane_threads_;
  const size_t lane_queued_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Lane, std::less<>> lanes_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_EXECUTOR_H_
