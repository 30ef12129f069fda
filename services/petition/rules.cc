#include "services/petition/rules.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/rule_sets.h"

namespace localgov::petition {
namespace {

// One number of a set: its key, where it lives, its bounds, unit and legal basis.
struct Number {
  const char* key;
  int PetitionRules::*field;
  int min, max;
  const char* unit;
  const char* basis;
};

constexpr Number kNumbers[] = {
    {"classification", &PetitionRules::classification_working_days, 1, 60, "working days",
     "Law on Citizen Reception 42/2013 Art. 28: the citizen is told within this many working "
     "days of receipt: accepted, refused (why), forwarded (to whom) or guided"},
    {"complaint_limitation", &PetitionRules::complaint_limitation_days, 1, 365, "days",
     "Law on Complaints 02/2011 Art. 9: from the day the complainant learned of the decision; "
     "a last day off moves to the next working day (Civil Code 2015 Art. 148)"},
    {"complaint_acceptance", &PetitionRules::complaint_acceptance_working_days, 1, 60,
     "working days", "Law on Complaints 02/2011 Art. 27: acceptance (thụ lý) from receipt"},
    {"first_complaint", &PetitionRules::first_complaint_days, 1, 365, "days",
     "Law on Complaints 02/2011 Art. 28: first complaint, from acceptance"},
    {"first_complaint_complex", &PetitionRules::first_complaint_complex_days, 1, 365, "days",
     "Law on Complaints 02/2011 Art. 28: first complaint, complex"},
    {"first_complaint_remote", &PetitionRules::first_complaint_remote_days, 1, 365, "days",
     "Law on Complaints 02/2011 Art. 28: first complaint, remote and difficult area"},
    {"first_complaint_remote_complex", &PetitionRules::first_complaint_remote_complex_days, 1, 365,
     "days", "Law on Complaints 02/2011 Art. 28: first complaint, remote and complex"},
    {"second_complaint", &PetitionRules::second_complaint_days, 1, 365, "days",
     "Law on Complaints 02/2011 Art. 37: second complaint, from acceptance"},
    {"second_complaint_complex", &PetitionRules::second_complaint_complex_days, 1, 365, "days",
     "Law on Complaints 02/2011 Art. 37: second complaint, complex"},
    {"second_complaint_remote", &PetitionRules::second_complaint_remote_days, 1, 365, "days",
     "Law on Complaints 02/2011 Art. 37: second complaint, remote and difficult area"},
    {"second_complaint_remote_complex", &PetitionRules::second_complaint_remote_complex_days, 1,
     365, "days", "Law on Complaints 02/2011 Art. 37: second complaint, remote and complex"},
    {"second_complaint_window", &PetitionRules::second_complaint_window_days, 1, 365, "days",
     "Law on Complaints 02/2011 Art. 33: a second complaint from the first decision, or from the "
     "first period passing without one, with the first decision attached"},
    {"second_complaint_window_remote", &PetitionRules::second_complaint_window_remote_days, 1, 365,
     "days", "Law on Complaints 02/2011 Art. 33: the same in a remote, difficult area"},
    {"denunciation_initial", &PetitionRules::denunciation_initial_working_days, 1, 60,
     "working days", "Law on Denunciation 25/2018 Art. 24: initial handling from receipt"},
    {"denunciation_initial_several_places",
     &PetitionRules::denunciation_initial_several_places_working_days, 1, 60, "working days",
     "Law on Denunciation 25/2018 Art. 24: initial handling when checks span several places"},
    {"denunciation_forward", &PetitionRules::denunciation_forward_working_days, 1, 60,
     "working days",
     "Law on Denunciation 25/2018 Art. 24: outside jurisdiction, forwarded from receipt and the "
     "denouncer told"},
    {"denunciation_resolution", &PetitionRules::denunciation_resolution_days, 1, 365, "days",
     "Law on Denunciation 25/2018 Art. 30: resolution from acceptance"},
    {"extension_max", &PetitionRules::extension_max_days, 1, 365, "days",
     "Law on Denunciation 25/2018 Art. 30: each extension at most this long, a written decision"},
    {"extensions_complex", &PetitionRules::extensions_complex, 0, 10, "extensions",
     "Law on Denunciation 25/2018 Art. 30: a complex case may be extended once"},
    {"extensions_especially_complex", &PetitionRules::extensions_especially_complex, 0, 10,
     "extensions", "Law on Denunciation 25/2018 Art. 30: an especially complex case, twice"},
    {"suspension_allowed", &PetitionRules::suspension_allowed, 0, 1, "yes (1) / no (0)",
     "Law 136/2025/QH15 (from 2026-07-01): handling may be suspended while awaiting a related "
     "matter's result; the clock stops and resumes"},
    {"withdrawal_final", &PetitionRules::withdrawal_final, 0, 1, "yes (1) / no (0)",
     "Law 136/2025/QH15 (from 2026-07-01): withdrawn content is not considered again unless the "
     "petitioner shows coercion"},
    {"reception_commune_chair", &PetitionRules::reception_commune_chair_days_per_week, 0, 7,
     "days a week",
     "Law on Citizen Reception 42/2013 Art. 15: the commune People's Committee chair receives "
     "citizens at least this many days a week (a week without a working day requires none)"},
    {"reception_provincial_chair", &PetitionRules::reception_provincial_chair_days_per_month, 0, 31,
     "days a month",
     "Law on Citizen Reception 42/2013 Art. 12: the provincial People's Committee chair"},
    {"reception_agency_head", &PetitionRules::reception_agency_head_days_per_month, 0, 31,
     "days a month",
     "Law on Citizen Reception 42/2013 Art. 18: the head of another state administrative agency"},
    {"reception_deputy_counts", &PetitionRules::reception_deputy_counts, 0, 1, "yes (1) / no (0)",
     "Law on Citizen Reception 42/2013 Art. 12, 15, 18 (a deputy may receive on the head's behalf: "
     "1); Law 136/2025/QH15 from 2026-07-01: the head receives in person (0)"},
};

absl::Status Apply(PetitionRules& r, absl::string_view set, absl::string_view key,
                   absl::string_view value) {
  for (const Number& n : kNumbers) {
    if (key != n.key) continue;
    int v = 0;
    if (!absl::SimpleAtoi(value, &v) || v < n.min || v > n.max) {
      return BadRuleSet(set, absl::StrCat(key, " must be ", n.min, "–", n.max, " ", n.unit,
                                          ", not \"", value, "\""));
    }
    r.*n.field = v;
    return absl::OkStatus();
  }
  std::vector<std::string> keys;
  for (const Number& n : kNumbers) keys.push_back(n.key);
  return BadRuleSet(set,
                    absl::StrCat("unknown rule \"", key, "\" (", absl::StrJoin(keys, ", "), ")"));
}

}  // namespace

absl::StatusOr<PetitionRuleBook> PetitionRuleBook::Parse(absl::string_view setting) {
  PetitionRuleBook book;
  PetitionRules laws;
  laws.in_force_from = absl::CivilDay(2019, 1, 1);
  laws.basis = "Laws 42/2013, 02/2011, 25/2018/QH14";
  PetitionRules law136 = laws;
  law136.in_force_from = absl::CivilDay(2026, 7, 1);
  law136.basis = "Law 136/2025/QH15 (time limits unchanged as reported; guiding decree pending)";
  law136.suspension_allowed = 1;
  law136.withdrawal_final = 1;
  law136.reception_deputy_counts = 0;
  book.sets_ = {laws, law136};
  if (auto st = AddConfiguredRuleSets<PetitionRules>(book.sets_, setting, kVariable, Apply);
      !st.ok()) {
    return st;
  }
  return book;
}

const PetitionRules& PetitionRuleBook::InForceOn(absl::CivilDay day) const {
  return RulesInForceOn(sets_, day);
}

std::vector<StatuteEntry> PetitionRules::Entries() const {
  std::vector<StatuteEntry> out;
  const std::string from = absl::FormatCivilTime(in_force_from);
  for (const Number& n : kNumbers) {
    out.push_back({basis, from, n.key, absl::StrCat(this->*n.field), n.unit, n.basis});
  }
  return out;
}

std::string PetitionRuleBook::Describe() const {
  // The first set in full, then what each later set changes.
  std::string out;
  const PetitionRules* before = nullptr;
  for (const auto& r : sets_) {
    if (!out.empty()) out += "; ";
    absl::StrAppend(&out, "from ", absl::FormatCivilTime(r.in_force_from), " (", r.basis, "):");
    for (const Number& n : kNumbers) {
      if (before == nullptr || before->*n.field != r.*n.field) {
        absl::StrAppend(&out, " ", n.key, "=", r.*n.field);
      }
    }
    before = &r;
  }
  return out;
}

}  // namespace localgov::petition
