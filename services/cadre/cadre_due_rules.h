// What falls due for a cadre, from their history: discipline (Decree 172/2025), the annual
// evaluation (Decree 90/2020) and the regular salary-step raise (Circular 08/2013/TT-BNV as
// amended by Circular 03/2021/TT-BNV). Pure functions of values; every number comes from a
// CadreRules set (cadre_rules.h).
#ifndef LOCALGOV_SERVICES_CADRE_CADRE_DUE_RULES_H_
#define LOCALGOV_SERVICES_CADRE_CADRE_DUE_RULES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/cadre/cadre_rules.h"

namespace localgov::cadre {

// The gravity of the conduct, for the limitation period.
enum class OffenceLevel { kReprimandLevel, kOther, kForgedDiploma };

std::string SanctionName(Sanction s);

// Why `sanction` is not a form of discipline for `group` under `r` ("" when it is). Cadres:
// reprimand, warning, dismissal from post, removal from elected office; civil servants:
// reprimand, warning, dismissal from post (leaders only), forced termination (demotion too
// where r.civil_servant_demotion); public employees (Law on Public Employees 2010 Art. 52):
// reprimand, warning, dismissal from post (leaders only), forced termination; contracted
// staff: none (the Labour Code disciplines them).
std::string DisciplineFormProblem(const CadreRules& r, PersonGroup group, Sanction sanction,
                                  bool leader);

// The last day on which processing of conduct of `conduct` may start; nullopt when there is no
// limitation (forged diplomas). A period in years ends on the corresponding day of the last
// year (Civil Code 2015 Art. 147–148: it starts the day after the conduct).
std::optional<absl::CivilDay> LimitationLastDay(const CadreRules& r, absl::CivilDay conduct,
                                                OffenceLevel level);
// The last day for the decision when processing started on `started`.
absl::CivilDay ProcessingLastDay(const CadreRules& r, absl::CivilDay started, bool complex);
// The first day a decision taking effect on `effect_from` no longer has effect.
absl::CivilDay DisciplineEffectUntil(const CadreRules& r, absl::CivilDay effect_from);

// The day by which the evaluation of `year` is due (15 December).
absl::CivilDay EvaluationDeadline(const CadreRules& r, int year);
// Whether the evaluation of `year` needs the old agency's opinion: the person was at the old
// agency from `old_from` and moved on `moved_on`; only the months of `year` count.
bool PreviousAgencyOpinionRequired(const CadreRules& r, int year, absl::CivilDay old_from,
                                   absl::CivilDay moved_on);
// How many of `staff` people a share of `percent` allows (rounded down).
int ShareAllows(int percent, int staff);

// A person's salary-step history and what extends or shortens the raise period.
struct RankSpan {
  absl::CivilDay from;
  RankLevel rank = RankLevel::kNone;
  int step = 0;
  int coefficient_x100 = 0;
};
struct DisciplineSpan {
  absl::CivilDay effect_from;
  absl::CivilDay effect_until;
  Sanction sanction = Sanction::kReprimand;
};
struct RatedYear {
  int year = 0;
  absl::CivilDay evaluated_on;
  bool not_completed = false;
  int early_raise_months = 0;  // an early raise for outstanding achievement granted then
};
struct RaiseHistory {
  PersonGroup group = PersonGroup::kCivilServant;
  std::vector<RankSpan> ranks;  // by `from`, the last one in force
  std::vector<DisciplineSpan> disciplines;
  std::vector<RatedYear> ratings;
};
struct DueRaise {
  absl::CivilDay last_step;
  absl::CivilDay due;
  std::vector<std::string> reasons;  // e.g. "+12 months: dismissal from post 2026-03-01"
};
// The next regular raise. The last step date is the first day of the current coefficient: a
// change of rank at the same coefficient keeps the step's time (Circular 02/2007/TT-BNV §II.1;
// a new coefficient starts it again). The interval is that of the rank in force; each
// discipline and each year rated "did not complete" whose effect falls within the period
// (on or after the last step, before the raise as extended so far) extends it, cumulatively;
// an early raise granted within the period shortens it (not before the day it was granted);
// a raise falling within a discipline's effect waits for its end. nullopt without a rank.
std::optional<DueRaise> NextRaise(const CadreRuleBook& book, const RaiseHistory& h);

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_CADRE_DUE_RULES_H_
