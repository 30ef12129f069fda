// GetCitizenTimeline: a citizen's dossiers and petitions in one answer, the dossiers fanned out
// to the dossier service with a deadline; a source that fails makes the answer partial.
#include <string>

#include "absl/strings/str_cat.h"
#include "common/db/transaction.h"
#include "services/petition/petitions.h"
#include "services/petition/timeline.h"

namespace localgov::petition {

absl::StatusOr<v1::GetCitizenTimelineResponse> Petitions::Timeline(
    const CallContext& call, const v1::GetCitizenTimelineRequest& r,
    const CitizenDossierSource& dossiers) {
  if (call.access.role != Role::kCitizen || call.access.subject.empty()) {
    return absl::PermissionDeniedError("the timeline is a citizen's own (a citizen's token)");
  }
  v1::GetCitizenTimelineResponse out;
  std::vector<v1::TimelineItem> items;
  // The dossiers first: the call to the dossier service runs before this service's
  // transaction, so no connection is held while waiting for it.
  auto found = dossiers(r.open_only());
  if (found.ok()) {
    for (const auto& d : found->first) items.push_back(TimelineItemOf(d));
    if (found->second) out.set_truncated(true);
  } else {
    out.set_partial(true);
    auto* gap = out.add_gaps();
    gap->set_source(v1::TIMELINE_SOURCE_DOSSIER);
    gap->set_reason(absl::StrCat(absl::StatusCodeToString(found.status().code()), ": ",
                                 found.status().message()));
  }
  auto read = ReadOnly(db_, "citizen_timeline", [&](pqxx::work& tx) {
    return PetitionStore::OfCitizen(tx, call.access.subject, kTimelineItemsPerSource + 1);
  });
  if (!read.ok()) return read.status();
  std::vector<v1::Petition>& petitions = *read;
  if (static_cast<int>(petitions.size()) > kTimelineItemsPerSource) {
    petitions.resize(kTimelineItemsPerSource);
    out.set_truncated(true);
  }
  for (const auto& p : petitions) {
    auto item = TimelineItemOf(p);
    if (r.open_only() && !item.open()) continue;
    items.push_back(std::move(item));
  }
  SortTimeline(items);
  for (auto& i : items) *out.add_items() = std::move(i);
  return out;
}

}  // namespace localgov::petition
