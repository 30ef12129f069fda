#include "services/petition/officer_petitions.h"

#include <algorithm>

#include "absl/time/time.h"
#include "common/calendar/calendar.h"
#include "google/protobuf/util/time_util.h"

namespace localgov::petition {

void AddToOfficerPetitionTallies(const v1::Petition& p, int year,
                                 const std::vector<std::string>& agencies,
                                 std::map<std::string, OfficerPetitionTally>& tallies) {
  if (p.officer().empty() || !p.has_resolution() || !p.resolution().has_decide_time()) return;
  if (!p.resolution().answered_by_agency_code().empty()) return;  // another agency's answer
  if (std::find(agencies.begin(), agencies.end(), p.agency_code()) == agencies.end()) return;
  const absl::Time decided = absl::FromUnixMicros(
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(p.resolution().decide_time()));
  if (calendar::VietnamDay(decided).year() != year) return;
  OfficerPetitionTally& t = tallies[p.officer()];
  ++t.resolved;
  if (p.resolution().on_time()) {
    ++t.on_time;
  } else {
    ++t.late;
  }
}

}  // namespace localgov::petition
