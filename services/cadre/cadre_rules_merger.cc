#include "services/cadre/cadre_rules_merger.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/crypto.h"
#include "common/text.h"
#include "services/cadre/cadre_rules.h"

namespace localgov::cadre {
namespace {

constexpr size_t kMaxCode = 64;

// Names compared case-, accent- and space-insensitively.
std::string NameKey(const std::string& name) { return absl::StrJoin(FoldedWords(name), " "); }

// `code` without `prefix` and a following '-', '.' or '_' (the old agency's or unit's code).
std::string Suffix(const std::string& code, const std::string& prefix) {
  if (!prefix.empty() && code.size() > prefix.size() + 1 && absl::StartsWith(code, prefix)) {
    const char sep = code[prefix.size()];
    if (sep == '-' || sep == '.' || sep == '_') return code.substr(prefix.size() + 1);
  }
  return code;
}

// `base`, or `base`-2, -3... when taken; `clash` set to `base` when it was.
std::string FreeCode(const std::string& base, std::set<std::string>& taken, std::string& clash) {
  std::string code = base;
  for (int n = 2; taken.contains(code); ++n) code = absl::StrCat(base, "-", n);
  if (code != base) clash = base;
  taken.insert(code);
  return code;
}

void Block(v1::MergerPlan& plan, const char* code, std::string message) {
  auto* b = plan.add_blockers();
  b->set_code(code);
  b->set_message(std::move(message));
}

}  // namespace

std::string MergerFingerprint(v1::MergerPlan plan) {
  plan.clear_fingerprint();
  std::string bytes;
  plan.SerializeToString(&bytes);
  return Sha256Hex(bytes);
}

v1::MergerPlan PlanMerger(const MergerInput& in) {
  v1::MergerPlan plan;
  plan.set_successor_code(in.successor);
  plan.set_merged_on(FormatDay(in.on));
  for (const auto& s : in.sources) plan.add_agency_codes(s.code);
  if (in.sources.empty()) {
    Block(plan, "NOT_MERGED",
          absl::StrCat("the directory records no agency merged into ", in.successor, " on ",
                       FormatDay(in.on)));
  }
  for (const auto& s : in.sources) {
    if (s.successor.empty()) {
      Block(plan, "NOT_MERGED", absl::StrCat("the directory records no merger of ", s.code));
    } else if (s.successor != in.successor) {
      Block(plan, "NOT_MERGED",
            absl::StrCat("the directory records ", s.code, " merged into ", s.successor, ", not ",
                         in.successor));
    }
    if (!s.merged_on.has_value()) {
      Block(plan, "DATE_MISSING",
            absl::StrCat("the directory records no day for the merger of ", s.code,
                         ": record it there (liaison MergeAgency) first"));
    } else if (*s.merged_on != in.on) {
      Block(plan, "DATE_MISMATCH",
            absl::StrCat("the directory records the merger of ", s.code, " on ",
                         FormatDay(*s.merged_on), ", not ", FormatDay(in.on)));
    }
  }
  if (!in.successor_registered) {
    Block(plan, "SUCCESSOR_NOT_REGISTERED",
          absl::StrCat("the successor ", in.successor,
                       " is not registered here (RegisterAgency: who supervises it)"));
  }
  if (in.on > in.today + in.max_days_ahead) {
    Block(plan, "DATE_TOO_FAR_AHEAD",
          absl::StrCat("the merger's day ", FormatDay(in.on), " is more than ", in.max_days_ahead,
                       " days ahead: apply it from ", FormatDay(in.on - in.max_days_ahead)));
  }

  // Units, in code order.
  std::vector<v1::Unit> units = in.source_units;
  std::sort(units.begin(), units.end(),
            [](const auto& a, const auto& b) { return a.code() < b.code(); });
  std::map<std::string, const v1::Unit*> successor_by_name;
  std::vector<v1::Unit> successor_units = in.successor_units;
  std::sort(successor_units.begin(), successor_units.end(),
            [](const auto& a, const auto& b) { return a.code() < b.code(); });
  for (const auto& u : successor_units) successor_by_name.emplace(NameKey(u.name()), &u);
  std::map<std::string, std::string> created_by_name;  // name key -> new unit code
  std::map<std::string, std::string> unit_to;          // source unit -> successor unit
  std::set<std::string> taken_units = in.taken_unit_codes;
  for (const auto& u : units) {
    auto* m = plan.add_units();
    m->set_from_unit_code(u.code());
    m->set_from_unit_name(u.name());
    m->set_to_unit_name(u.name());
    if (auto it = in.moved.find(u.code()); it != in.moved.end()) {
      m->set_to_unit_code(it->second);
      Block(plan, "UNIT_ALREADY_MOVED",
            absl::StrCat("unit ", u.code(), " was moved to ", it->second, " by a merger already"));
      continue;
    }
    const std::string key = NameKey(u.name());
    if (auto it = successor_by_name.find(key); it != successor_by_name.end()) {
      m->set_to_unit_code(it->second->code());
      m->set_to_unit_name(it->second->name());
    } else if (auto c = created_by_name.find(key); c != created_by_name.end()) {
      m->set_to_unit_code(c->second);
    } else {
      std::string clash;
      const std::string code = FreeCode(
          absl::StrCat(in.successor, "-", Suffix(u.code(), u.agency_code())), taken_units, clash);
      m->set_to_unit_code(code);
      m->set_creates_unit(true);
      m->set_clashed_code(clash);
      created_by_name.emplace(key, code);
      if (code.size() > kMaxCode) {
        Block(plan, "CODE_TOO_LONG",
              absl::StrCat("the new code of unit ", u.code(), " would be longer than ", kMaxCode,
                           " characters: rename the unit first"));
      }
    }
    unit_to[u.code()] = m->to_unit_code();
  }

  // Positions, in code order.
  std::vector<v1::Position> positions = in.source_positions;
  std::sort(positions.begin(), positions.end(),
            [](const auto& a, const auto& b) { return a.code() < b.code(); });
  // (successor unit, name key) -> position code, for non-leadership positions.
  std::map<std::pair<std::string, std::string>, std::string> fold_into;
  std::map<std::string, int> max_holders;  // successor position -> max_holders after
  for (const auto& p : in.successor_positions) {
    max_holders[p.code()] = p.max_holders();
    if (!p.leadership())
      fold_into.emplace(std::make_pair(p.unit_code(), NameKey(p.name())), p.code());
  }
  std::set<std::string> taken_positions = in.taken_position_codes;
  std::map<std::string, std::string> position_to;
  for (const auto& p : positions) {
    auto ut = unit_to.find(p.unit_code());
    if (ut == unit_to.end()) continue;  // its unit was moved already
    auto* m = plan.add_positions();
    m->set_from_position_code(p.code());
    m->set_to_unit_code(ut->second);
    m->set_name(p.name());
    const auto key = std::make_pair(ut->second, NameKey(p.name()));
    auto f = p.leadership() ? fold_into.end() : fold_into.find(key);
    if (f != fold_into.end()) {
      m->set_to_position_code(f->second);
      max_holders[f->second] += p.max_holders();
    } else {
      std::string clash;
      const std::string code = FreeCode(
          absl::StrCat(ut->second, "-", Suffix(p.code(), p.unit_code())), taken_positions, clash);
      m->set_to_position_code(code);
      m->set_creates_position(true);
      m->set_clashed_code(clash);
      max_holders[code] = p.max_holders();
      if (!p.leadership()) fold_into.emplace(key, code);
      if (code.size() > kMaxCode) {
        Block(plan, "CODE_TOO_LONG",
              absl::StrCat("the new code of position ", p.code(), " would be longer than ",
                           kMaxCode, " characters"));
      }
    }
    position_to[p.code()] = m->to_position_code();
  }
  for (auto& m : *plan.mutable_positions()) m.set_max_holders(max_holders[m.to_position_code()]);

  // Quotas of the merger's year and later, summed per successor unit and year.
  std::map<std::pair<std::string, int>, std::pair<int, int>> quotas;  // before, after
  for (const auto& q : in.successor_quotas) {
    quotas[{q.unit_code(), q.year()}] = {q.quota(), q.quota()};
  }
  std::set<std::pair<std::string, int>> changed;
  for (const auto& q : in.source_quotas) {
    auto ut = unit_to.find(q.unit_code());
    if (ut == unit_to.end() || q.year() < static_cast<int>(in.on.year())) continue;
    auto& [before, after] = quotas[{ut->second, q.year()}];
    after += q.quota();
    changed.insert({ut->second, q.year()});
  }
  for (const auto& k : changed) {
    auto* m = plan.add_quotas();
    m->set_unit_code(k.first);
    m->set_year(k.second);
    m->set_quota_before(quotas[k].first);
    m->set_quota_after(quotas[k].second);
  }

  // People, in id order.
  std::vector<MergerAssignment> people = in.in_force;
  std::sort(people.begin(), people.end(), [](const auto& a, const auto& b) {
    return a.person_id != b.person_id ? a.person_id < b.person_id : a.record_id < b.record_id;
  });
  const std::string day = FormatDay(in.on);
  for (const auto& a : people) {
    auto pt = position_to.find(a.position_code);
    if (pt == position_to.end()) continue;  // its unit was moved already
    auto* m = plan.add_people();
    m->set_person_id(a.person_id);
    m->set_full_name(a.full_name);
    m->set_person_version(a.person_version);
    m->set_record_id(a.record_id);
    m->set_position_code(a.position_code);
    m->set_unit_code(a.unit_code);
    m->set_valid_from(a.valid_from);
    m->set_valid_until(a.valid_until);
    m->set_movement(v1::Movement_Name(a.movement));
    m->set_to_position_code(pt->second);
    m->set_to_unit_code(unit_to[a.unit_code]);
    if (a.valid_from == day) {
      Block(plan, "RECORD_FROM_MERGER_DAY",
            absl::StrCat("assignment ", a.record_id, " of person ", a.person_id,
                         " starts on the merger's day: record it in the successor's position "
                         "(CorrectHistory) instead"));
    }
  }
  for (const auto& a : in.later) {
    Block(plan, "RECORD_AFTER_MERGER_DAY",
          absl::StrCat("assignment ", a.record_id, " of person ", a.person_id, " (",
                       a.position_code, ") starts on ", a.valid_from,
                       ", after the merger's day: correct or end it first"));
  }
  plan.set_fingerprint(MergerFingerprint(plan));
  return plan;
}

}  // namespace localgov::cadre
