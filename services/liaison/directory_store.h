#ifndef LOCALGOV_SERVICES_LIAISON_DIRECTORY_STORE_H_
#define LOCALGOV_SERVICES_LIAISON_DIRECTORY_STORE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "pqxx/pqxx"
#include "services/liaison/agency.h"

namespace localgov::liaison {

// All SQL of the directory. Functions run in the caller's transaction.
class DirectoryStore final {
 public:
  // Inserts a new agency; ALREADY_EXISTS when the code is taken.
  static absl::StatusOr<Agency> InsertAgency(pqxx::work& tx, const Agency& agency);
  static std::optional<Agency> FindAgency(pqxx::transaction_base& tx, const std::string& code);
};

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_DIRECTORY_STORE_H_
