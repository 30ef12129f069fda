#include "common/agency_code.h"

#include <cctype>

namespace localgov {

bool IsValidAgencyCode(std::string_view code) {
  constexpr std::string_view kShape = "ddd.dd.dd.Ldd";
  if (code.size() != kShape.size()) return false;
  for (size_t i = 0; i < code.size(); ++i) {
    const auto c = static_cast<unsigned char>(code[i]);
    switch (kShape[i]) {
      case 'd':
        if (!std::isdigit(c)) return false;
        break;
      case 'L':
        if (!std::isupper(c)) return false;
        break;
      default:
        if (code[i] != kShape[i]) return false;
    }
  }
  return true;
}

}  // namespace localgov
