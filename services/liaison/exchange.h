#ifndef LOCALGOV_SERVICES_LIAISON_EXCHANGE_H_
#define LOCALGOV_SERVICES_LIAISON_EXCHANGE_H_

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/clock.h"
#include "common/db/pool.h"
#include "common/envelope.h"
#include "common/periodic.h"
#include "common/rpc.h"
#include "common/set_aside.h"
#include "common/signed_log.h"
#include "localgov/liaison/v1/liaison_service.pb.h"
#include "services/liaison/directory.h"
#include "services/liaison/exchange_store.h"

namespace localgov::liaison {

// The exchange's use cases (DOMAIN.md §5): accept signed envelopes, keep their delivery
// history, and the signed message log. No gRPC, all SQL in ExchangeStore.
class Exchange final {
 public:
  // Envelopes larger than this are refused (payloads are references and small documents).
  static constexpr size_t kMaxPayloadBytes = 1 << 20;

  // Records the log key's public half once, at start (Log does it while that failed).
  // Send checks envelopes against `directory`'s in-memory view.
  Exchange(PgPool& db, const Clock& clock, Directory& directory, SigningKey log_key);

  struct Accepted {
    std::string envelope_id;
    std::string delivered_to;
    int state = 1;
    int64_t log_sequence = 0;
  };
  // Checks the envelope's fields, the caller's right to send for the sender, the access
  // right, the signature (a sender key valid at create_time) and, for results, the envelope
  // answered; resolves a merged receiver to its successor; stores the envelope, durably,
  // and wakes the log writer, which logs it in its next batch. Idempotent on envelope id.
  // `acknowledge_by`: the sender's deadline for the receiver's acknowledgement, if any.
  absl::StatusOr<Accepted> Send(const CallContext& call, const v1::Envelope& envelope,
                                absl::Time acknowledge_by = absl::InfiniteFuture());

  absl::StatusOr<v1::EnvelopeRecord> Get(const CallContext& call, const std::string& id);
  struct Page {
    std::vector<v1::EnvelopeRecord> records;
    std::string next_page_token;
  };
  absl::StatusOr<Page> List(const CallContext& call, const v1::ListEnvelopesRequest& request);
  absl::StatusOr<v1::EnvelopeRecord> Requeue(const CallContext& call, const std::string& id);
  // Before an attempt (DOMAIN.md §0): an envelope whose receiver has merged since it was
  // routed goes to the successor now, checked as Send checks a receiver. The redirections are
  // recorded and logged in one transaction, then applied to `batch` (receiver, chain and
  // endpoint). Returns, for each envelope, why it cannot be delivered now ("" when it can):
  // the successor refuses it (no access right, no endpoint, dissolved), so the old agency is
  // not tried either. `directory_version`: the view to check against, at least this new.
  absl::StatusOr<std::vector<std::string>> FollowMergers(int64_t directory_version,
                                                         std::vector<StoredEnvelope>& batch);
  absl::StatusOr<LogCheck> VerifyLog(int64_t from, int64_t to);
  // One page of a range of the log as a bundle, at most kExportPage entries; next_from is
  // where the range goes on (0 when done).
  static constexpr int64_t kExportPage = 5000;
  struct ExportPage {
    std::string bundle;
    int64_t next_from = 0;
  };
  absl::StatusOr<ExportPage> ExportLog(int64_t from, int64_t to);

  // Appends to the message log in the caller's transaction (the delivery worker uses it).
  int64_t Log(pqxx::work& tx, const std::string& event, const std::string& envelope_id,
              const std::string& detail);
  // Several entries (event, envelope_id and detail set) in one statement, in order; returns
  // the first one's sequence. `options`: what the caller did already under the log's lock,
  // and the envelopes to mark logged by the same statement (ExchangeStore::AppendLogs).
  int64_t LogAll(pqxx::work& tx, std::vector<LogEntry> entries,
                 const ExchangeStore::AppendOptions& options = {});
  const SigningKey& log_key() const { return log_key_; }

  // The log writer: appends "accepted" (and "redirected") entries for envelopes Send stored,
  // in batches under the log's lock, so Send itself never waits on that lock (one writer per
  // replica; replicas take turns through the lock). `on_written` runs after a batch commits
  // (the delivery worker is woken: an envelope is delivered only once logged).
  // The batch, leased for `lease`, goes to `on_written` once committed.
  using Written = std::function<void(std::vector<StoredEnvelope>)>;
  void StartLogWriter(absl::Duration lease, Written on_written);
  void StopLogWriter() { writer_.Stop(); }
  // One batch, in the caller's thread: the envelopes logged (and leased for `lease`).
  absl::StatusOr<std::vector<StoredEnvelope>> WriteLog(absl::Duration lease, int limit = kLogBatch);
  static constexpr int kLogBatch = 500;
  // Sets an envelope a worker cannot process aside (a dead letter with `reason`, logged), in a
  // transaction of its own.
  absl::Status SetAside(const std::string& id, const std::string& reason);

 private:
  struct Routed {
    std::string receiver;            // the agency it goes to (a merged addressee's successor)
    std::vector<std::string> chain;  // codes followed, when redirected
    std::string endpoint;            // the receiver's
  };
  // Checks `env` against the directory and finds its receiver on `day` (mergers in force):
  // sender, key valid at create_time, signature, then RouteTo the addressee.
  static absl::StatusOr<Routed> Route(const DirectoryView& directory, const v1::Envelope& env,
                                      absl::CivilDay day);
  // The receiver's checks: `code` followed through the mergers in force on `day`, not
  // dissolved, has an endpoint, and the sender holds the access right to it.
  static absl::StatusOr<Routed> RouteTo(const DirectoryView& directory, const v1::Envelope& env,
                                        const std::string& code, absl::CivilDay day);

  // Logs up to `limit` unlogged envelopes (only `only_id` when not empty) in `tx`, setting
  // aside those that cannot be; returns the ones logged, leased for `lease`.
  std::vector<StoredEnvelope> LogUnlogged(pqxx::work& tx, absl::Duration lease, int limit,
                                          const std::string& only_id);

  PgPool& db_;
  const Clock& clock_;
  Directory& directory_;
  const SigningKey log_key_;
  std::atomic<bool> log_key_recorded_{false};
  FailuresAlone failures_alone_;  // of envelopes the log writer could not log
  PeriodicThread writer_;
};

// The record as of `now` (acknowledged_late counts an unanswered envelope past its deadline).
v1::EnvelopeRecord ToRecord(const StoredEnvelope& e, absl::Time now);

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_EXCHANGE_H_
