#ifndef LOCALGOV_SERVICES_PETITION_MATCHING_STORE_H_
#define LOCALGOV_SERVICES_PETITION_MATCHING_STORE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "localgov/petition/v1/petition.pb.h"
#include "pqxx/pqxx"
#include "services/petition/matching.h"

namespace localgov::petition {

// The SQL of duplicates, matters and statistics (petition_matching, petition_matters and the
// statistics columns of petitions; migration 0004). Functions run in the caller's transaction.
class MatchingStore final {
 public:
  // Records what petition `code` is matched by and counts one more filing of its matter;
  // returns the matter's filings.
  static int Insert(pqxx::work& tx, const std::string& code, const std::string& agency,
                    const MatchKeys& keys, const std::string& matter_group, absl::Time received);
  // The keys stored for `code` (FindDuplicates by code: a denouncer's come from here, never
  // from the sealed identity). False when the petition has none.
  static bool KeysOf(pqxx::transaction_base& tx, const std::string& code, MatchKeys* keys);

  struct Candidate {
    v1::Petition petition;  // as stored, without events
    CandidateFacts facts;
    std::string matter_group;
  };
  // Earlier petitions of the same person (either key) in `agencies`, newest first, at most
  // `limit`, with the similarity of their contents to `keys.content_folded`.
  static std::vector<Candidate> Candidates(pqxx::transaction_base& tx,
                                           const std::vector<std::string>& agencies,
                                           const MatchKeys& keys, const std::string& except_code,
                                           int limit);
  // The statement Candidates runs (tests EXPLAIN it).
  static const char* CandidatesSql();

  // The filings of each matter group (groups unknown are left out).
  static std::map<std::string, int> Filings(pqxx::transaction_base& tx,
                                            const std::vector<std::string>& groups);

  // Petitions stored before migration 0004 (derived = 0), oldest first, at most `limit`,
  // locked (the backfill derives them).
  static std::vector<v1::Petition> ToDerive(pqxx::work& tx, int limit);
  // Writes a petition's matter and statistics columns and marks it derived.
  static void MarkDerived(pqxx::work& tx, const v1::Petition& p);

  // One group of GetPetitionStatistics: petitions received in [from, to] (Vietnam days) with
  // one combination of what the report breaks down, read from the per-day counts that the
  // database keeps (migration 0005).
  struct Row {
    int channel = 0, kind = 0, field = 0, state = 0, decision = 0, not_processed_reason = 0,
        outcome = 0;
    int on_time = -1;  // -1 unknown, 0 late, 1 on time
    bool duplicate = false;
    int64_t count = 0;
  };
  static std::vector<Row> Statistics(pqxx::transaction_base& tx,
                                     const std::vector<std::string>& agencies,
                                     const std::string& from, const std::string& to);
  // What depends on today and on the matters, for petitions received in [from, to]: open with
  // their next clock before `today` (overdue), and long-running: of a matter petitioned at
  // least `filings` times, or open since before `open_before` (YYYY-MM-DD; counted once).
  struct Watch {
    int64_t overdue = 0, long_running = 0;
  };
  static Watch WatchCounts(pqxx::transaction_base& tx, const std::vector<std::string>& agencies,
                           const std::string& from, const std::string& to, const std::string& today,
                           int filings, const std::string& open_before);
  // The statements Statistics and WatchCounts run (tests and the benchmark EXPLAIN them).
  static const char* StatisticsSql();
  static const char* OpenWatchSql();
  static const char* LongMattersSql();
  // Reception visits registered on days [from, to]: visits, delegations, persons received.
  struct Visits {
    int64_t visits = 0, delegations = 0, persons = 0;
  };
  static Visits VisitCounts(pqxx::transaction_base& tx, const std::vector<std::string>& agencies,
                            const std::string& from, const std::string& to);
};

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_MATCHING_STORE_H_
