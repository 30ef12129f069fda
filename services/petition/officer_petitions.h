// Each officer's petitions resolved in a year (issue 24, item 4): what the cadre service's
// evaluation view shows beside a cadre, with the dossier service's one-stop record. Pure: no
// gRPC, no SQL; the store hands it the agency's petitions touched in the year.
#ifndef LOCALGOV_SERVICES_PETITION_OFFICER_PETITIONS_H_
#define LOCALGOV_SERVICES_PETITION_OFFICER_PETITIONS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "localgov/petition/v1/petition.pb.h"

namespace localgov::petition {

struct OfficerPetitionTally {
  int64_t resolved = 0;  // petitions assigned to the officer, resolved in the year
  int64_t on_time = 0;   // of those, decided within the resolution period
  int64_t late = 0;      // after it
};

// Adds `p` to `tallies` for `year` (a Vietnam calendar year) and the agency named by
// `agencies` (its code and the codes merged into it): a petition of those agencies resolved by
// this agency (not an answer that came back from another agency it was forwarded to) whose
// decision is dated in the year counts for the officer assigned to it, on time or late as the
// resolution recorded (Resolution.on_time: the decision day against the statutory period of
// DOMAIN.md §2). Unassigned petitions are nobody's record.
void AddToOfficerPetitionTallies(const v1::Petition& p, int year,
                                 const std::vector<std::string>& agencies,
                                 std::map<std::string, OfficerPetitionTally>& tallies);

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_OFFICER_PETITIONS_H_
