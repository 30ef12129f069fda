#include "services/dossier/rules.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/rule_sets.h"

namespace localgov::dossier {
namespace {

absl::Status Bad(absl::string_view set, absl::string_view why) { return BadRuleSet(set, why); }

// Sets `key` to `value` in `r`.
absl::Status Apply(OneStopRules& r, absl::string_view set, absl::string_view key,
                   absl::string_view value) {
  struct Count {
    int OneStopRules::*field;
    int min, max;
    const char* unit;
  };
  static const auto& kCounts = *new std::map<std::string, Count, std::less<>>{
      {"supplement_window", {&OneStopRules::supplement_window_working_days, 1, 30, "working days"}},
      {"online_notices", {&OneStopRules::online_deficiency_notices, 1, 10, "notices"}},
      {"apology_lead", {&OneStopRules::apology_lead_working_days, 0, 10, "working days"}},
  };
  if (key == "receipt_cutoff") {
    auto minutes = calendar::ParseClockTime(value);
    if (!minutes.ok() || *minutes >= 24 * 60) {
      return Bad(set, absl::StrCat("receipt_cutoff must be a time HH:MM, not \"", value, "\""));
    }
    r.receipt_cutoff_minutes = *minutes;
    return absl::OkStatus();
  }
  auto it = kCounts.find(key);
  if (it == kCounts.end()) {
    return Bad(set, absl::StrCat("unknown rule \"", key,
                                 "\" (supplement_window, online_notices, apology_lead, "
                                 "receipt_cutoff)"));
  }
  const Count& c = it->second;
  int n = 0;
  if (!absl::SimpleAtoi(value, &n) || n < c.min || n > c.max) {
    return Bad(set, absl::StrCat(key, " must be ", c.min, "–", c.max, " ", c.unit, ", not \"",
                                 value, "\""));
  }
  r.*c.field = n;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<OneStopRuleBook> OneStopRuleBook::Parse(absl::string_view setting) {
  OneStopRuleBook book;
  OneStopRules decree61;
  decree61.in_force_from = absl::CivilDay(2018, 6, 21);
  decree61.basis = "Decree 61/2018/ND-CP";
  OneStopRules decree118 = decree61;
  decree118.in_force_from = absl::CivilDay(2025, 7, 1);
  decree118.basis = "Decree 118/2025/ND-CP (full text not at hand: Decree 61/2018's numbers)";
  book.sets_ = {decree61, decree118};

  if (auto st = AddConfiguredRuleSets<OneStopRules>(book.sets_, setting, kVariable, Apply);
      !st.ok()) {
    return st;
  }
  return book;
}

const OneStopRules& OneStopRuleBook::InForceOn(absl::CivilDay day) const {
  return RulesInForceOn(sets_, day);
}

std::vector<StatuteEntry> OneStopRules::Entries() const {
  const std::string from = absl::FormatCivilTime(in_force_from);
  auto yes_no = [](bool b) { return b ? "applies" : "does not apply"; };
  return {
      {basis, from, "receipt_cutoff", calendar::FormatClockTime(receipt_cutoff_minutes),
       "time of day",
       "Decree 61/2018 (transfer of dossiers): received after it on a working day, or on a day "
       "off, a dossier is deemed received at the start of the next working day; the starting "
       "day is not counted (Civil Code 2015 Art. 147)"},
      {basis, from, "supplement_window", absl::StrCat(supplement_window_working_days),
       "working days",
       "Decree 61/2018 Art. 16: an incomplete dossier is returned within this many working "
       "days of intake, the intake day not counted (Fri 13/2/2026 → Wed 25/2/2026)"},
      {basis, from, "online_notices", absl::StrCat(online_deficiency_notices), "notices",
       "Decree 61/2018: an online dossier's deficiencies are notified once"},
      {basis, from, "apology_lead", absl::StrCat(apology_lead_working_days), "working days",
       "Decree 61/2018 Art. 19: the apology and new date (form 04) by the end of the working day "
       "this many working days before the due date (due Mon 23/2/2026 → by Fri 13/2/2026)"},
      {basis, from, "cutoff_applies_to_working_hours", yes_no(cutoff_applies_to_working_hours),
       "reading",
       "DOMAIN.md §2: a limit in working hours counts office time from receipt (Civil Code "
       "2015 Art. 147(1)), from the next opening outside office hours (Mon 16:00 + 2 h → Tue "
       "08:30)"},
      {basis, from, "cutoff_applies_on_the_spot", yes_no(cutoff_applies_on_the_spot), "reading",
       "DOMAIN.md §2: on the spot = by the end of the working day of receipt; received after "
       "closing or on a day off, the next working day"},
      {basis, from, "period_end", calendar::FormatClockTime(period_end_minutes), "time of day",
       "Civil Code 2015 Art. 148: a period ends at 24:00 of its last day, also for early / on "
       "time / late"},
  };
}

std::string OneStopRuleBook::Describe() const {
  return absl::StrJoin(sets_, "; ", [](std::string* out, const OneStopRules& r) {
    absl::StrAppend(out, "from ", absl::FormatCivilTime(r.in_force_from),
                    ": supplement_window=", r.supplement_window_working_days,
                    ", online_notices=", r.online_deficiency_notices,
                    ", apology_lead=", r.apology_lead_working_days,
                    ", receipt_cutoff=", calendar::FormatClockTime(r.receipt_cutoff_minutes), " (",
                    r.basis, ")");
  });
}

}  // namespace localgov::dossier
