#ifndef LOCALGOV_SERVICES_DOSSIER_RULES_H_
#define LOCALGOV_SERVICES_DOSSIER_RULES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/calendar/calendar.h"
#include "common/statute.h"

namespace localgov::dossier {

// The one-stop mechanism's statutory numbers (DOMAIN.md §1–2), in this one place.
//
// Decree 61/2018 Art. 16: an incomplete dossier found at appraisal is returned with a request
// to complete within 3 working days of intake.
inline constexpr int kSupplementWindowWorkingDays = 3;
// DOMAIN.md §1 (Decree 61/2018, online procedures): the deficiencies of an online dossier are
// notified once — at intake or at appraisal, not both, and not again after it was completed.
// Dossiers handed in at the counter or by post are not limited this way (the applicant is
// asked in person, everything missing at once).
inline constexpr int kOnlineDeficiencyNotices = 1;
// Decree 61/2018 Art. 19: the apology and new date come no later than 1 working day before
// the due date (we read it as: by the end of the last working day before the due date).
inline constexpr int kApologyLeadWorkingDays = 1;
// The 15:00 rule: calendar::kReceiptCutoffMinutes (common/calendar/calendar.h).

// One rule set, in force from a day until the next set's day. Laws change (DOMAIN.md: every
// rule set is versioned by effective date): a dossier follows the set in force on the day it
// was received, whatever changes while it is open.
struct OneStopRules {
  absl::CivilDay in_force_from;
  std::string basis;  // the legal text, or LOCALGOV_ONE_STOP_RULES for a configured set
  int supplement_window_working_days = kSupplementWindowWorkingDays;
  int online_deficiency_notices = kOnlineDeficiencyNotices;
  int apology_lead_working_days = kApologyLeadWorkingDays;
  int receipt_cutoff_minutes = calendar::kReceiptCutoffMinutes;  // after midnight, local time
  // The readings DOMAIN.md §2 settles (calendar::Counting says what each means): limits in
  // working hours and on the spot are not subject to the 15:00 rule; a period ends at 24:00.
  bool cutoff_applies_to_working_hours = false;
  bool cutoff_applies_on_the_spot = false;
  int period_end_minutes = 24 * 60;

  // How this set counts a limit.
  calendar::Counting counting() const {
    return {.receipt_cutoff_minutes = receipt_cutoff_minutes,
            .cutoff_applies_to_working_hours = cutoff_applies_to_working_hours,
            .cutoff_applies_on_the_spot = cutoff_applies_on_the_spot,
            .period_end_minutes = period_end_minutes};
  }
  // Every number and reading of the set, for docs/rules.md.
  std::vector<StatuteEntry> Entries() const;
};

// The statutory rule sets, with the configured ones (LOCALGOV_ONE_STOP_RULES) on top.
class OneStopRuleBook final {
 public:
  static constexpr const char* kVariable = "LOCALGOV_ONE_STOP_RULES";

  // The statutory sets:
  //  - Decree 61/2018/ND-CP, in force from 2018-06-21;
  //  - Decree 118/2025/ND-CP, in force from 2025-07-01, which replaced it. Its full text is not
  //    at hand (DOMAIN.md §1: keep the rules configurable), so it keeps Decree 61/2018's numbers
  //    until a configured set says otherwise.
  // Then `setting`: sets separated by ';', each "YYYY-MM-DD:key=value,..." with the keys
  // supplement_window (1–30 working days), online_notices (1–10), apology_lead (0–10 working
  // days) and receipt_cutoff (HH:MM). A set starts from the set in force the day before its
  // own and changes what it names; a set on a day already present replaces it.
  // INVALID_ARGUMENT naming what is wrong.
  static absl::StatusOr<OneStopRuleBook> Parse(absl::string_view setting);

  // The set in force on `day` (before the first set: the first).
  const OneStopRules& InForceOn(absl::CivilDay day) const;
  // In order of their days.
  const std::vector<OneStopRules>& sets() const { return sets_; }
  // One line per set, for the log at start.
  std::string Describe() const;

 private:
  std::vector<OneStopRules> sets_;
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_RULES_H_
