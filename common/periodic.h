#ifndef LOCALGOV_COMMON_PERIODIC_H_
#define LOCALGOV_COMMON_PERIODIC_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/time/time.h"

namespace localgov {

// The background loop of the outbox relay, the exchange's delivery worker, the feed watermark
// and the gauges: a thread that runs `pass` again and again, waiting after each pass for the
// duration it returns, or until Wake() or Stop(). Stop() waits for a running pass to end.
class PeriodicThread final {
 public:
  PeriodicThread() = default;
  ~PeriodicThread() { Stop(); }
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  void Start(std::function<absl::Duration()> pass);
  // Ends the current wait at once (the next pass runs now).
  void Wake();
  void Stop();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_PERIODIC_H_
