#ifndef LOCALGOV_SERVICES_LIAISON_AGENCY_H_
#define LOCALGOV_SERVICES_LIAISON_AGENCY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "common/agency_code.h"
#include "common/status.h"

namespace localgov::liaison {

// An agency of the exchange directory; plain data, free of gRPC and SQL.
struct Agency {
  std::string code;
  std::string name;
  int kind = 0;  // AgencyKind
  std::string administrative_unit_code;
  int status = 1;  // AgencyStatus
  absl::Time created_at;
  int64_t version = 1;
};

// The checks a new agency must pass; every violation is recorded under `prefix`.
void ValidateNewAgency(const Agency& agency, Validator& v, std::string_view prefix);

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_AGENCY_H_
