#ifndef LOCALGOV_SERVICES_PETITION_PETITION_STORE_H_
#define LOCALGOV_SERVICES_PETITION_PETITION_STORE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/query.h"
#include "localgov/petition/v1/petition.pb.h"
#include "localgov/petition/v1/petition_service.pb.h"
#include "pqxx/pqxx"
#include "services/petition/identity_vault.h"

namespace localgov::petition {

struct PetitionFilter {
  std::vector<std::string> agencies;  // the agency and those merged into it
  int kind = 0;
  int field = 0;
  std::vector<int> states;
  int channel = 0;
  std::string officer;
  std::string due_before;  // YYYY-MM-DD: open petitions due on or before
  std::string today;       // YYYY-MM-DD, for overdue_only
  bool overdue_only = false;
  bool duplicates_only = false;  // repeats of an earlier petition
  // Long-running only (when > 0): the matter petitioned this many times, or open and received
  // before open_before (YYYY-MM-DD).
  int long_running_filings = 0;
  std::string open_before;
  std::string after_due;  // keyset: (due key, code) strictly after
  std::string after_code;
  int limit = 51;
};

struct ChangeFilter {
  std::vector<std::string> agencies;
  std::string petition_code;  // when set, the agencies are ignored
  int64_t after_sequence = 0;
  int limit = 100;
};

// All SQL of petitions. Functions run in the caller's transaction.
class PetitionStore final {
 public:
  // The next code of `agency` for a petition of `kind` received on `day`:
  // "<agency>-<KN|TC|KNG|PA>-<yymmdd>-<nnnn>" (the counter row is locked until commit).
  static std::string NextCode(pqxx::work& tx, const std::string& agency, v1::PetitionKind kind,
                              absl::CivilDay day);
  // Inserts a new petition (without events); `source_envelope` for one forwarded to us.
  static void Insert(pqxx::work& tx, const v1::Petition& p, const std::string& citizen_id,
                     const std::string& follow_hash, const std::string& source_envelope,
                     absl::Time now);
  // Stores the changed petition when its version is still `expected_version` (ABORTED
  // otherwise); the stored version becomes expected_version + 1.
  static absl::Status Update(pqxx::work& tx, const v1::Petition& p, int64_t expected_version,
                             absl::Time now);
  // Appends the last event of `p` (as it is after it) and records the change in the feed;
  // returns the feed sequence.
  static int64_t AppendEvent(pqxx::work& tx, const v1::Petition& p);
  struct Found {
    v1::Petition petition;
    std::string citizen_id;   // the petitioner's (empty when sealed or anonymous)
    std::string follow_hash;  // of the follow secret
  };
  // The petition, with its events when `with_events`.
  static std::optional<Found> Find(pqxx::transaction_base& tx, const std::string& code,
                                   bool with_events);
  // The petition we forwarded in envelope `envelope_id`.
  static std::optional<std::string> ByForwardEnvelope(pqxx::transaction_base& tx,
                                                      const std::string& envelope_id);
  // Petitions of the same person about the same matter in state `state`: (code, received).
  static std::vector<std::pair<std::string, absl::Time>> SameMatter(pqxx::transaction_base& tx,
                                                                    const std::string& citizen_id,
                                                                    const std::string& matter,
                                                                    int state,
                                                                    const std::string& except_code);
  // Petitions without their events, by (next due, nulls last; code).
  static std::vector<v1::Petition> List(pqxx::transaction_base& tx, const PetitionFilter& f);
  // A citizen's own petitions (by the petitioner's citizen ID; a sealed denouncer has none
  // stored), those with a next deadline first by it, then newest received first; at most
  // `limit`.
  static std::vector<v1::Petition> OfCitizen(pqxx::transaction_base& tx,
                                             const std::string& citizen_id, int limit);
  // The statement List runs (tests EXPLAIN it).
  static SqlQuery ListQuery(const PetitionFilter& f);
  // The petitions of `agencies` with an assigned officer, resolved and changed at or after
  // `since` (a decision dated after `since` is among them), for the officers' records.
  static std::vector<v1::Petition> ResolvedSince(pqxx::transaction_base& tx,
                                                 const std::vector<std::string>& agencies,
                                                 absl::Time since);
  static std::vector<v1::WatchPetitionsResponse> Changes(pqxx::transaction_base& tx,
                                                         const ChangeFilter& f);
  static int64_t LatestChange(pqxx::transaction_base& tx);
  // Open petitions whose next binding clock passed before `today`, per agency and kind.
  struct Overdue {
    std::string agency;
    int kind;
    int64_t count;
  };
  static std::vector<Overdue> OverdueByAgency(pqxx::transaction_base& tx, const std::string& today);
  // The statement OverdueByAgency runs (tests EXPLAIN it).
  static constexpr const char* kOverdueSql =
      "SELECT agency, kind, count(*) FROM petitions WHERE next_due < $1::date GROUP BY agency, "
      "kind";

  // Sealed identities.
  static void InsertIdentity(pqxx::work& tx, const std::string& code, const SealedValue& v,
                             absl::Time now);
  static std::optional<SealedValue> FindIdentity(pqxx::transaction_base& tx,
                                                 const std::string& code);
  // A table of sealed values: its name and the column each value is bound to (the vault's
  // `bound_to`). The resealer covers every one of kSealedTables.
  struct SealedTable {
    const char* table;
    const char* bound_to;
  };
  static constexpr SealedTable kSealedTables[] = {
      {"petition_identities", "petition_code"},
      {"reception_visit_identities", "register_number"},  // migration 0003
  };
  // Up to `limit` values of `t` sealed under another key than `current_key_id`, locked; each
  // with its binding.
  static std::vector<std::pair<std::string, SealedValue>> IdentitiesToReseal(
      pqxx::work& tx, const SealedTable& t, const std::string& current_key_id, int limit);
  static void ReplaceIdentity(pqxx::work& tx, const SealedTable& t, const std::string& bound_to,
                              const SealedValue& v, absl::Time now);
  static void InsertReading(pqxx::work& tx, const v1::IdentityReading& r);
  // Newest first; `before_id` 0 for the first page. Returns (id, reading).
  static std::vector<std::pair<int64_t, v1::IdentityReading>> ListReadings(
      pqxx::transaction_base& tx, const std::vector<std::string>& agencies,
      const std::string& petition_code, int64_t before_id, int limit);

  // The inbox of delivered envelopes.
  struct InboxEntry {
    int ack_code = 0;
    std::string reason;
    std::string reference;
  };
  static std::optional<InboxEntry> FindInbox(pqxx::transaction_base& tx,
                                             const std::string& envelope_id);
  static void InsertInbox(pqxx::work& tx, const std::string& envelope_id, int type,
                          const std::string& sender, const std::string& delivered_to,
                          const InboxEntry& ack, absl::Time now);
};

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_PETITION_STORE_H_
