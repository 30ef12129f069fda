#ifndef LOCALGOV_COMMON_SET_ASIDE_H_
#define LOCALGOV_COMMON_SET_ASIDE_H_

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace localgov {

// Whether a failure may pass by itself (retry later) rather than belong to the record.
inline bool IsTransient(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kCancelled:
      return true;
    default:
      return false;
  }
}

// The pattern every queue worker follows so that one record it cannot process never stops
// the records behind it (the message-log writer, the delivery worker, …):
//  - `all` processes the whole batch in one transaction (the fast path);
//  - if that fails for a reason that is not transient, `one` processes each record alone;
//  - the records that failed alone are handed to `set_aside` with their failure (it records
//    the record as set aside, with its reason, in a transaction of its own: visible, counted,
//    requeueable) — but only if some other record of the batch went through alone, which
//    shows the fault is the record's and not the worker's (a broken table, a bug, a full disk
//    would otherwise set aside everything), or if it failed alone FailuresAlone::kLimit times
//    in a row. A record known to be bad before any attempt
//    (it cannot even be read) is the caller's to set aside directly.
// Returns how many records were processed; a transient failure, a failing `set_aside`, or a
// batch in which nothing went through return that error, leaving the rest for the next pass.
// `failed_alone_too_often(item)`, when given, counts a failure of a record alone in a batch in
// which nothing went through; true sets it aside all the same (a lone bad record must not be
// retried for ever — see FailuresAlone).
template <typename Item>
absl::StatusOr<size_t> ProcessOrSetAside(
    std::vector<Item>& items, absl::FunctionRef<absl::Status(std::vector<Item>&)> all,
    absl::FunctionRef<absl::Status(Item&)> one,
    absl::FunctionRef<absl::Status(Item&, const absl::Status&)> set_aside,
    const std::function<bool(Item&)>& failed_alone_too_often = nullptr) {
  if (items.empty()) return size_t{0};
  absl::Status st = all(items);
  if (st.ok()) return items.size();
  if (IsTransient(st)) return st;
  size_t processed = 0;
  std::vector<std::pair<Item*, absl::Status>> failed;
  for (Item& item : items) {
    absl::Status alone = one(item);
    if (alone.ok()) {
      ++processed;
    } else if (IsTransient(alone)) {
      return alone;
    } else {
      failed.emplace_back(&item, std::move(alone));
    }
  }
  if (processed == 0) {
    if (failed.empty()) return st;
    bool any = false;
    for (auto& [item, why] : failed) {
      if (!failed_alone_too_often || !failed_alone_too_often(*item)) continue;
      if (auto recorded = set_aside(*item, why); !recorded.ok()) return recorded;
      any = true;
    }
    if (!any) return failed.front().second;
    return processed;
  }
  for (auto& [item, why] : failed) {
    if (auto recorded = set_aside(*item, why); !recorded.ok()) return recorded;
  }
  return processed;
}

// Failures of records that failed with nothing else of their batch going through, counted in
// a row per record id: after kLimit the record is taken to be at fault (the worker's own fault
// would fail every record, and others would not have gone through before).
class FailuresAlone final {
 public:
  static constexpr int kLimit = 5;
  // One more failure of `id`; true when it has failed kLimit times in a row.
  bool Count(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    if (++counts_[id] < kLimit) return false;
    counts_.erase(id);
    return true;
  }
  void Forget(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    counts_.erase(id);
  }

 private:
  std::mutex mu_;
  std::map<std::string, int> counts_;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_SET_ASIDE_H_
