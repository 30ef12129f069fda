#ifndef LOCALGOV_SERVICES_DOSSIER_OFFICER_RECORD_H_
#define LOCALGOV_SERVICES_DOSSIER_OFFICER_RECORD_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "localgov/dossier/v1/dossier.pb.h"

namespace localgov::dossier {

// The one-stop record of each officer of an agency for a year (issue 24, item 4): what the
// cadre service's evaluation view shows beside a cadre, keyed by the token subject that acted.
// Pure: no gRPC, no SQL; the store hands it the agency's dossiers with their events.
struct OfficerTally {
  int64_t steps_handled = 0;         // events the officer recorded in the year (intake included)
  int64_t results = 0;               // dossiers whose result the officer recorded in the year
  int64_t early = 0;                 // of those, finished before the due date
  int64_t on_time = 0;               // on the due date
  int64_t late = 0;                  // after it
  int64_t late_without_apology = 0;  // late, and no apology (form 04) was issued
};

// Adds `d` to `tallies` for `year` (a Vietnam calendar year) and an agency, named by `agencies`:
// its code and the codes it answers for (units merged into it, whose officers' earlier events
// carry the old code).
// - a step: every event in the year by a staff role (officer, leader) of those, for its actor;
// - a result: the event that made the dossier PROCESSED (result ready), in the year, for its
//   actor, classed by the dossier's outcome (DOMAIN.md §1, Circular 01/2018 Art. 13 indicator
//   1) and, when late, whether an apology was issued (DOMAIN.md §1: "flag dossiers that became
//   late without one"). A dossier processed twice (a result corrected) counts once, for the
//   last such event of the year.
// Citizens' and the system's events are nobody's record.
void AddToOfficerTallies(const v1::Dossier& d, int year, const std::vector<std::string>& agencies,
                         std::map<std::string, OfficerTally>& tallies);

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_OFFICER_RECORD_H_
