#include "common/executor.h"

#include <algorithm>
#include <utility>

namespace localgov {
namespace {

size_t ThreeQuarters(size_t n) { return std::max<size_t>(1, n - n / 4); }

}  // namespace

BoundedExecutor::BoundedExecutor(int threads, size_t max_queued)
    : max_queued_(max_queued),
      lane_threads_(ThreeQuarters(static_cast<size_t>(std::max(threads, 1)))),
      lane_queued_(ThreeQuarters(max_queued)) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

BoundedExecutor::~BoundedExecutor() { Stop(); }

bool BoundedExecutor::TrySubmit(std::function<void()> task, std::string_view lane) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    if (!lane.empty()) {
      auto it = lanes_.find(lane);
      if (it == lanes_.end()) it = lanes_.emplace(std::string(lane), Lane{}).first;
      if (it->second.queued >= lane_queued_) return false;
      ++it->second.queued;
    }
    queue_.push_back(Task{std::move(task), std::string(lane)});
  }
  cv_.notify_one();
  return true;
}

void BoundedExecutor::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

size_t BoundedExecutor::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

std::deque<BoundedExecutor::Task>::iterator BoundedExecutor::Runnable() {
  // Queued tasks come in runs of one lane (a method at its limit fills the queue): its limit
  // is looked up once per run, not once per task.
  const std::string* lane = nullptr;
  bool full = false;
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (it->lane.empty()) return it;
    if (lane == nullptr || it->lane != *lane) {
      lane = &it->lane;
      auto l = lanes_.find(it->lane);
      full = l != lanes_.end() && l->second.running >= lane_threads_;
    }
    if (!full) return it;
  }
  return queue_.end();
}

void BoundedExecutor::Work() {
  while (true) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto next = queue_.end();
      cv_.wait(lock, [&] {
        next = Runnable();
        return next != queue_.end() || (stopping_ && queue_.empty());
      });
      if (next == queue_.end()) return;  // stopping and drained
      task = std::move(*next);
      queue_.erase(next);
      if (!task.lane.empty()) {
        auto& lane = lanes_[task.lane];
        --lane.queued;
        ++lane.running;
      }
      // Stopping: the threads waiting for a task of a lane at its limit exit once the queue is
      // empty, and nothing else would wake them.
      if (stopping_ && queue_.empty()) cv_.notify_all();
    }
    task.run();
    if (task.lane.empty()) continue;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = lanes_.find(task.lane);
    if (--it->second.running == 0 && it->second.queued == 0) lanes_.erase(it);
    // No one to wake: the thread freed here is the lane's, and this thread looks for the next
    // task before it waits again.
  }
}

}  // namespace localgov
