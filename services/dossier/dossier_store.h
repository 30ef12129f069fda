#ifndef LOCALGOV_SERVICES_DOSSIER_DOSSIER_STORE_H_
#define LOCALGOV_SERVICES_DOSSIER_DOSSIER_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/query.h"
#include "localgov/dossier/v1/dossier.pb.h"
#include "localgov/dossier/v1/dossier_service.pb.h"
#include "localgov/liaison/v1/exchange.pb.h"
#include "pqxx/pqxx"

namespace localgov::dossier {

struct DossierFilter {
  std::string agency;  // receiving agency, or empty (with citizen_id set)
  // Agencies merged into `agency`, whose dossiers it holds (DOMAIN.md §0); their worklists
  // are merged in due-date order, each read through its own index range.
  std::vector<std::string> merged;
  std::string citizen_id;     // applicant, or empty
  std::vector<int> states;    // empty: all
  std::vector<int> channels;  // empty: all
  std::string applicant;      // the applicant's citizen ID within an agency, or empty
  bool open_only = false;     // states with a running clock: accepted, in progress, payment
  std::string procedure_code;
  std::string due_before;  // YYYY-MM-DD or empty
  bool late_only = false;
  bool late_without_apology_only = false;
  // Accepted and not transferred after its day of receipt.
  bool transfer_overdue_only = false;
  std::string today;      // YYYY-MM-DD, for "late"
  std::string after_due;  // keyset: (due key, code) strictly after
  std::string after_code;
  int limit = 21;
};

// Which changes a WatchDossiers stream reads: one agency's or one dossier's.
struct ChangeFilter {
  std::string agency;                 // the agency watched, as asked
  std::vector<std::string> agencies;  // that agency and those merged into it, for each read
  std::string dossier_code;           // when set, the agencies are ignored
  int64_t after_sequence = 0;
  int limit = 100;
};

// All SQL of dossiers. Functions run in the caller's transaction.
class DossierStore final {
 public:
  // A block of code sequences for `count` dossiers of `agency` received on `day`: the
  // counter moves by `count` under its row lock, and `last` is set to the block's last
  // sequence (the block is last - count + 1 .. last).
  struct CodeBlock {
    std::string agency;
    absl::CivilDay day;
    int count = 0;
    int last = 0;
  };
  static void ReserveCodes(pqxx::work& tx, std::vector<CodeBlock>& blocks);
  // Inserts new dossiers (their events are appended separately).
  static void InsertAll(pqxx::work& tx, const std::vector<const v1::Dossier*>& dossiers,
                        absl::Time now);
  // Stores the changed dossier when its version is still `expected_version` (ABORTED
  // otherwise); the stored version becomes expected_version + 1.
  static absl::Status Update(pqxx::work& tx, const v1::Dossier& d, int64_t expected_version,
                             absl::Time now);
  // Appends `e` to the history of `d` (as it is after the event) and records the change in
  // the feed; returns the change's feed sequence.
  static int64_t AppendEvent(pqxx::work& tx, const v1::Dossier& d, const v1::DossierEvent& e,
                             const std::string& request_id);
  // The same for several events in one statement; returns their feed sequences, in order.
  struct NewEvent {
    const v1::Dossier* dossier;
    const v1::DossierEvent* event;
    std::string request_id;
  };
  static std::vector<int64_t> AppendEvents(pqxx::work& tx, const std::vector<NewEvent>& events);
  // Records the steps of dossier `code` completed by a change, for the statistics.
  static void InsertStepOutcomes(pqxx::work& tx, const std::string& code,
                                 const std::vector<v1::StepProgress>& steps);
  // Feed changes after f.after_sequence, in sequence order.
  static std::vector<v1::WatchDossiersResponse> Changes(pqxx::transaction_base& tx,
                                                        const ChangeFilter& f);
  // Dossiers (without events) received by `agencies` finished in [from, to).
  static std::vector<v1::Dossier> FinishedIn(pqxx::transaction_base& tx,
                                             const std::vector<std::string>& agencies,
                                             absl::Time from, absl::Time to);
  // Open dossiers past their due date (before `today`) with no apology, per agency.
  static std::vector<std::pair<std::string, int64_t>> LateWithoutApologyByAgency(
      pqxx::transaction_base& tx, const std::string& today);
  // The statement LateWithoutApologyByAgency runs (tests EXPLAIN it).
  static constexpr const char* kLateWithoutApologySql =
      "SELECT receiving_agency, count(*) FROM dossiers WHERE state IN (2, 4, 6) AND NOT apologized"
      " AND due_date < $1::date GROUP BY receiving_agency";
  // Keeps a delivered envelope; false when it was kept before (a redelivery).
  static bool InsertInbox(pqxx::transaction_base& tx, const liaison::v1::Envelope& e,
                          const std::string& delivered_to, absl::Time now);
  // The last feed sequence committed.
  static int64_t LatestChange(pqxx::transaction_base& tx);
  // Dossiers without their events, ordered by (due date, nulls last; code).
  static std::vector<v1::Dossier> List(pqxx::transaction_base& tx, const DossierFilter& f);
  // The statement List runs (tests EXPLAIN it).
  static SqlQuery ListQuery(const DossierFilter& f);
  // Stores the applicant's rating; false when the dossier was already rated.
  static bool InsertRating(pqxx::work& tx, const std::string& code, const std::string& agency,
                           int level, const std::string& comment, absl::Time at,
                           const std::string& rater);
  // Figures of one agency (`agencies`: itself first, then those merged into it): received in
  // [from, to), finished in [from, to), open now, late without apology as of `today`, ratings
  // and route steps in [from, to).
  static v1::AgencyStatistics Statistics(pqxx::transaction_base& tx,
                                         const std::vector<std::string>& agencies, absl::Time from,
                                         absl::Time to, const std::string& today);
  // The dossiers with a step recorded in [from, to) by an officer or leader of `agencies`, each
  // with those steps only (oldest first), for the officers' records.
  static std::vector<v1::Dossier> StaffEventsIn(pqxx::transaction_base& tx,
                                                const std::vector<std::string>& agencies,
                                                absl::Time from, absl::Time to);
  // The dossier with its events, oldest first.
  static std::optional<v1::Dossier> Find(pqxx::transaction_base& tx, const std::string& code);

  // The petitions that name a dossier (dossier_store_petitions.cc): the petition service's
  // report kept when newer than the one held (by `sequence`); true when it was.
  static bool KeepPetition(pqxx::work& tx, const std::string& dossier_code,
                           const v1::DossierPetition& p, int64_t sequence);
  // Oldest received first.
  static std::vector<v1::DossierPetition> PetitionsAbout(pqxx::transaction_base& tx,
                                                         const std::string& dossier_code);
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_DOSSIER_STORE_H_
