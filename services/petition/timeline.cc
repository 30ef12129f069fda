#include "services/petition/timeline.h"

#include <algorithm>
#include <tuple>

#include "services/petition/lifecycle.h"

namespace localgov::petition {

namespace dv1 = dossier::v1;

bool DossierOpen(dv1::DossierState s) {
  switch (s) {
    case dv1::DOSSIER_STATE_SUBMITTED:
    case dv1::DOSSIER_STATE_ACCEPTED:
    case dv1::DOSSIER_STATE_IN_PROGRESS:
    case dv1::DOSSIER_STATE_SUPPLEMENT_REQUESTED:
    case dv1::DOSSIER_STATE_PAYMENT_REQUESTED:
    case dv1::DOSSIER_STATE_PROCESSED:  // the result waits to be returned
      return true;
    default:
      return false;
  }
}

std::vector<dv1::DossierState> OpenDossierStates() {
  std::vector<dv1::DossierState> out;
  for (int s = dv1::DossierState_MIN; s <= dv1::DossierState_MAX; ++s) {
    if (dv1::DossierState_IsValid(s) && DossierOpen(static_cast<dv1::DossierState>(s))) {
      out.push_back(static_cast<dv1::DossierState>(s));
    }
  }
  return out;
}

v1::TimelineItem TimelineItemOf(const dv1::Dossier& d) {
  v1::TimelineItem item;
  item.set_source(v1::TIMELINE_SOURCE_DOSSIER);
  item.set_code(d.code());
  item.set_agency_code(d.receiving_agency_code());
  item.set_subject(d.procedure_code());
  item.set_state(dv1::DossierState_Name(d.state()));
  item.set_open(DossierOpen(d.state()));
  if (item.open()) item.set_next_deadline(d.due_date());
  *item.mutable_received_time() = d.received_time();
  return item;
}

v1::TimelineItem TimelineItemOf(const v1::Petition& p) {
  v1::TimelineItem item;
  item.set_source(v1::TIMELINE_SOURCE_PETITION);
  item.set_code(p.code());
  item.set_agency_code(p.agency_code());
  item.set_subject(p.title());
  item.set_state(v1::PetitionState_Name(p.state()));
  item.set_open(!IsFinal(p.state()));
  if (item.open() && p.has_next_deadline()) item.set_next_deadline(p.next_deadline().due_date());
  *item.mutable_received_time() = p.received_time();
  return item;
}

void SortTimeline(std::vector<v1::TimelineItem>& items) {
  auto key = [](const v1::TimelineItem& i) {
    // Open first; among them by deadline, none last ("~" sorts after every date).
    const std::string deadline = i.next_deadline().empty() ? "~" : i.next_deadline();
    const int64_t newest_first =
        i.open() ? 0 : -(i.received_time().seconds() * 1000000000 + i.received_time().nanos());
    return std::make_tuple(!i.open(), i.open() ? deadline : std::string(), newest_first, i.code());
  };
  std::stable_sort(items.begin(), items.end(),
                   [&](const auto& a, const auto& b) { return key(a) < key(b); });
}

}  // namespace localgov::petition
