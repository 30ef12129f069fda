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
  std::string successor_code;     // merged into, when status is merged
  std::string status_effective;   // YYYY-MM-DD the merger took effect, or empty
  std::string receiver_endpoint;  // "service:<name>" or "host:port", or empty
};

inline constexpr int kAgencyActive = 1;
inline constexpr int kAgencyMerged = 2;
inline constexpr int kAgencyDissolved = 3;

// "service:dossier", "service:petition" or "host:port".
bool IsValidReceiverEndpoint(std::string_view endpoint);

// The checks a new agency must pass; every violation is recorded under `prefix`.
void ValidateNewAgency(const Agency& agency, Validator& v, std::string_view prefix);

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_AGENCY_H_
