#ifndef LOCALGOV_SERVICES_PETITION_MATCHING_H_
#define LOCALGOV_SERVICES_PETITION_MATCHING_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "localgov/petition/v1/petition.pb.h"

namespace localgov::petition {

// Duplicates and long-running matters (DOMAIN.md §3: "a duplicate already answered is not
// processed again … same person, same matter, possibly written without diacritics"). Pure
// rules: what a petition is matched by, how a candidate scores, when a matter is long-running.
// The thresholds are not statutory: they are configuration (LOCALGOV_PETITION_MATCHING).
struct MatchingSettings {
  static constexpr const char* kVariable = "LOCALGOV_PETITION_MATCHING";
  // A candidate is listed from this score (0..1).
  double min_score = 0.4;
  // An answered candidate from this score makes a new petition of the same kind not processed.
  double answered_score = 0.6;
  // A matter petitioned this many times is long-running.
  int long_running_filings = 5;
  // A petition open longer than this many calendar days is long-running.
  int long_running_open_days = 180;

  // "min_score=0.4,answered_score=0.6,long_running_filings=5,long_running_open_days=180"
  // (any subset; empty: the defaults). INVALID_ARGUMENT naming the key otherwise.
  static absl::StatusOr<MatchingSettings> Parse(std::string_view text);
  std::string Describe() const;
};

// What a petition is matched by. Person keys are hashes, never the identity: SHA-256 for a
// complainant or a petitioner, the keyed blind index (the identity key ring's index key) for a
// denouncer, so a denouncer is matched without opening a sealed identity and never against a
// petition of another kind.
struct MatchKeys {
  std::string person_id_key;    // of the citizen ID; empty without one
  std::string person_name_key;  // of the name and address folded; empty without both
  std::string matter_key;       // the act concerned folded (decision number, else dossier code)
  std::string content_folded;   // title and content folded without diacritics
};

// The keyed hash of a denouncer's folded identity (empty: no index key, no person keys).
using BlindIndex = std::function<std::string(const std::string&)>;

MatchKeys MatchKeysOf(v1::PetitionKind kind, const v1::Person& person, const std::string& title,
                      const std::string& content, const v1::ActConcerned& act,
                      const BlindIndex& blind);

// What the store found about one earlier petition of the same person.
struct CandidateFacts {
  bool same_id = false;
  bool same_name = false;
  bool same_act = false;
  // Both petitions name a citizen ID and the IDs differ: two people, whatever their names.
  bool other_id = false;
  std::string act;          // the act concerned, as written on the earlier petition
  double similarity = 0.0;  // pg_trgm similarity of the folded contents
};

struct Scored {
  // The same person (the citizen ID, or the name and address when no other ID says otherwise)
  // and the same matter (the act, or content similar enough).
  bool matches = false;
  double score = 0.0;  // 1 for the same act; otherwise the similarity
  std::vector<std::string> reasons;
};
Scored ScoreCandidate(const CandidateFacts& facts, const MatchingSettings& settings);

// What the petition service knows of a dossier that went wrong, against a new petition
// (DossierCaseStore::Related).
struct DossierCaseFacts {
  bool named = false;      // the petition names it (act.dossier_code)
  bool same_id = false;    // its applicant's citizen ID key is the petitioner's
  bool same_name = false;  // its applicant's name and address key is the petitioner's
  // Both name a citizen ID and the IDs differ: two people, whatever their names.
  bool other_id = false;
};
// Why such a dossier is related to the petition, in words; empty when it is not (the same
// name and address with another citizen ID is someone else).
std::vector<std::string> RelatedDossierReasons(const DossierCaseFacts& facts);

// Whether an earlier petition's state is an answer told to the citizen: resolved, guided to
// the competent body, or not processed.
bool IsAnswered(v1::PetitionState state);

// What a petition answered (a repeat is told it; a forwarded-in petition sends it back): the
// resolution's summary, else the closing note, else the classification's reason, with its day
// (YYYY-MM-DD) and the decision's number.
struct EarlierAnswer {
  std::string text;
  std::string day;
  std::string decision_number;
};
EarlierAnswer AnswerOf(const v1::Petition& earlier);

// Whether a petition is long-running: its matter petitioned `filings` times, or it is open and
// was received more than the configured days before `days_open`.
bool IsLongRunning(int filings, bool open, int days_open, const MatchingSettings& settings);

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_MATCHING_H_
