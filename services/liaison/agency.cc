#include "services/liaison/agency.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/config.h"

namespace localgov::liaison {
namespace {
constexpr int kMaxKind = 8;       // AGENCY_KIND_OTHER
constexpr size_t kMaxName = 300;  // characters of UTF-8 text, generous for official names
}  // namespace

void ValidateNewAgency(const Agency& a, Validator& v, std::string_view prefix) {
  auto field = [&](std::string_view name) { return std::string(prefix) + "." + std::string(name); };
  if (a.code.empty()) {
    v.Add(field("code"), "required");
  } else {
    v.Check(IsValidAgencyCode(a.code), field("code"),
            "must be a national agency code like 000.00.00.G22");
  }
  v.Check(!a.name.empty(), field("name"), "required");
  v.Check(a.name.size() <= kMaxName, field("name"), "at most 300 bytes");
  v.Check(a.kind >= 1 && a.kind <= kMaxKind, field("kind"),
          "required: one of the AgencyKind values");
  v.Check(a.administrative_unit_code.size() <= 32, field("administrative_unit_code"),
          "at most 32 characters");
}

bool IsValidReceiverEndpoint(std::string_view endpoint) {
  if (endpoint == "service:dossier" || endpoint == "service:petition") return true;
  return endpoint.size() <= 255 && endpoint.substr(0, 8) != "service:" &&
         ValidateHostPort(std::string(endpoint)).ok();
}

}  // namespace localgov::liaison
