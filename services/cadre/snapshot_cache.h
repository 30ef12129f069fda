// A few results computed over a whole agency (the due worklist, the standards report), kept in
// memory for as long as the database is exactly as it was when they were computed (issue 23,
// item 9).
//
// Correctness does not rest on any write path remembering to drop an entry: each result is
// computed in one REPEATABLE READ transaction and kept under that transaction's snapshot
// (`pg_current_snapshot()`: xmin, xmax and the transactions in progress). A later reader gets
// it only when its own transaction's snapshot is the same text — then no transaction has
// committed (nor started writing) in between, so every row it could read is the same. This
// holds across service replicas (any replica's write moves every reader's snapshot on) and on a
// hot standby (the snapshot there names the primary's transactions as replayed). The price: any
// write to the cluster, related or not, makes the next read compute again.
#ifndef LOCALGOV_SERVICES_CADRE_SNAPSHOT_CACHE_H_
#define LOCALGOV_SERVICES_CADRE_SNAPSHOT_CACHE_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "pqxx/pqxx"

namespace localgov::cadre {

// The snapshot of `tx` as text; in a REPEATABLE READ transaction, the one every statement of it
// reads.
inline std::string SnapshotOf(pqxx::transaction_base& tx) {
  return tx.exec("SELECT pg_current_snapshot()::text")[0][0].as<std::string>();
}

template <typename Value>
class SnapshotCache final {
 public:
  // At most `capacity` results, none older than `max_age` (memory, not correctness: an entry is
  // only ever served under the snapshot it was computed in).
  SnapshotCache(size_t capacity, std::chrono::seconds max_age)
      : capacity_(capacity), max_age_(max_age) {}

  std::shared_ptr<const Value> Find(const std::string& key, const std::string& snapshot) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& e : entries_) {
      if (e.key == key && e.snapshot == snapshot && now - e.made < max_age_) {
        e.used = ++tick_;
        return e.value;
      }
    }
    return nullptr;
  }

  void Put(std::string key, std::string snapshot, std::shared_ptr<const Value> value) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(mu_);
    // One entry per key (the newest snapshot), then room by dropping the least recently used.
    std::erase_if(entries_,
                  [&](const Entry& e) { return e.key == key || now - e.made >= max_age_; });
    while (!entries_.empty() && entries_.size() >= capacity_) {
      size_t oldest = 0;
      for (size_t i = 1; i < entries_.size(); ++i) {
        if (entries_[i].used < entries_[oldest].used) oldest = i;
      }
      entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(oldest));
    }
    entries_.push_back({std::move(key), std::move(snapshot), std::move(value), now, ++tick_});
  }

  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    entries_.clear();
  }

 private:
  struct Entry {
    std::string key, snapshot;
    std::shared_ptr<const Value> value;
    std::chrono::steady_clock::time_point made;
    uint64_t used = 0;
  };
  const size_t capacity_;
  const std::chrono::seconds max_age_;
  std::mutex mu_;
  std::vector<Entry> entries_ ABSL_GUARDED_BY(mu_);
  uint64_t tick_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_SNAPSHOT_CACHE_H_
