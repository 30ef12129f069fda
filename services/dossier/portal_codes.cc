#include "services/dossier/portal_codes.h"

#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace localgov::dossier {

absl::StatusOr<PortalCodes> PortalCodes::Parse(absl::string_view setting) {
  PortalCodes codes;
  // The annex numbers the states as DossierState does (dossier.proto): 1 submitted … 10 result
  // returned.
  for (int s = v1::DossierState_MIN + 1; s <= v1::DossierState_MAX; ++s) codes.codes_[s] = s;
  std::set<std::string> seen;
  for (absl::string_view pair : absl::StrSplit(setting, ',', absl::SkipWhitespace())) {
    const std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    const std::string name(absl::StripAsciiWhitespace(kv.first));
    const absl::string_view value = absl::StripAsciiWhitespace(kv.second);
    if (value.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", absl::StripAsciiWhitespace(pair), "\": each entry is STATE=code"));
    }
    v1::DossierState state = v1::DOSSIER_STATE_UNSPECIFIED;
    if (!v1::DossierState_Parse("DOSSIER_STATE_" + name, &state) ||
        state == v1::DOSSIER_STATE_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown state \"", name,
          "\" (SUBMITTED, ACCEPTED, NOT_ACCEPTED, IN_PROGRESS, "
          "SUPPLEMENT_REQUESTED, PAYMENT_REQUESTED, WITHDRAWN, STOPPED, PROCESSED, RETURNED)"));
    }
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(absl::StrCat(name, " given twice"));
    }
    int code = 0;
    if (!absl::SimpleAtoi(value, &code) || code < 1 || code > 99) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": a portal status code is 1–99, not \"", value, "\""));
    }
    codes.codes_[state] = code;
  }
  return codes;
}

int PortalCodes::Of(v1::DossierState state) const {
  return v1::DossierState_IsValid(state) ? codes_[state] : 0;
}

}  // namespace localgov::dossier
