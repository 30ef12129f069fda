// The demo province's commune cadres against their positions' standards: shaped so that the
// province-wide share meeting them is the seeds' 90.2 % (DOMAIN.md §4) on the demo's last day.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "services/cadre/demo_data.h"

namespace localgov::cadre {
namespace {

struct Holder {
  size_t person;
  const v1::Position* position;
};

// The verdict on `p` in `position` with the qualifications awarded by `day` (the report's rule).
bool Meets(const DemoPerson& p, const v1::Position& position, const std::string& day) {
  std::vector<std::pair<int, std::string>> professional;
  int political = 0;
  bool state_management = false;
  for (const auto& q : p.qualifications) {
    if (q.awarded_date() > day) continue;
    switch (q.category()) {
      case v1::QUALIFICATION_CATEGORY_PROFESSIONAL:
        professional.emplace_back(q.level(), q.field());
        break;
      case v1::QUALIFICATION_CATEGORY_POLITICAL_THEORY:
        political = std::max(political, q.level());
        break;
      case v1::QUALIFICATION_CATEGORY_STATE_MANAGEMENT:
        state_management = true;
        break;
      default:
        break;
    }
  }
  return JudgeStandards(
             {position.required_professional_level(), position.required_field(),
              position.required_political_theory(), position.requires_state_management()},
             professional, political, state_management)
      .meets;
}

// Below the standard: each professional qualification held by `day` that reaches the required
// level drops one level (a college degree where the post asks for a university one).
void Lower(DemoPerson& p, const v1::Position& position, const std::string& day) {
  for (auto& q : p.qualifications) {
    if (q.category() != v1::QUALIFICATION_CATEGORY_PROFESSIONAL || q.awarded_date() > day) continue;
    if (q.level() >= position.required_professional_level()) {
      q.set_level(std::max<int>(v1::PROFESSIONAL_LEVEL_UNTRAINED,
                                position.required_professional_level() - 1));
      if (q.level() == v1::PROFESSIONAL_LEVEL_UNTRAINED) q.set_field("");
    }
  }
}

// Up to the standard: what is missing, awarded a year before `day`.
void Raise(DemoPerson& p, const v1::Position& position, absl::CivilDay day) {
  auto add = [&](v1::QualificationCategory c, int level, const std::string& field) {
    v1::Qualification q;
    q.set_category(c);
    q.set_level(level);
    q.set_field(field);
    q.set_awarded_date(FormatDay(day - 365));
    p.qualifications.push_back(std::move(q));
  };
  add(v1::QUALIFICATION_CATEGORY_PROFESSIONAL, position.required_professional_level(),
      position.required_field().empty() ? "Luật" : position.required_field());
  if (position.required_political_theory() > 0) {
    add(v1::QUALIFICATION_CATEGORY_POLITICAL_THEORY, position.required_political_theory(), "");
  }
  if (position.requires_state_management()) {
    add(v1::QUALIFICATION_CATEGORY_STATE_MANAGEMENT, 0,
        "Bồi dưỡng quản lý nhà nước ngạch chuyên viên");
  }
  std::sort(p.qualifications.begin(), p.qualifications.end(),
            [](const auto& a, const auto& b) { return a.awarded_date() < b.awarded_date(); });
}

}  // namespace

DemoStandards ShapeCommuneStandards(DemoProvince& d, const std::set<std::string>& communes,
                                    absl::CivilDay day, int permille) {
  const std::string on = FormatDay(day);
  std::map<std::string, const v1::Position*> positions;
  for (const auto& p : d.positions) positions[p.code()] = &p;
  std::set<std::string> units;
  for (const auto& u : d.units) {
    if (communes.contains(u.agency_code())) units.insert(u.code());
  }
  // Who holds a commune position on the day (as known now), each person once.
  std::vector<Holder> holders;
  for (size_t i = 0; i < d.people.size(); ++i) {
    for (const auto& v : d.people[i].history) {
      const auto& r = v.record;
      if (v.recorded_until.has_value() || r.kind() != v1::RECORD_KIND_ASSIGNMENT ||
          !units.contains(r.unit_code()) || r.valid_from() > on ||
          (!r.valid_until().empty() && r.valid_until() <= on)) {
        continue;
      }
      holders.push_back({i, positions.at(r.position_code())});
      break;
    }
  }
  DemoStandards out;
  out.people = static_cast<int>(holders.size());
  if (holders.empty()) return out;
  const int target = (out.people * permille + 500) / 1000;
  std::vector<size_t> meeting, short_of;
  for (size_t h = 0; h < holders.size(); ++h) {
    (Meets(d.people[holders[h].person], *holders[h].position, on) ? meeting : short_of)
        .push_back(h);
  }
  // Spread the changes over the province: every k-th of those that can change, then the next.
  auto change = [&](const std::vector<size_t>& from, size_t n, bool meets_before, auto apply) {
    if (n == 0) return;
    const size_t stride = std::max<size_t>(1, from.size() / n);
    size_t done = 0;
    for (size_t pass = 0; pass < stride && done < n; ++pass) {
      for (size_t k = pass; k < from.size() && done < n; k += stride) {
        DemoPerson& p = d.people[holders[from[k]].person];
        const v1::Position& position = *holders[from[k]].position;
        if (Meets(p, position, on) != meets_before) continue;
        apply(p, position);
        done += Meets(p, position, on) != meets_before ? 1 : 0;
      }
    }
  };
  const int now = static_cast<int>(meeting.size());
  if (now > target) {
    change(meeting, static_cast<size_t>(now - target), true,
           [&](DemoPerson& p, const v1::Position& position) { Lower(p, position, on); });
  } else if (now < target) {
    change(short_of, static_cast<size_t>(target - now), false,
           [&](DemoPerson& p, const v1::Position& position) { Raise(p, position, day); });
  }
  for (const auto& h : holders) out.meeting += Meets(d.people[h.person], *h.position, on) ? 1 : 0;
  return out;
}

}  // namespace localgov::cadre
