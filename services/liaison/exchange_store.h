#ifndef LOCALGOV_SERVICES_LIAISON_EXCHANGE_STORE_H_
#define LOCALGOV_SERVICES_LIAISON_EXCHANGE_STORE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/signed_log.h"
#include "localgov/liaison/v1/liaison_service.pb.h"
#include "pqxx/pqxx"

namespace localgov::liaison {

// An envelope as the exchange keeps it.
struct StoredEnvelope {
  v1::Envelope envelope;
  std::string digest;
  std::string delivered_to;
  std::vector<std::string> redirect_chain;
  int state = 1;  // DeliveryState
  int ack_code = 0;
  std::string ack_reason;
  std::string receiver_ref;
  int attempts = 0;
  absl::Time accepted_at;
  absl::Time ack_at = absl::InfinitePast();
  std::string endpoint;      // the receiver's, when claimed for delivery
  int64_t log_sequence = 0;  // its "accepted" log entry; 0 until the log writer has written it
  // The sender's deadline for the receiver's acknowledgement (SendRequest.acknowledge_by).
  absl::Time acknowledge_by = absl::InfiniteFuture();
  // Why the stored envelope cannot be read ("" when it can): then `envelope` holds only its id.
  std::string unreadable;
};

struct EnvelopeFilter {
  std::string sender, receiver;
  std::vector<int> states;
  int type = 0;
  absl::Time after = absl::InfinitePast(), before = absl::InfiniteFuture();
  absl::Time cursor_at = absl::InfiniteFuture();  // keyset: (accepted_at, id) strictly before
  std::string cursor_id;
  int limit = 21;
};

// The last entry of the log as a statement read it under the log's lock.
struct LogHeadRead {
  bool known = false;
  int64_t sequence = 0;  // 0: the log is empty
  std::string hash;
};
struct LogAppendOptions {
  bool locked = false;                // the caller took the log's lock (LockLog) in this tx
  const LogHeadRead* head = nullptr;  // read under that lock in this tx; else read here
  // Envelopes whose "accepted" entry is entries[index]: their log_sequence set and leased
  // for `lease` by the same statement (the log writer's batch).
  const std::vector<std::pair<std::string, size_t>>* mark = nullptr;
  absl::Duration lease;
};
// All SQL of envelopes, deliveries and the message log; in the caller's transaction.
class ExchangeStore final {
 public:
  using LogHead = LogHeadRead;
  using AppendOptions = LogAppendOptions;
  static void InsertEnvelope(pqxx::work& tx, const StoredEnvelope& e, absl::Time next_attempt);
  static std::optional<StoredEnvelope> Find(pqxx::transaction_base& tx, const std::string& id);
  static std::vector<v1::DeliveryAttempt> Attempts(pqxx::transaction_base& tx,
                                                   const std::string& id);
  static std::vector<StoredEnvelope> List(pqxx::transaction_base& tx, const EnvelopeFilter& f);

  // Leases up to `limit` pending envelopes due now for `lease` (SKIP LOCKED: replicas never
  // deliver the same envelope at once), with their receivers' endpoints.
  static std::vector<StoredEnvelope> Claim(pqxx::work& tx, int limit, absl::Duration lease);
  // What one delivery attempt came to.
  struct Outcome {
    std::string id;
    int attempt = 0;   // its number, from 1
    int ack_code = 0;  // the receiver's answer, 0 if none
    std::string error;
    int state = 1;  // DeliveryState after it: pending (rescheduled), acknowledged, refused, dead
    std::string reason;
    std::string receiver_ref;
    absl::Time next_attempt_at;  // when pending
  };
  // Records a batch of attempts and their envelopes' new states in one statement.
  static void RecordOutcomes(pqxx::work& tx, const std::vector<Outcome>& outcomes, absl::Time at);
  static void Requeue(pqxx::work& tx, const std::string& id, absl::Time now);
  // The envelope goes to `delivered_to` now, the way there being `chain`.
  static void Redirect(pqxx::work& tx, const std::string& id, const std::string& delivered_to,
                       const std::vector<std::string>& chain);
  // What Send needs in one round trip: the directory's version, the envelope if `id` exists
  // (a retry), and the envelope `in_reply_to` answers (if any).
  struct SendContext {
    int64_t directory_version = 0;
    std::optional<StoredEnvelope> existing;
    std::optional<StoredEnvelope> original;
  };
  // Inserts the envelope if its id is new and the directory is still at `directory_version`
  // (one statement); false otherwise.
  static bool InsertEnvelopeAt(pqxx::transaction_base& tx, const StoredEnvelope& e,
                               absl::Time next_attempt, int64_t directory_version);
  // The envelope a result or a cancellation answers, as InsertReplyAt requires it: its id,
  // its type (0: any), its sender among `senders` and its receiver among `receivers`.
  struct Answered {
    std::string id;
    int type = 0;
    std::vector<std::string> senders, receivers;
  };
  // Inserts the envelope if its id is new, the directory is still at `directory_version` and
  // the envelope answered is as `answered` says (one statement); false otherwise.
  static bool InsertReplyAt(pqxx::transaction_base& tx, const StoredEnvelope& e,
                            absl::Time next_attempt, int64_t directory_version,
                            const Answered& answered);
  static SendContext ForSend(pqxx::transaction_base& tx, const std::string& id,
                             const std::string& in_reply_to);
  // Accepted envelopes the log writer has not written yet (and has not set aside), oldest
  // first, with their receivers' endpoints; only envelope `only_id` when it is not empty.
  // With `head` (and at least one envelope), the log's last entry as of this statement too.
  static std::vector<StoredEnvelope> Unlogged(pqxx::transaction_base& tx, int limit,
                                              const std::string& only_id = "",
                                              LogHead* head = nullptr);
  // Their ids alone (what the log writer retries one by one after a failed batch).
  static std::vector<std::string> UnloggedIds(pqxx::transaction_base& tx, int limit);
  // Sets an envelope a worker cannot process aside: a dead letter with `reason`, out of every
  // worker's way until Requeue (DeliveryState DEAD_LETTER; the gauge and alert count it).
  static void SetAside(pqxx::work& tx, const std::string& id, const std::string& reason);
  // Sets each envelope's log_sequence and leases it for `lease` (the writer hands the batch
  // straight to this replica's delivery worker), in one statement.
  static void MarkLogged(pqxx::work& tx,
                         const std::vector<std::pair<std::string, int64_t>>& sequences,
                         absl::Duration lease);
  // What the delivery gauges show, each read from a partial index.
  struct DeliveryCounts {
    int64_t pending = 0;
    int64_t dead_letters = 0;
    int64_t overdue = 0;  // pending past the sender's deadline for an acknowledgement
    int64_t oldest_pending_seconds = 0;
  };
  static DeliveryCounts CountByState(pqxx::transaction_base& tx);
  static constexpr const char* kCountByStateSql =
      "SELECT (SELECT count(*) FROM envelopes WHERE state = 1),"
      " (SELECT count(*) FROM envelopes WHERE state = 4),"
      " (SELECT count(*) FROM envelopes WHERE state = 1 AND acknowledge_by IS NOT NULL"
      " AND acknowledge_by < now()),"
      " (SELECT COALESCE(extract(epoch FROM now() - min(accepted_at)), 0)::bigint"
      " FROM envelopes WHERE state = 1)";

  // Takes the message log's lock until the end of the transaction.
  static void LockLog(pqxx::work& tx);
  // Appends entries (event, envelope_id, detail set) after the last one, under the log's lock,
  // sealed with the key and chained in order, in one statement (the lock is held from
  // here to commit, so the fewer statements after it the better). Returns the first sequence.
  static int64_t AppendLogs(pqxx::work& tx, std::vector<LogEntry> entries, absl::Time now,
                            const std::string& key_id, const std::string& secret_key,
                            const AppendOptions& options = {});
  // Keeps a log-signing public key in `log_keys` (once; a verifier of old entries needs it).
  static void RecordLogKey(pqxx::work& tx, const std::string& key_id, const std::string& public_key,
                           absl::Time now);
  static std::vector<LogEntry> LogRange(pqxx::transaction_base& tx, int64_t from, int64_t to);
  // The hash of entry `sequence` (the genesis hash for 0).
  static std::string LogHashAt(pqxx::transaction_base& tx, int64_t sequence);
  static std::map<std::string, std::string> LogKeys(pqxx::transaction_base& tx);
};

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_EXCHANGE_STORE_H_
