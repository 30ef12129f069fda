#include "common/feed.h"

#include <algorithm>

#include "common/logging.h"
#include "spdlog/spdlog.h"

namespace localgov {

FeedWatermark::FeedWatermark(Reader reader, absl::Duration interval)
    : reader_(std::move(reader)), interval_(interval) {}

FeedWatermark::~FeedWatermark() { Stop(); }

void FeedWatermark::Start() {
  if (auto first = reader_(); first.ok()) latest_ = *first;
  thread_.Start([this] { return Pass(); });
}

void FeedWatermark::Stop() { thread_.Stop(); }

void FeedWatermark::Raise(int64_t sequence) {
  int64_t current = latest_.load();
  while (sequence > current && !latest_.compare_exchange_weak(current, sequence)) {
  }
}

void FeedWatermark::Bump(int64_t sequence) {
  Raise(sequence);
  thread_.Wake();
}

void FeedWatermark::Register(std::weak_ptr<FeedWaiter> waiter) {
  std::lock_guard lock(mu_);
  waiters_.push_back(std::move(waiter));
}

size_t FeedWatermark::WakeAll() {
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
  return alive.size();
}

absl::Duration FeedWatermark::Pass() {
  // Polls at least every interval while streams wait, even while local bumps keep waking it
  // (they do not show other replicas' commits); with no stream waiting it does not poll.
  const absl::Time now = absl::Now();
  if (now - last_poll_ >= interval_) {
    last_poll_ = now;
    if (waiting_ > 0) {
      if (auto read = reader_(); read.ok()) {
        Raise(*read);
      } else {
        spdlog::warn("feed watermark not read: {}", read.status().message());
      }
    }
  }
  waiting_ = WakeAll();
  return std::max(absl::Milliseconds(1), last_poll_ + interval_ - absl::Now());
}

}  // namespace localgov
