#ifndef LOCALGOV_COMMON_AGENCY_CODE_H_
#define LOCALGOV_COMMON_AGENCY_CODE_H_

#include <string_view>

namespace localgov {

// National agency code (DOMAIN.md §0): "DDD.DD.DD.LDD", e.g. 000.00.00.G22, 000.00.31.H41.
bool IsValidAgencyCode(std::string_view code);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_AGENCY_CODE_H_
