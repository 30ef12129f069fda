#ifndef LOCALGOV_SERVICES_CADRE_CADRE_RULES_H_
#define LOCALGOV_SERVICES_CADRE_CADRE_RULES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/statute.h"
#include "common/text.h"

namespace localgov::cadre {

// The law on cadres and civil servants (DOMAIN.md §4): pure functions of values, no I/O, no
// clock. Every number lives in a CadreRules set, versioned by effective date.

// Rank groups as the salary-step rule distinguishes them.
enum class RankLevel {
  kNone = 0,
  kNhanVien,
  kCanSu,
  kChuyenVien,
  kChuyenVienChinh,
  kChuyenVienCaoCap,
  kChuyenGiaCaoCap
};

// Sanctions and ratings that extend the regular raise period (Circular 08/2013/TT-BNV Art. 2,
// as amended by Circular 03/2021/TT-BNV).
enum class PersonGroup { kCadre, kCivilServant, kPublicEmployee, kContracted };
enum class Sanction {
  kReprimand,
  kWarning,
  kDemotion,
  kDismissalFromPost,
  kRemoval,
  kForcedTermination
};

// One rule set, in force from a day until the next set's day.
struct CadreRules {
  absl::CivilDay in_force_from;
  std::string basis;
  // Circular 08/2013/TT-BNV Art. 2(1)(a), as amended by Circular 03/2021/TT-BNV: a regular
  // step raise every 36 months for chuyên viên and above, 24 months for cán sự and nhân viên,
  // counted from the date of the last step.
  int raise_months_specialist = 36;
  int raise_months_staff = 24;
  // Art. 2(2)(c): the raise period is extended, cumulatively, by 12 months (a cadre dismissed
  // from post; a civil servant demoted or dismissed from post; a public employee dismissed
  // from post), 6 months (a cadre or civil servant reprimanded or warned, a public employee
  // warned, each year rated "did not complete"), 3 months (a public employee reprimanded).
  int extension_months_severe = 12;
  int extension_months_moderate = 6;
  int extension_months_light = 3;
  // Art. 3: an early raise for outstanding achievement, up to 12 months early, for at most 10%
  // of an agency's paid staff a year. The share is *unverified* (DOMAIN.md §4): configuration
  // (LOCALGOV_CADRE_RULES early_raise_share_percent), this is its statutory default.
  int early_raise_max_months = 12;
  int early_raise_share_percent = 10;
  // Recruitment (Decree 170/2025 from 2025-07-01; Decree 138/2020 before): round 1 computer
  // test of 60 questions in 60 minutes, passed at ≥ 50 %; round 2 written, or written and
  // interview weighted 70/30, each scored out of 100.
  int round1_questions = 60;
  int round1_minutes = 60;
  int round1_pass_percent = 50;
  int round2_written_weight_percent = 70;
  int round2_interview_weight_percent = 30;
  int round2_max_score = 100;
  // To be selected a candidate needs at least this round-2 score (Decree 138/2020 Art. 10(1)(a),
  // kept by Decree 170/2025 per secondary sources: *unverified*, configuration
  // LOCALGOV_CADRE_RULES round2_min_score, this is its default).
  int round2_min_score = 50;
  // Ties at the last post of the quota (Decree 138/2020 Art. 10(2), *unverified* for Decree
  // 170/2025, configuration recruitment_tie_break): candidates are ranked by round-2 score plus
  // priority points; at an equal total the higher round-2 score wins ("round2", the default);
  // if still equal (or with "none") the head of the recruiting agency decides: every candidate
  // of that tie is reported TIED and none of them is selected by the system.
  bool tie_break_by_round2 = true;
  // Leadership appointment term: 5 years; rotation (luân chuyển): at least 36 months.
  int leadership_term_months = 60;
  int rotation_min_months = 36;
  // Annual evaluation: before 15 December; someone who moved after ≥ 6 months at the old
  // agency gets its opinion included (Decree 90/2020, *unverified* whether replaced).
  int evaluation_deadline_month = 12;
  int evaluation_deadline_day = 15;
  int evaluation_previous_agency_months = 6;
  // The share of an agency's paid staff rated "excellent" in a year. Decree 90/2020 Art. 20
  // caps it (at 20 %, counted there against those rated "good" or above); DOMAIN.md §4 marks
  // it *unverified*: configuration (LOCALGOV_CADRE_RULES evaluation_excellent_share_percent),
  // this is its default, counted against paid staff so the cap does not depend on the order
  // in which ratings arrive.
  int evaluation_excellent_share_percent = 20;
  // Discipline (Decree 172/2025 from 2025-07-01; Decree 112/2020 before): limitation 5 years
  // for reprimand-level offences, 10 years otherwise; processing ≤ 90 days (≤ 150 when
  // complex); a decision has effect for 12 months.
  int limitation_years_light = 5;
  int limitation_years_other = 10;
  int discipline_processing_days = 90;
  int discipline_processing_days_complex = 150;
  int discipline_effect_months = 12;
  // Demotion (hạ bậc lương / giáng chức) was a form for civil servants under Decree 112/2020;
  // the 2025 law lists reprimand, warning, dismissal from post (leaders), forced termination.
  bool civil_servant_demotion = false;
  // Decree 170/2025 abolished rank-promotion exams (management by job position); commune
  // civil servants are managed like the others since 2025-07-01.
  bool rank_promotion_by_exam = false;
  bool commune_civil_servants_separate = false;

  std::vector<StatuteEntry> Entries() const;
};

// The statutory sets, with configured ones (LOCALGOV_CADRE_RULES) on top.
class CadreRuleBook final {
 public:
  static constexpr const char* kVariable = "LOCALGOV_CADRE_RULES";
  // Statutory: Law on Cadres and Civil Servants 2008 with its decrees (from 2010-01-01) and
  // the 2025 law with Decrees 170–173/2025 (from 2025-07-01). Then `setting`: sets separated
  // by ';', each "YYYY-MM-DD:key=value,..." with keys early_raise_share_percent and
  // evaluation_excellent_share_percent (1–100),
  // starting from the set in force the day before. INVALID_ARGUMENT naming what is wrong.
  static absl::StatusOr<CadreRuleBook> Parse(absl::string_view setting);
  const CadreRules& InForceOn(absl::CivilDay day) const;
  const std::vector<CadreRules>& sets() const { return sets_; }
  std::string Describe() const;

 private:
  std::vector<CadreRules> sets_;
};

// `day` plus `months` calendar months, clamped to the month's last day (31 Jan + 1 = 28/29
// Feb).
absl::CivilDay AddMonths(absl::CivilDay day, int months);
// Whole months from `from` to `to` (to >= from), as AddMonths counts them.
int MonthsBetween(absl::CivilDay from, absl::CivilDay to);

// The months between regular step raises for a rank.
int RaiseIntervalMonths(const CadreRules& r, RankLevel rank);
// The extension of the raise period for one sanction; 0 when the rule gives none.
int SanctionExtensionMonths(const CadreRules& r, PersonGroup group, Sanction sanction);
// The day of the next regular raise: last step + interval + extensions (sanctions and each
// year rated "did not complete", 6 months each).
absl::CivilDay NextRegularRaise(const CadreRules& r, RankLevel rank, absl::CivilDay last_step,
                                int extension_months);
// The end of a leadership term that starts on `from` (the first day no longer in office).
absl::CivilDay LeadershipTermEnd(const CadreRules& r, absl::CivilDay from);
// Whether a rotation [from, until) lasts at least the minimum.
bool RotationLongEnough(const CadreRules& r, absl::CivilDay from, absl::CivilDay until);
// Round 1 of recruitment: passed with `correct` answers?
bool Round1Passed(const CadreRules& r, int correct);
// Round 2 score ×100 (two decimals kept exact): written only, or 70/30 with the interview.
int Round2ScoreX100(const CadreRules& r, int written, std::optional<int> interview);

// One candidate of a recruitment round as the ranking sees it (cadre_rules_recruitment.cc).
struct CandidateScores {
  int64_t id = 0;
  std::optional<int> round1_correct;  // of round1_questions
  std::optional<int> written;         // of round2_max_score
  std::optional<int> interview;       // of round2_max_score; only with an interview
  int priority_points_x100 = 0;       // 0, 250, 500 or 750 (Decree 138/2020 Art. 5)
};
enum class CandidateOutcome {
  kNotScored,     // a score the round needs is missing
  kFailedRound1,  // round 1 below the pass mark
  kBelowMinimum,  // round 2 below round2_min_score
  kSelected,      // within the quota
  kTied,          // tied at the last post: the head of the agency decides
  kNotSelected,   // ranked beyond the quota
};
struct RankedCandidate {
  int64_t id = 0;
  int round2_x100 = 0;  // Round2ScoreX100 (0 unless scored)
  int total_x100 = 0;   // round 2 + priority points
  int place = 0;        // 1-based among the ranked; equal for a tie; 0 when not ranked
  CandidateOutcome outcome = CandidateOutcome::kNotScored;
};
// Ranks a round's candidates against `quota` posts: those who passed round 1 and have every
// round-2 score (the interview only `with_interview`) at or above the minimum, by total then
// (tie_break_by_round2) round-2 score; then the unranked, in id order. A group tied across
// the last post is kTied, and the posts it would take stay open for the head's decision.
std::vector<RankedCandidate> RankCandidates(const CadreRules& r, bool with_interview, int quota,
                                            std::vector<CandidateScores> candidates);
// The name used in reports and the CLI (e.g. "SELECTED").
std::string_view OutcomeName(CandidateOutcome outcome);

// A 12-digit citizen ID (căn cước, Circular 07/2016/TT-BCA, Circular 59/2021/TT-BCA): three
// digits of the province of birth registration (a code of the list), one digit of century and
// gender (0/1: 20th century male/female, 2/3: 21st, 4/5: 22nd ...), two digits of the birth
// year, six digits. Returns why it is not valid ("" when it is); birth year and gender are
// checked when given.
std::string CitizenIdProblem(std::string_view id, std::optional<absl::CivilDay> birth,
                             std::optional<bool> female);

// Parses YYYY-MM-DD strictly (a real day).
std::optional<absl::CivilDay> ParseDay(std::string_view text);
std::string FormatDay(absl::CivilDay day);

// Agencies, their supervisors and their successors after mergers.
struct AgencyLink {
  std::vector<std::string> supervisors;
  std::string successor;
  // The day the merger into `successor` takes effect (DOMAIN.md §0): the link counts from then.
  std::optional<absl::CivilDay> merged_on;
};
using AgencyGraph = std::map<std::string, AgencyLink, std::less<>>;
// Whether staff of `caller` manage the staff of `target`: the same agency; `target` merged
// into `caller` (directly or through others); or `caller` supervises `target` or one of
// `target`'s supervisors or successors, directly or through others.
// A merger counts from its day: on `day`, only the links in force.
bool MayManage(const AgencyGraph& graph, std::string_view caller, std::string_view target,
               absl::CivilDay day);
// The codes whose records `code` answers for: itself, then every agency merged into it,
// directly or through others, in code order.
std::vector<std::string> AnsweredBy(const AgencyGraph& graph, std::string_view code,
                                    absl::CivilDay day);

// Whether a person's qualifications meet a position's standards.
struct Standards {
  int professional_level = 0;
  std::string field;
  int political_theory = 0;
  bool state_management = false;
};
bool MeetsStandards(const Standards& required, const Standards& held);

// One person against their position's standards, as the standards report counts them: met when
// the political theory and state management held meet `required` and so does one of the
// professional qualifications held, each a level and a field (with none recorded: level 0, no
// field). Otherwise `reason` says every shortfall, in words ("; " between them).
struct StandardsVerdict {
  bool meets = false;
  std::string reason;
};
StandardsVerdict JudgeStandards(const Standards& required,
                                const std::vector<std::pair<int, std::string>>& professional,
                                int political_theory, bool state_management);

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_CADRE_RULES_H_
