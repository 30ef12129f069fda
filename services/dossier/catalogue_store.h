#ifndef LOCALGOV_SERVICES_DOSSIER_CATALOGUE_STORE_H_
#define LOCALGOV_SERVICES_DOSSIER_CATALOGUE_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/query.h"
#include "localgov/dossier/v1/procedure.pb.h"
#include "pqxx/pqxx"

namespace localgov::dossier {

struct ProcedureFilter {
  std::vector<std::string> folded_words;  // every word must occur in the folded name
  std::string folded_field;               // exact folded field, or empty
  int level = 0;                          // ProcedureLevel, or 0
  std::string after_code;                 // keyset: codes strictly after this
  int limit = 20;
};

// All SQL of the procedure catalogue. Functions run in the caller's transaction.
class CatalogueStore final {
 public:
  // Stores `p` as a new latest version (p.version() must be the next version).
  static void InsertVersion(pqxx::work& tx, const v1::Procedure& p, absl::Time now);
  static bool Exists(pqxx::transaction_base& tx, const std::string& code);
  static std::vector<v1::Procedure> ListLatest(pqxx::transaction_base& tx,
                                               const ProcedureFilter& f);
  // The statement ListLatest runs (tests EXPLAIN it to check it is index-backed).
  static SqlQuery ListLatestQuery(const ProcedureFilter& f);
  // One exact version.
  static std::optional<v1::Procedure> Version(pqxx::transaction_base& tx, const std::string& code,
                                              int version);
  static std::optional<v1::Procedure> Latest(pqxx::transaction_base& tx, const std::string& code);
  // The version with the latest effective_from on or before `day`.
  static std::optional<v1::Procedure> InForceOn(pqxx::transaction_base& tx, const std::string& code,
                                                absl::CivilDay day);
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_CATALOGUE_STORE_H_
