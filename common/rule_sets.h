// Rule sets by effective date (DOMAIN.md: every rule set is versioned by effective date): the
// statutory sets in the code, and sets configured on top of them in a setting
// "YYYY-MM-DD:key=value,...;...", so a law that changes a number from a given day needs no
// release. A record follows the set in force on its day (a dossier's or a petition's day of
// receipt), whatever changes while it is open. Used by the one-stop rules
// (services/dossier/rules.h) and the petition rules (services/petition/rules.h).
#ifndef LOCALGOV_COMMON_RULE_SETS_H_
#define LOCALGOV_COMMON_RULE_SETS_H_

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace localgov {

// "rule set \"<set>\": <why>" as INVALID_ARGUMENT.
inline absl::Status BadRuleSet(absl::string_view set, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("rule set \"", set, "\": ", why));
}

// The set of `sets` (sorted by in_force_from, not empty) in force on `day`; before the first
// set, the first.
template <typename Rules>
const Rules& RulesInForceOn(const std::vector<Rules>& sets, absl::CivilDay day) {
  auto after =
      std::upper_bound(sets.begin(), sets.end(), day,
                       [](absl::CivilDay d, const Rules& s) { return d < s.in_force_from; });
  return after == sets.begin() ? sets.front() : *(after - 1);
}

// Adds the sets of `setting` to `sets` (sorted by in_force_from, not empty; `Rules` has
// `in_force_from` and `basis`). Each configured set starts from the set in force the day
// before its own, whatever order the setting lists them in, and changes the keys it names
// through `apply(rules, set_text, key, value)`; a set on a day already present replaces it.
// Its basis becomes `variable`. INVALID_ARGUMENT naming what is wrong.
template <typename Rules>
absl::Status AddConfiguredRuleSets(
    std::vector<Rules>& sets, absl::string_view setting, absl::string_view variable,
    const std::function<absl::Status(Rules&, absl::string_view, absl::string_view,
                                     absl::string_view)>& apply) {
  std::map<absl::CivilDay, std::pair<absl::string_view, absl::string_view>> configured;
  for (absl::string_view set : absl::StrSplit(setting, ';', absl::SkipWhitespace())) {
    set = absl::StripAsciiWhitespace(set);
    const std::pair<absl::string_view, absl::string_view> day_rules =
        absl::StrSplit(set, absl::MaxSplits(':', 1));
    if (day_rules.second.empty())
      return BadRuleSet(set, "each rule set is YYYY-MM-DD:key=value,...");
    absl::CivilDay day;
    if (!absl::ParseCivilTime(day_rules.first, &day)) {
      return BadRuleSet(set, absl::StrCat("\"", day_rules.first, "\" is not a date YYYY-MM-DD"));
    }
    if (!configured.emplace(day, std::make_pair(set, day_rules.second)).second) {
      return BadRuleSet(set, absl::StrCat(absl::FormatCivilTime(day), " given twice"));
    }
  }
  for (const auto& [day, text] : configured) {
    const auto& [set, rules] = text;
    Rules r = RulesInForceOn(sets, day - 1);
    r.in_force_from = day;
    r.basis = std::string(variable);
    std::set<std::string> keys;
    for (absl::string_view pair : absl::StrSplit(rules, ',')) {
      const std::pair<absl::string_view, absl::string_view> kv =
          absl::StrSplit(pair, absl::MaxSplits('=', 1));
      const absl::string_view key = absl::StripAsciiWhitespace(kv.first);
      if (!keys.insert(std::string(key)).second)
        return BadRuleSet(set, absl::StrCat(key, " given twice"));
      if (auto st = apply(r, set, key, absl::StripAsciiWhitespace(kv.second)); !st.ok()) return st;
    }
    auto at = std::lower_bound(sets.begin(), sets.end(), day, [](const Rules& s, absl::CivilDay d) {
      return s.in_force_from < d;
    });
    if (at != sets.end() && at->in_force_from == day) {
      *at = std::move(r);
    } else {
      sets.insert(at, std::move(r));
    }
  }
  return absl::OkStatus();
}

}  // namespace localgov

#endif  // LOCALGOV_COMMON_RULE_SETS_H_
