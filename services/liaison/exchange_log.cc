// The exchange's signed message log: appending entries, the log writer that logs accepted
// envelopes in batches (setting aside one it cannot log), and verifying and exporting ranges.
// Part of the Exchange use cases (exchange.h); Send and the reads are in exchange.cc.
#include "services/liaison/exchange.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/input_policy.h"
#include "common/logging.h"
#include "common/set_aside.h"
#include "common/text.h"

namespace localgov::liaison {

int64_t Exchange::Log(pqxx::work& tx, const std::string& event, const std::string& envelope_id,
                      const std::string& detail) {
  LogEntry e;
  e.event = event;
  e.envelope_id = envelope_id;
  e.detail = detail;
  return LogAll(tx, {std::move(e)});
}

int64_t Exchange::LogAll(pqxx::work& tx, std::vector<LogEntry> entries,
                         const ExchangeStore::AppendOptions& options) {
  if (entries.empty()) return 0;
  if (!log_key_recorded_.load()) {
    ExchangeStore::RecordLogKey(tx, log_key_.key_id, log_key_.public_key, clock_.Now());
  }
  return ExchangeStore::AppendLogs(tx, std::move(entries), clock_.Now(), log_key_.key_id,
                                   log_key_.secret_key, options);
}

void Exchange::StartLogWriter(absl::Duration lease, Written on_written) {
  writer_.Start([this, lease, on_written = std::move(on_written)] {
    auto batch = WriteLog(lease);
    if (!batch.ok()) {
      spdlog::warn("message log writer: {}", batch.status().message());
      return absl::Seconds(1);
    }
    const int n = static_cast<int>(batch->size());
    if (n > 0 && on_written) on_written(std::move(*batch));
    // Woken by every local Send; the poll finds other replicas' envelopes (and any left by a
    // crash) that their writers have not logged.
    return n >= kLogBatch ? absl::ZeroDuration() : absl::Milliseconds(100);
  });
}

absl::StatusOr<std::vector<StoredEnvelope>> Exchange::WriteLog(absl::Duration lease, int limit) {
  std::vector<StoredEnvelope> written;
  const absl::Status batch = RunInTransaction(db_, "write_message_log", [&](pqxx::work& tx) {
    written = LogUnlogged(tx, lease, limit, "");
    return absl::OkStatus();
  });
  if (batch.ok() || IsTransient(batch)) {
    if (!batch.ok()) return batch;
    return written;
  }
  // The batch failed for a reason that may be one envelope's: log them one by one, and set
  // aside the ones that cannot be logged alone while the others can.
  written.clear();
  auto unlogged = ReadOnly(db_, "unlogged_ids",
                           [&](auto& tx) { return ExchangeStore::UnloggedIds(tx, limit); });
  if (!unlogged.ok()) return unlogged.status();
  std::vector<std::string> ids = std::move(*unlogged);
  auto processed = ProcessOrSetAside<std::string>(
      ids, [&](std::vector<std::string>&) { return batch; },
      [&](std::string& id) {
        std::vector<StoredEnvelope> one;
        auto st = RunInTransaction(db_, "write_message_log_one", [&](pqxx::work& tx) {
          one = LogUnlogged(tx, lease, 1, id);
          return absl::OkStatus();
        });
        if (st.ok()) {
          failures_alone_.Forget(id);
          for (auto& e : one) written.push_back(std::move(e));
        }
        return st;
      },
      [&](std::string& id, const absl::Status& why) {
        return SetAside(id, absl::StrCat("could not be logged: ", why.message()));
      },
      [&](std::string& id) { return failures_alone_.Count(id); });
  if (!processed.ok()) {
    spdlog::warn("message log writer: {}", processed.status().message());
    if (written.empty()) return processed.status();
  }
  return written;
}

absl::Status Exchange::SetAside(const std::string& id, const std::string& reason) {
  const std::string safe = QuotePrefix(reason, 500);
  spdlog::error("envelope {} set aside: {}", id, safe);
  return RunInTransaction(db_, "set_aside_envelope", [&](pqxx::work& tx) -> absl::Status {
    ExchangeStore::SetAside(tx, id, safe);
    Log(tx, "set_aside", id, safe);
    return absl::OkStatus();
  });
}

std::vector<StoredEnvelope> Exchange::LogUnlogged(pqxx::work& tx, absl::Duration lease, int limit,
                                                  const std::string& only_id) {
  // Under the lock, so that two writers never log the same envelope twice.
  ExchangeStore::LockLog(tx);
  ExchangeStore::LogHead head;
  auto unlogged = ExchangeStore::Unlogged(tx, limit, only_id, &head);
  std::vector<StoredEnvelope> pending;
  std::vector<LogEntry> entries;
  std::vector<size_t> accepted_index;
  for (auto& s : unlogged) {
    const auto& env = s.envelope;
    LogEntry e;
    e.event = "accepted";
    e.envelope_id = env.id();
    e.detail = absl::StrCat(v1::EnvelopeType_Name(env.type()), " ", env.sender_agency_code(), " > ",
                            env.receiver_agency_code(), " re ", env.correlation_id(), " sha256 ",
                            env.payload_sha256(), " sig ", HexEncode(env.signature()));
    // Known to be unloggable before any attempt: unreadable, or text that PostgreSQL cannot
    // store (a NUL, broken UTF-8 — accepted before the input policy refused them). Set aside
    // in this transaction; the rest of the batch is logged.
    std::string why = s.unreadable;
    if (why.empty() && (!IsValidUtf8(e.detail) || e.detail.find('\0') != std::string::npos)) {
      why = "a field of the stored envelope is not storable text (a NUL byte or broken UTF-8)";
    }
    if (!why.empty()) {
      spdlog::error("envelope {} set aside: {}", env.id(), why);
      ExchangeStore::SetAside(tx, env.id(), why);
      LogEntry aside;
      aside.event = "set_aside";
      aside.envelope_id = env.id();
      aside.detail = why;
      entries.push_back(std::move(aside));
      continue;
    }
    accepted_index.push_back(entries.size());
    entries.push_back(std::move(e));
    if (s.redirect_chain.size() > 1) {
      LogEntry r;
      r.event = "redirected";
      r.envelope_id = env.id();
      r.detail = absl::StrCat(absl::StrJoin(s.redirect_chain, " > "), " (merged)");
      entries.push_back(std::move(r));
    }
    pending.push_back(std::move(s));
  }
  if (entries.empty()) return {};
  // The entries, and each envelope's log_sequence and lease, in one statement.
  std::vector<std::pair<std::string, size_t>> mark;
  for (size_t i = 0; i < pending.size(); ++i) {
    mark.emplace_back(pending[i].envelope.id(), accepted_index[i]);
  }
  const int64_t first = LogAll(
      tx, std::move(entries),
      ExchangeStore::AppendOptions{.locked = true, .head = &head, .mark = &mark, .lease = lease});
  for (size_t i = 0; i < pending.size(); ++i) {
    pending[i].log_sequence = first + static_cast<int64_t>(accepted_index[i]);
  }
  return pending;
}

absl::StatusOr<LogCheck> Exchange::VerifyLog(int64_t from, int64_t to) {
  Validator v;
  v.Check(from >= 0, "from_sequence", "must be 0 or more");
  v.Check(to >= 0 && (to == 0 || to >= from), "to_sequence", "must be 0 or at least from_sequence");
  if (!v.ok()) return v.status();
  LogCheck check;
  auto st = RunInTransaction(
      db_, "verify_log",
      [&](pqxx::work& tx) -> absl::Status {
        const int64_t first = from == 0 ? 1 : from;
        const int64_t last = to == 0 ? std::numeric_limits<int64_t>::max() : to;
        auto keys = ExchangeStore::LogKeys(tx);
        keys[log_key_.key_id] = log_key_.public_key;  // the key this service holds wins
        const std::string before = ExchangeStore::LogHashAt(tx, first - 1);
        constexpr int64_t kChunk = 10000;
        std::string prev = before;
        for (int64_t start = first; start <= last; start += kChunk) {
          auto entries = ExchangeStore::LogRange(tx, start, std::min(last, start + kChunk - 1));
          if (entries.empty()) break;
          auto c = VerifyLogEntries(entries, keys, prev);
          check.checked += c.checked;
          if (!c.ok) {
            check.ok = false;
            check.first_bad_sequence = c.first_bad_sequence;
            check.problem = c.problem;
            break;
          }
          prev = entries.back().hash;
          if (entries.front().sequence != start) {
            check.ok = false;
            check.first_bad_sequence = start;
            check.problem = "entry missing";
            break;
          }
        }
        return absl::OkStatus();
      },
      TxOptions{.isolation = Isolation::kRepeatableRead, .read_only = true});
  if (!st.ok()) return st;
  return check;
}

absl::StatusOr<Exchange::ExportPage> Exchange::ExportLog(int64_t from, int64_t to) {
  Validator v;
  v.Check(from >= 0, "from_sequence", "must be 0 or more");
  v.Check(to >= 0 && (to == 0 || to >= from), "to_sequence", "0, or at least from_sequence");
  if (!v.ok()) return v.status();
  ExportPage page;
  auto st = RunInTransaction(
      db_, "export_log",
      [&](pqxx::work& tx) -> absl::Status {
        const int64_t first = from == 0 ? 1 : from;
        const int64_t wanted_last = to == 0 ? std::numeric_limits<int64_t>::max() : to;
        const int64_t last = std::min(wanted_last, first + kExportPage - 1);
        auto keys = ExchangeStore::LogKeys(tx);
        keys[log_key_.key_id] = log_key_.public_key;
        page.bundle = BundleHeader(keys) + "\n";
        // One entry past the page tells whether the range goes on.
        auto entries = ExchangeStore::LogRange(tx, first, last < wanted_last ? last + 1 : last);
        page.next_from = 0;
        if (static_cast<int64_t>(entries.size()) > last - first + 1) {
          entries.pop_back();
          page.next_from = last + 1;
        }
        for (const auto& e : entries) absl::StrAppend(&page.bundle, BundleLine(e), "\n");
        return absl::OkStatus();
      },
      TxOptions{.isolation = Isolation::kRepeatableRead, .read_only = true});
  if (!st.ok()) return st;
  return page;
}

}  // namespace localgov::liaison
