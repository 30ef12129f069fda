#include "common/person_key.h"

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/text.h"

namespace localgov {

std::string CitizenIdMaterial(std::string_view citizen_id) {
  return absl::StrCat("id\n", std::string(citizen_id));
}

std::string NameAddressMaterial(std::string_view full_name, std::string_view address) {
  const std::string name = FoldVietnamese(full_name);
  const std::string where = FoldVietnamese(address);
  if (name.empty() || where.empty()) return "";
  return absl::StrCat("name-address\n", name, "\n", where);
}

std::string CitizenIdKey(std::string_view citizen_id) {
  if (citizen_id.empty()) return "";
  return absl::StrCat("h:", Sha256Hex(CitizenIdMaterial(citizen_id)));
}

std::string NameAddressKey(std::string_view full_name, std::string_view address) {
  const std::string material = NameAddressMaterial(full_name, address);
  if (material.empty()) return "";
  return absl::StrCat("h:", Sha256Hex(material));
}

}  // namespace localgov
