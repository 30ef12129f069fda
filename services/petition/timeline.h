// The citizen's own timeline (GetCitizenTimeline): their dossiers and petitions as items, and
// the order they are shown in. Pure rules, no gRPC or SQL.
#ifndef LOCALGOV_SERVICES_PETITION_TIMELINE_H_
#define LOCALGOV_SERVICES_PETITION_TIMELINE_H_

#include <vector>

#include "localgov/dossier/v1/dossier.pb.h"
#include "localgov/petition/v1/petition.pb.h"
#include "localgov/petition/v1/petition_service.pb.h"

namespace localgov::petition {

// At most this many items of each source (the oldest closed ones are left out).
inline constexpr int kTimelineItemsPerSource = 100;

// The dossier states in which a dossier is still open (its due date still matters).
bool DossierOpen(dossier::v1::DossierState s);
// The open dossier states, for a ListDossiers filter.
std::vector<dossier::v1::DossierState> OpenDossierStates();

v1::TimelineItem TimelineItemOf(const dossier::v1::Dossier& d);
v1::TimelineItem TimelineItemOf(const v1::Petition& p);

// Open items first by next deadline (none last), then code; then the closed ones, newest
// received first, then code.
void SortTimeline(std::vector<v1::TimelineItem>& items);

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_TIMELINE_H_
