#ifndef LOCALGOV_SERVICES_LIAISON_DIRECTORY_STORE_H_
#define LOCALGOV_SERVICES_LIAISON_DIRECTORY_STORE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pqxx/pqxx"
#include "services/liaison/agency.h"

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
  // The public key `key_id` of `agency`, if valid at `at`.
  static std::optional<std::string> KeyValidAt(pqxx::transaction_base& tx,
                                               const std::string& key_id, const std::string& agency,
                                               absl::Time at);
  static void Grant(pqxx::work& tx, const std::string& sender, int type,
                    const std::string& receiver);
  static bool Allowed(pqxx::transaction_base& tx, const std::string& sender, int type,
                      const std::string& receiver);
};

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_DIRECTORY_STORE_H_
