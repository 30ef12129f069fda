// What the Dossiers use cases share and nobody else uses (dossiers_*.cc): the history event
// (who counts as staff is common/auth's IsStaff). Not for callers of Dossiers: dossiers.h is
// their header.
#ifndef LOCALGOV_SERVICES_DOSSIER_DOSSIERS_INTERNAL_H_
#define LOCALGOV_SERVICES_DOSSIER_DOSSIERS_INTERNAL_H_

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "common/auth/auth.h"
#include "localgov/dossier/v1/dossier_service.pb.h"

namespace localgov::dossier {

// Adds the next event of `d`'s history (`d` as it is after the event).
v1::DossierEvent& AddEvent(v1::Dossier& d, absl::Time at, const std::string& actor,
                           std::string_view role, const std::string& agency, v1::DossierState from,
                           const std::string& note);

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_DOSSIERS_INTERNAL_H_
