#include "services/dossier/officer_record.h"

#include <algorithm>

#include "absl/time/time.h"
#include "common/calendar/calendar.h"
#include "google/protobuf/util/time_util.h"

namespace localgov::dossier {
namespace {

bool IsStaffRole(const std::string& role) { return role == "officer" || role == "leader"; }

bool InYear(const v1::DossierEvent& e, int year) {
  const absl::Time at =
      absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(e.time()));
  return calendar::VietnamDay(at).year() == year;
}

}  // namespace

void AddToOfficerTallies(const v1::Dossier& d, int year, const std::vector<std::string>& agencies,
                         std::map<std::string, OfficerTally>& tallies) {
  const v1::DossierEvent* result = nullptr;
  for (const auto& e : d.events()) {
    if (!IsStaffRole(e.role()) ||
        std::find(agencies.begin(), agencies.end(), e.agency()) == agencies.end() ||
        e.actor().empty() || !InYear(e, year)) {
      continue;
    }
    ++tallies[e.actor()].steps_handled;
    if (e.to_state() == v1::DOSSIER_STATE_PROCESSED) result = &e;
  }
  if (result == nullptr) return;
  OfficerTally& t = tallies[result->actor()];
  switch (d.outcome()) {
    case v1::OUTCOME_CLASS_EARLY:
      ++t.results;
      ++t.early;
      break;
    case v1::OUTCOME_CLASS_ON_TIME:
      ++t.results;
      ++t.on_time;
      break;
    case v1::OUTCOME_CLASS_LATE:
      ++t.results;
      ++t.late;
      if (!d.has_apology()) ++t.late_without_apology;
      break;
    default:
      break;  // not classed (no due date): a step, not a result
  }
}

}  // namespace localgov::dossier
