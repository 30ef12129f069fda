// The dossier service's reports of dossiers that went wrong (RecordDossierCase), kept here, and
// the ones related to a new petition. All SQL of the dossier_cases table.
#ifndef LOCALGOV_SERVICES_PETITION_DOSSIER_CASE_STORE_H_
#define LOCALGOV_SERVICES_PETITION_DOSSIER_CASE_STORE_H_

#include <string>
#include <vector>

#include "localgov/petition/v1/petition_service.pb.h"
#include "pqxx/pqxx"
#include "services/petition/matching.h"

namespace localgov::petition {

class DossierCaseStore final {
 public:
  // Keeps `c` unless a report of the same or a later version is held; true when kept.
  static bool Keep(pqxx::work& tx, const v1::DossierCase& c);

  struct Found {
    v1::RelatedDossier dossier;  // without reasons
    DossierCaseFacts facts;
  };
  // The reports naming `named_code`, or keyed by `person_id_key` or `person_name_key` (each
  // ignored when empty), newest first, at most `limit`.
  static std::vector<Found> Related(pqxx::transaction_base& tx, const std::string& named_code,
                                    const std::string& person_id_key,
                                    const std::string& person_name_key, int limit);
};

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_DOSSIER_CASE_STORE_H_
