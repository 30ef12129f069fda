#ifndef LOCALGOV_SERVICES_LIAISON_DIRECTORY_STORE_H_
#define LOCALGOV_SERVICES_LIAISON_DIRECTORY_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pqxx/pqxx"
#include "services/liaison/agency.h"
#include "services/liaison/units.h"

namespace localgov::liaison {

// A public signing key of an agency.
struct AgencyKey {
  std::string key_id;
  std::string agency;
  std::string public_key;  // 32 bytes
  absl::Time valid_from;
  absl::Time valid_until = absl::InfiniteFuture();
};

// All SQL of the directory. Functions run in the caller's transaction.
class DirectoryStore final {
 public:
  // Inserts a new agency; ALREADY_EXISTS when the code is taken.
  static absl::StatusOr<Agency> InsertAgency(pqxx::work& tx, const Agency& agency);
  static std::optional<Agency> FindAgency(pqxx::transaction_base& tx, const std::string& code);
  static void MarkMerged(pqxx::work& tx, const std::string& code, const std::string& successor,
                         const std::string& effective);
  static void SetEndpoint(pqxx::work& tx, const std::string& code, const std::string& endpoint);
  // False when the key id is taken.
  static bool InsertKey(pqxx::work& tx, const AgencyKey& key);
  // False when the right was already granted.
  static bool Grant(pqxx::work& tx, const std::string& sender, int type,
                    const std::string& receiver);

  struct AgencyFilter {
    int kind = 0;
    std::string unit;
    int status = 0;
    std::string after_code;
    int limit = 100;
  };
  // By code, through the primary key or agencies_by_unit.
  static std::vector<Agency> ListAgencies(pqxx::transaction_base& tx, const AgencyFilter& f);

  // False when the code is taken.
  static bool InsertUnit(pqxx::work& tx, const AdministrativeUnit& unit, absl::Time now);
  static std::optional<AdministrativeUnit> FindUnit(pqxx::transaction_base& tx,
                                                    const std::string& code);
  struct UnitFilter {
    std::string parent;
    int level = 0;
    std::string on_date;  // empty: every unit, history included
    std::string after_code;
    int limit = 200;
  };
  static std::vector<AdministrativeUnit> ListUnits(pqxx::transaction_base& tx, const UnitFilter& f);
  static void EndUnit(pqxx::work& tx, const std::string& code, const std::string& day);
  static void InsertSuccession(pqxx::work& tx, const UnitSuccession& link);
  // Links where `code` is the successor (`as_successor`) or the predecessor.
  static std::vector<UnitSuccession> Successions(pqxx::transaction_base& tx,
                                                 const std::string& code, bool as_successor);

  // The directory's version; every change bumps it in its own transaction (the row lock also
  // orders directory changes, which are rare).
  static int64_t BumpVersion(pqxx::work& tx);
  static int64_t Version(pqxx::transaction_base& tx);

  // Everything, for the snapshot; call in one REPEATABLE READ transaction.
  struct Everything {
    int64_t version = 0;
    std::vector<AdministrativeUnit> units;
    std::vector<UnitSuccession> successions;
    std::vector<Agency> agencies;
    std::vector<AgencyKey> keys;
    struct Right {
      std::string sender;
      int type = 0;
      std::string receiver;
    };
    std::vector<Right> rights;
  };
  static Everything LoadEverything(pqxx::transaction_base& tx);
};

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_DIRECTORY_STORE_H_
