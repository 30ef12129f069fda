#include "common/periodic.h"

namespace localgov {

void PeriodicThread::Start(std::function<absl::Duration()> pass) {
  thread_ = std::thread([this, pass = std::move(pass)] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      woken_ = false;
      lock.unlock();
      const absl::Duration wait = pass();
      lock.lock();
      if (wait > absl::ZeroDuration()) {
        cv_.wait_for(lock, absl::ToChronoNanoseconds(wait), [this] { return stop_ || woken_; });
      }
    }
  });
}

void PeriodicThread::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void PeriodicThread::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace localgov
