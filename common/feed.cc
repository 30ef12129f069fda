#include "common/feed.h"

#include <chrono>

#include "common/logging.h"
#include "spdlog/spdlog.h"

namespace localgov {

FeedWatermark::FeedWatermark(Reader reader, absl::Duration interval)
    : reader_(std::move(reader)), interval_(interval) {}

FeedWatermark::~FeedWatermark() { Stop(); }

void FeedWatermark::Start() {
  if (auto first = reader_(); first.ok()) latest_ = *first;
  thread_ = std::thread([this] { Loop(); });
}

void FeedWatermark::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void FeedWatermark::Bump(int64_t sequence) {
  int64_t current = latest_.load();
  while (sequence > current && !latest_.compare_exchange_weak(current, sequence)) {
  }
  {
    std::lock_guard lock(mu_);
    bumped_ = true;
  }
  cv_.notify_all();
}

void FeedWatermark::Register(std::weak_ptr<FeedWaiter> waiter) {
  std::lock_guard lock(mu_);
  waiters_.push_back(std::move(waiter));
}

size_t FeedWatermark::waiters() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& w : waiters_) n += w.expired() ? 0 : 1;
  return n;
}

void FeedWatermark::WakeAll() {
  std::vector<std::shared_ptr<FeedWaiter>> alive;
  {
    std::lock_guard lock(mu_);
    std::erase_if(waiters_, [](const std::weak_ptr<FeedWaiter>& w) { return w.expired(); });
    for (const auto& w : waiters_) {
      if (auto s = w.lock()) alive.push_back(std::move(s));
    }
  }
  const int64_t latest = latest_.load();
  for (const auto& w : alive) w->Wake(latest);  // outside mu_: Wake takes the waiter's lock
}

void FeedWatermark::Loop() {
  // Polls at least every interval, even while local bumps keep waking it (they do not show
  // other replicas' commits).
  auto last_poll = std::chrono::steady_clock::now();
  const auto interval = absl::ToChronoMilliseconds(interval_);
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_until(lock, last_poll + interval, [this] { return stop_ || bumped_; });
    if (stop_) break;
    bumped_ = false;
    lock.unlock();
    if (std::chrono::steady_clock::now() >= last_poll + interval) {
      last_poll = std::chrono::steady_clock::now();
      auto read = reader_();
      if (read.ok()) {
        int64_t current = latest_.load();
        while (*read > current && !latest_.compare_exchange_weak(current, *read)) {
        }
      } else {
        spdlog::warn("feed watermark not read: {}", read.status().message());
      }
    }
    WakeAll();
    lock.lock();
  }
}

}  // namespace localgov
