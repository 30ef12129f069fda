#ifndef LOCALGOV_SERVICES_DOSSIER_INTAKE_WRITER_H_
#define LOCALGOV_SERVICES_DOSSIER_INTAKE_WRITER_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/audit.h"
#include "common/db/pool.h"
#include "common/idempotency.h"
#include "localgov/dossier/v1/dossier.pb.h"

namespace localgov::dossier {

// Writes intakes in groups: ReceiveDossier calls that arrive while a group is being written
// are written together in the next transaction (group commit). Each takes the service's
// serial points once per group instead of once per dossier — the agency's daily code
// counter, the change feed's counter and the audit chain, all held until commit — so
// concurrent intakes share one commit. What each caller gets is what a transaction of its
// own would have given: a code from the gapless daily sequence, its history event, its feed
// change, its audit record and its idempotency key, all committed, or nothing written.
//
// One caller at a time leads: it takes what is queued (up to the batch limit) and writes
// it; the others wait for their result. A group that fails for a reason other than the
// database being unreachable is written again one intake at a time, so one bad intake
// cannot fail its neighbours.
class IntakeWriter final {
 public:
  struct Intake {
    IdempotencyKey key;    // the caller's (subject, method, request_id) and request digest
    v1::Dossier dossier;   // everything but the code, with its first event
    absl::CivilDay day;    // the day of receipt (the code's date)
    AuditEntry audit;      // entity_id is set to the code
    std::string trace_id;  // the call's request id, recorded with the event
    absl::Time now;
  };
  struct Written {
    v1::Dossier dossier;  // with its code; a retried request gets the dossier created first
    int64_t change = 0;   // the feed sequence of the new dossier's event; 0 for a retry
  };

  explicit IntakeWriter(PgPool& db, int max_batch = 64) : db_(db), max_batch_(max_batch) {}

  // Blocks until `intake` is committed with the others of its group, or failed.
  absl::StatusOr<Written> Write(const Intake& intake);
  // Told the size of every group written (for the metrics).
  void OnGroup(std::function<void(size_t)> on_group) { on_group_ = std::move(on_group); }
  // Called in the group's transaction for every new dossier, once its code is set (the outbox
  // messages its intake calls for).
  using OnDossier = std::function<void(pqxx::work&, const v1::Dossier&, absl::Time)>;
  void OnWritten(OnDossier on_written) { on_written_ = std::move(on_written); }

 private:
  struct Pending {
    const Intake* intake = nullptr;
    absl::StatusOr<Written> result = absl::UnknownError("not written");
    bool done = false;
    std::condition_variable wake;  // done, or asked to lead
  };
  void WriteGroup(const std::vector<Pending*>& group);
  absl::Status TryWriteGroup(const std::vector<Pending*>& group);

  PgPool& db_;
  const int max_batch_;
  std::function<void(size_t)> on_group_;
  OnDossier on_written_;
  std::mutex mu_;
  std::deque<Pending*> queue_;
  bool writing_ = false;
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_INTAKE_WRITER_H_
