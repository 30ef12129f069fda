#ifndef LOCALGOV_SERVICES_PETITION_RULES_H_
#define LOCALGOV_SERVICES_PETITION_RULES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/statute.h"

namespace localgov::petition {

// The statutory numbers of citizen reception and petitions (DOMAIN.md §3), in this one place.
// A petition follows the set in force on its day of receipt, whatever changes while it is
// open; a law that changes a number from a day is a configured set (LOCALGOV_PETITION_RULES),
// not a release.
struct PetitionRules {
  absl::CivilDay in_force_from;
  std::string basis;  // the legal texts, or LOCALGOV_PETITION_RULES for a configured set

  // Law on Citizen Reception 42/2013 Art. 28 (DOMAIN.md §3): within 10 working days of
  // receipt the citizen is told whether the petition is accepted, refused, forwarded or guided.
  int classification_working_days = 10;
  // Law on Complaints 02/2011 Art. 9: a complaint within 90 days of learning of the decision.
  int complaint_limitation_days = 90;
  // Law on Complaints 02/2011 Art. 27: acceptance within 10 working days of receipt
  // (DOMAIN.md §3 reads the days as working days).
  int complaint_acceptance_working_days = 10;
  // Law on Complaints 02/2011 Art. 28: a first complaint is resolved within 30 days of
  // acceptance, 45 if complex; in remote, difficult areas 45, 60 if complex.
  int first_complaint_days = 30;
  int first_complaint_complex_days = 45;
  int first_complaint_remote_days = 45;
  int first_complaint_remote_complex_days = 60;
  // Law on Complaints 02/2011 Art. 37: a second complaint within 45 days, 60 complex; remote
  // 60, 70 complex.
  int second_complaint_days = 45;
  int second_complaint_complex_days = 60;
  int second_complaint_remote_days = 60;
  int second_complaint_remote_complex_days = 70;
  // Law on Complaints 02/2011 Art. 33: a second complaint within 30 days (45 in remote areas)
  // of the first decision, or of the first period passing without one.
  int second_complaint_window_days = 30;
  int second_complaint_window_remote_days = 45;
  // Law on Denunciation 25/2018 Art. 24: initial handling within 7 working days of receipt,
  // 10 when the checks span several places; outside jurisdiction, forwarded within 5 working
  // days of receipt and the denouncer told.
  int denunciation_initial_working_days = 7;
  int denunciation_initial_several_places_working_days = 10;
  int denunciation_forward_working_days = 5;
  // Law on Denunciation 25/2018 Art. 30: resolved within 30 days of acceptance; a complex case
  // may be extended once, an especially complex one twice, each time by at most 30 days, each
  // extension a decision in writing.
  int denunciation_resolution_days = 30;
  int extension_max_days = 30;
  int extensions_complex = 1;
  int extensions_especially_complex = 2;
  // Law 136/2025/QH15 (from 2026-07-01; DOMAIN.md §3): handling may be suspended while awaiting
  // a related matter's result (the clock stops and resumes), and withdrawn content is not
  // considered again unless the petitioner shows coercion. 0 = no, 1 = yes.
  int suspension_allowed = 0;
  int withdrawal_final = 0;
  // Reception days (reception_rules.h counts them): Law on Citizen Reception 42/2013 Art. 15
  // (commune chair, at least 1 day a week), Art. 12 (provincial chair, 1 day a month) and
  // Art. 18 (heads of other agencies, 1 day a month); Law 136/2025/QH15 from 2026-07-01: the
  // head receives in person, a deputy's session no longer counts toward the head's days.
  int reception_commune_chair_days_per_week = 1;
  int reception_provincial_chair_days_per_month = 1;
  int reception_agency_head_days_per_month = 1;
  int reception_deputy_counts = 1;

  // Every number of the set, for docs/rules.md.
  std::vector<StatuteEntry> Entries() const;
};

// The statutory sets, with the configured ones (LOCALGOV_PETITION_RULES) on top.
class PetitionRuleBook final {
 public:
  static constexpr const char* kVariable = "LOCALGOV_PETITION_RULES";

  // The statutory sets:
  //  - Laws 42/2013 (reception), 02/2011 (complaints) and 25/2018 (denunciation), the last in
  //    force from 2019-01-01 (the first set; earlier petitions follow it too);
  //  - Law 136/2025/QH15 from 2026-07-01: suspension and final withdrawal; no change to the time
  //    limits was reported and the guiding decree is pending, so a set configured for that day
  //    changes them without a release.
  // Then `setting`: sets separated by ';', each "YYYY-MM-DD:key=value,..." with any key of
  // PetitionRules by its name in docs/rules.md. INVALID_ARGUMENT naming what is wrong.
  static absl::StatusOr<PetitionRuleBook> Parse(absl::string_view setting);

  // The set in force on `day` (before the first set: the first).
  const PetitionRules& InForceOn(absl::CivilDay day) const;
  const std::vector<PetitionRules>& sets() const { return sets_; }
  // One line per set, for the log at start.
  std::string Describe() const;

 private:
  std::vector<PetitionRules> sets_;
};

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_RULES_H_
