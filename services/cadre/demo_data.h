#ifndef LOCALGOV_SERVICES_CADRE_DEMO_DATA_H_
#define LOCALGOV_SERVICES_CADRE_DEMO_DATA_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "localgov/cadre/v1/cadre_service.pb.h"
#include "services/cadre/cadre_rules.h"

namespace localgov::cadre {

// The demo province (Khánh Hòa, code 56): its People's Committee, Department of Home Affairs
// and other departments, 46 communes and wards as of 2025-07-01, each the successor of two
// communes merged into it that day; units, job positions, quotas for every year, and about
// 3,000 cadres and civil servants with ten years of history (2016–2026): assignments,
// leadership appointments for 5-year terms and re-appointments, the transfers of the merger,
// ranks and regular step raises (every 36/24 months, CadreRules), qualifications, and a few
// corrections recorded after the fact. Deterministic: the same seed gives the same province.
struct DemoVersion {
  v1::HistoryRecord record;  // record_id set; recorded_from/until as below
  absl::Time recorded_from;
  std::optional<absl::Time> recorded_until;
};

struct DemoPerson {
  v1::Person person;  // id set
  std::vector<v1::Qualification> qualifications;
  std::vector<DemoVersion> history;
};

struct DemoProvince {
  std::vector<v1::Agency> agencies;  // supervisors and successors before those they name
  std::vector<v1::Unit> units;
  std::vector<v1::Position> positions;
  std::vector<v1::Quota> quotas;
  std::vector<DemoPerson> people;
  int64_t history_versions() const;
};

struct DemoOptions {
  uint64_t seed = 56;
  int department_staff = 120;  // per department
  int commune_staff = 18;      // per commune before the merger
  // The last day of generated history (changes are recorded on their day, 09:00).
  absl::CivilDay until = absl::CivilDay(2026, 11, 30);
};

DemoProvince GenerateDemoProvince(const DemoOptions& options, const CadreRuleBook& rules);

// The people holding a position in a unit of the given communes on a day, and how many of
// them meet their position's standards (JudgeStandards, as GetStandardsReport counts them).
struct DemoStandards {
  int people = 0;
  int meeting = 0;
};
// Lowers or raises the professional qualifications of as few of those people as it takes
// (spread over the province) for `meeting` to be the nearest count to `permille` of
// `people`: the demo's commune cadres meet their standards at the seeds' 90.2 % (902).
DemoStandards ShapeCommuneStandards(DemoProvince& d, const std::set<std::string>& communes,
                                    absl::CivilDay day, int permille);

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_DEMO_DATA_H_
