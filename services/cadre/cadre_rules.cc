#include "services/cadre/cadre_rules.h"

#include <algorithm>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/rule_sets.h"

namespace localgov::cadre {
namespace {

// The province codes of birth registration that open a citizen ID (Circular 07/2016/TT-BCA,
// annex; the 63 provinces before the 2025 mergers — IDs already issued keep them).
const std::set<int>& ProvinceCodes() {
  static const auto& kCodes = *new std::set<int>{
      1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
      34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66,
      67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96};
  return kCodes;
}

CadreRules Law2008() {
  CadreRules r;
  r.in_force_from = absl::CivilDay(2010, 1, 1);
  r.basis =
      "Law on Cadres and Civil Servants 2008; Decree 138/2020 (recruitment, rank-promotion "
      "exams); Decree 112/2020 (discipline); Decree 90/2020 (evaluation); Circular "
      "08/2013/TT-BNV as amended by Circular 03/2021/TT-BNV (salary steps)";
  r.rank_promotion_by_exam = true;
  r.commune_civil_servants_separate = true;
  r.civil_servant_demotion = true;
  return r;
}

CadreRules Law2025() {
  CadreRules r;
  r.in_force_from = absl::CivilDay(2025, 7, 1);
  r.basis =
      "Law on Cadres and Civil Servants 2025; Decrees 170/2025 (recruitment, management by job "
      "position), 171/2025 (training), 172/2025 (discipline), 173/2025; Decree 90/2020 "
      "(evaluation, unverified whether replaced); Circular 08/2013/TT-BNV as amended by "
      "Circular 03/2021/TT-BNV (salary steps)";
  r.rank_promotion_by_exam = false;
  r.commune_civil_servants_separate = false;
  return r;
}

}  // namespace

std::vector<StatuteEntry> CadreRules::Entries() const {
  const std::string from = FormatDay(in_force_from);
  auto e = [&](std::string key, int value, std::string unit, std::string basis_text) {
    return StatuteEntry{
        basis, from, std::move(key), absl::StrCat(value), std::move(unit), std::move(basis_text)};
  };
  return {
      e("raise_months_specialist", raise_months_specialist, "months",
        "Circular 08/2013 Art. 2(1)(a): chuyên viên and above"),
      e("raise_months_staff", raise_months_staff, "months",
        "Circular 08/2013 Art. 2(1)(a): cán sự, nhân viên"),
      e("extension_months_severe", extension_months_severe, "months",
        "Circular 08/2013 Art. 2(2)(c) as amended: dismissal from post, demotion"),
      e("extension_months_moderate", extension_months_moderate, "months",
        "reprimand or warning (cadre, civil servant), warning (public employee), a year not "
        "completed"),
      e("extension_months_light", extension_months_light, "months", "public employee reprimanded"),
      e("early_raise_max_months", early_raise_max_months, "months", "Circular 08/2013 Art. 3"),
      e("early_raise_share_percent", early_raise_share_percent, "percent",
        "Circular 08/2013 Art. 3 (unverified; LOCALGOV_CADRE_RULES)"),
      e("round1_questions", round1_questions, "questions", "recruitment round 1"),
      e("round1_minutes", round1_minutes, "minutes", "recruitment round 1"),
      e("round1_pass_percent", round1_pass_percent, "percent", "recruitment round 1"),
      e("round2_written_weight_percent", round2_written_weight_percent, "percent", "round 2"),
      e("round2_interview_weight_percent", round2_interview_weight_percent, "percent", "round 2"),
      e("round2_min_score", round2_min_score, "points",
        "Decree 138/2020 Art. 10(1)(a) (unverified for 170/2025; LOCALGOV_CADRE_RULES)"),
      e("recruitment_tie_break_round2", tie_break_by_round2 ? 1 : 0, "1 = yes",
        "Decree 138/2020 Art. 10(2) (unverified for 170/2025; LOCALGOV_CADRE_RULES)"),
      e("leadership_term_months", leadership_term_months, "months", "appointment term"),
      e("rotation_min_months", rotation_min_months, "months", "rotation (luân chuyển)"),
      e("evaluation_deadline_day", evaluation_deadline_day, "day of December",
        "Decree 90/2020 (unverified)"),
      e("evaluation_previous_agency_months", evaluation_previous_agency_months, "months",
        "at the old agency in the year: its opinion is included"),
      e("evaluation_excellent_share_percent", evaluation_excellent_share_percent, "percent",
        "Decree 90/2020 (unverified; LOCALGOV_CADRE_RULES), of paid staff"),
      e("limitation_years_light", limitation_years_light, "years", "reprimand-level offences"),
      e("limitation_years_other", limitation_years_other, "years", "other offences"),
      e("discipline_processing_days", discipline_processing_days, "days",
        "from the start of processing to the decision"),
      e("discipline_processing_days_complex", discipline_processing_days_complex, "days",
        "the same, complex cases"),
      e("discipline_effect_months", discipline_effect_months, "months",
        "a decision's effect: raises and appointments wait"),
      e("civil_servant_demotion", civil_servant_demotion ? 1 : 0, "1 = allowed",
        "demotion as a civil servant's discipline (Decree 112/2020; not since 2025-07-01)"),
  };
}

absl::StatusOr<CadreRuleBook> CadreRuleBook::Parse(absl::string_view setting) {
  CadreRuleBook book;
  book.sets_ = {Law2008(), Law2025()};
  // The configurable numbers (DOMAIN.md §4 marks the two shares unverified; the round-2
  // minimum and the tie break come from Decree 138/2020, unverified for 170/2025).
  auto apply = [](CadreRules& r, absl::string_view set, absl::string_view key,
                  absl::string_view value) -> absl::Status {
    if (key == "recruitment_tie_break") {
      if (value != "round2" && value != "none") {
        return BadRuleSet(set, "recruitment_tie_break must be round2 or none");
      }
      r.tie_break_by_round2 = value == "round2";
      return absl::OkStatus();
    }
    if (key == "round2_min_score") {
      int n = 0;
      if (!absl::SimpleAtoi(value, &n) || n < 0 || n > 100) {
        return BadRuleSet(set, "round2_min_score must be 0–100");
      }
      r.round2_min_score = n;
      return absl::OkStatus();
    }
    int* target = key == "early_raise_share_percent" ? &r.early_raise_share_percent
                  : key == "evaluation_excellent_share_percent"
                      ? &r.evaluation_excellent_share_percent
                      : nullptr;
    if (target == nullptr) {
      return BadRuleSet(set, absl::StrCat("unknown rule \"", key,
                                          "\" (early_raise_share_percent, "
                                          "evaluation_excellent_share_percent, round2_min_score, "
                                          "recruitment_tie_break)"));
    }
    int n = 0;
    if (!absl::SimpleAtoi(value, &n) || n < 1 || n > 100) {
      return BadRuleSet(set, absl::StrCat(key, " must be 1–100"));
    }
    *target = n;
    return absl::OkStatus();
  };
  if (auto st = AddConfiguredRuleSets<CadreRules>(book.sets_, setting, kVariable, apply);
      !st.ok()) {
    return st;
  }
  return book;
}

const CadreRules& CadreRuleBook::InForceOn(absl::CivilDay day) const {
  return RulesInForceOn(sets_, day);
}

std::string CadreRuleBook::Describe() const {
  std::vector<std::string> parts;
  for (const auto& s : sets_) {
    parts.push_back(
        absl::StrCat("from ", FormatDay(s.in_force_from),
                     ": early_raise_share_percent=", s.early_raise_share_percent,
                     ", evaluation_excellent_share_percent=", s.evaluation_excellent_share_percent,
                     s.rank_promotion_by_exam ? ", rank exams" : ", no rank exams"));
  }
  return absl::StrJoin(parts, "; ");
}

absl::CivilDay AddMonths(absl::CivilDay day, int months) {
  const absl::CivilMonth m = absl::CivilMonth(day) + months;
  const absl::CivilDay first(m);
  const int last = static_cast<int>((absl::CivilDay(m + 1) - 1).day());
  return first + (std::min<int>(day.day(), last) - 1);
}

int MonthsBetween(absl::CivilDay from, absl::CivilDay to) {
  int months = static_cast<int>(absl::CivilMonth(to) - absl::CivilMonth(from));
  while (months > 0 && AddMonths(from, months) > to) --months;
  return months;
}

int RaiseIntervalMonths(const CadreRules& r, RankLevel rank) {
  return rank >= RankLevel::kChuyenVien ? r.raise_months_specialist : r.raise_months_staff;
}

int SanctionExtensionMonths(const CadreRules& r, PersonGroup group, Sanction sanction) {
  switch (sanction) {
    case Sanction::kDismissalFromPost:
      return r.extension_months_severe;
    case Sanction::kDemotion:
      return group == PersonGroup::kCivilServant ? r.extension_months_severe : 0;
    case Sanction::kWarning:
      return r.extension_months_moderate;
    case Sanction::kReprimand:
      return group == PersonGroup::kPublicEmployee ? r.extension_months_light
                                                   : r.extension_months_moderate;
    case Sanction::kRemoval:
    case Sanction::kForcedTermination:
      return 0;  // the person leaves the post or the service: no raise to extend
  }
  return 0;
}

absl::CivilDay NextRegularRaise(const CadreRules& r, RankLevel rank, absl::CivilDay last_step,
                                int extension_months) {
  return AddMonths(last_step, RaiseIntervalMonths(r, rank) + extension_months);
}

absl::CivilDay LeadershipTermEnd(const CadreRules& r, absl::CivilDay from) {
  return AddMonths(from, r.leadership_term_months);
}

bool RotationLongEnough(const CadreRules& r, absl::CivilDay from, absl::CivilDay until) {
  return until >= AddMonths(from, r.rotation_min_months);
}

bool Round1Passed(const CadreRules& r, int correct) {
  return correct * 100 >= r.round1_questions * r.round1_pass_percent;
}

int Round2ScoreX100(const CadreRules& r, int written, std::optional<int> interview) {
  if (!interview.has_value()) return written * 100;
  return written * r.round2_written_weight_percent + *interview * r.round2_interview_weight_percent;
}

std::string CitizenIdProblem(std::string_view id, std::optional<absl::CivilDay> birth,
                             std::optional<bool> female) {
  if (id.size() != 12 ||
      !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "must be 12 digits";
  }
  const int province = (id[0] - '0') * 100 + (id[1] - '0') * 10 + (id[2] - '0');
  if (!ProvinceCodes().contains(province)) return "does not start with a province code";
  const int cg = id[3] - '0';
  if (cg > 9) return "bad century-and-gender digit";
  const int century = 1900 + (cg / 2) * 100;
  const int year = century + (id[4] - '0') * 10 + (id[5] - '0');
  if (birth.has_value() && birth->year() != year) {
    return "its birth year digits do not match birth_date";
  }
  if (female.has_value() && (cg % 2 == 1) != *female) {
    return "its gender digit does not match gender";
  }
  return "";
}

std::optional<absl::CivilDay> ParseDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!absl::SimpleAtoi(std::string(text.substr(0, 4)), &y) ||
      !absl::SimpleAtoi(std::string(text.substr(5, 2)), &m) ||
      !absl::SimpleAtoi(std::string(text.substr(8, 2)), &d)) {
    return std::nullopt;
  }
  if (y < 1900 || y > 2199) return std::nullopt;
  const absl::CivilDay day(y, m, d);
  if (day.year() != y || day.month() != m || day.day() != d) return std::nullopt;
  return day;
}

std::string FormatDay(absl::CivilDay day) { return absl::FormatCivilTime(day); }

namespace {
// The successor `link` answers through on `day`, or empty.
const std::string& SuccessorOn(const AgencyLink& link, absl::CivilDay day) {
  static const std::string& kNone = *new std::string();
  if (link.successor.empty() || (link.merged_on.has_value() && *link.merged_on > day)) {
    return kNone;
  }
  return link.successor;
}
}  // namespace

bool MayManage(const AgencyGraph& graph, std::string_view caller, std::string_view target,
               absl::CivilDay day) {
  if (caller.empty()) return false;
  // Walk up from the target: its successors (the agency answering for a merged one) and its
  // supervisors, transitively; the caller manages it when met on the way.
  std::set<std::string, std::less<>> seen;
  std::vector<std::string> todo = {std::string(target)};
  while (!todo.empty()) {
    std::string code = std::move(todo.back());
    todo.pop_back();
    if (!seen.insert(code).second) continue;
    if (code == caller) return true;
    auto it = graph.find(code);
    if (it == graph.end()) continue;
    if (const auto& s = SuccessorOn(it->second, day); !s.empty()) todo.push_back(s);
    for (const auto& s : it->second.supervisors) todo.push_back(s);
  }
  return false;
}

std::vector<std::string> AnsweredBy(const AgencyGraph& graph, std::string_view code,
                                    absl::CivilDay day) {
  std::set<std::string> merged;
  bool grew = true;
  while (grew) {
    grew = false;
    for (const auto& [c, link] : graph) {
      const std::string& successor = SuccessorOn(link, day);
      if (successor.empty() || merged.contains(c) || c == code) continue;
      if (successor == code || merged.contains(successor)) {
        merged.insert(c);
        grew = true;
      }
    }
  }
  std::vector<std::string> out = {std::string(code)};
  out.insert(out.end(), merged.begin(), merged.end());
  return out;
}

bool MeetsStandards(const Standards& required, const Standards& held) {
  if (held.professional_level < required.professional_level) return false;
  if (!required.field.empty() && held.field != required.field) return false;
  if (held.political_theory < required.political_theory) return false;
  if (required.state_management && !held.state_management) return false;
  return true;
}

namespace {

// The report's names of ProfessionalLevel and PoliticalTheoryLevel values.
std::string ProfessionalName(int level) {
  static constexpr const char* kNames[] = {"none", "untrained", "intermediate", "college",
                                           "university"};
  return level >= 0 && level <= 4 ? kNames[level] : absl::StrCat("level ", level);
}
std::string PoliticalName(int level) {
  static constexpr const char* kNames[] = {"none", "elementary", "intermediate", "advanced"};
  return level >= 0 && level <= 3 ? kNames[level] : absl::StrCat("level ", level);
}

}  // namespace

StandardsVerdict JudgeStandards(const Standards& required,
                                const std::vector<std::pair<int, std::string>>& professional,
                                int political_theory, bool state_management) {
  StandardsVerdict out;
  std::vector<std::pair<int, std::string>> held = professional;
  if (held.empty()) held.emplace_back(0, "");
  for (const auto& [level, field] : held) {
    out.meets =
        out.meets || MeetsStandards(required, {level, field, political_theory, state_management});
  }
  if (out.meets) return out;
  std::vector<std::string> why;
  int top = 0;
  bool level_met = false, field_met = false;
  for (const auto& [level, field] : held) {
    top = std::max(top, level);
    const bool level_ok = level >= required.professional_level;
    level_met = level_met || level_ok;
    field_met = field_met || (level_ok && (required.field.empty() || field == required.field));
  }
  if (!level_met) {
    why.push_back(absl::StrCat("professional level ", ProfessionalName(top), " below ",
                               ProfessionalName(required.professional_level)));
  } else if (!field_met) {
    why.push_back(absl::StrCat("no qualification at ",
                               ProfessionalName(required.professional_level), " or above in ",
                               required.field));
  }
  if (political_theory < required.political_theory) {
    why.push_back(absl::StrCat("political theory ", PoliticalName(political_theory), " below ",
                               PoliticalName(required.political_theory)));
  }
  if (required.state_management && !state_management) {
    why.push_back("no state-management training");
  }
  out.reason = absl::StrJoin(why, "; ");
  return out;
}

}  // namespace localgov::cadre
