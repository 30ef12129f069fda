// The Dossiers use cases (dossiers.h) live in one file per responsibility:
//   dossiers_intake.cc       ReceiveDossier
//   dossiers_transitions.cc  the lifecycle actions (StartProcessing ... CompleteStep)
//   dossiers_reads.cc        Get, List, the change feed (WatchDossiers), the late-dossier alert
//   dossiers_quality.cc      RateDossier and GetAgencyStatistics (service quality, Decision 766)
//   dossiers_exchange.cc     the other agencies: handoffs and cancellations sent, deliveries taken
//   dossiers_papers.cc       PrintDossierPaper: the citizen's printed papers (forms 01–04)
// This file holds what they share: the history event, staff, and who answers for an agency.
#include "services/dossier/dossiers.h"

#include "services/dossier/convert.h"
#include "services/dossier/dossiers_internal.h"

namespace localgov::dossier {

v1::DossierEvent& AddEvent(v1::Dossier& d, absl::Time at, const std::string& actor,
                           std::string_view role, const std::string& agency, v1::DossierState from,
                           const std::string& note) {
  auto* e = d.add_events();
  e->set_sequence(d.events_size());
  *e->mutable_time() = ToProto(at);
  e->set_actor(actor);
  e->set_role(std::string(role));
  e->set_agency(agency);
  e->set_from_state(from);
  e->set_to_state(d.state());
  e->set_note(note);
  return *e;
}

Dossiers::Answering Dossiers::Resolve(const std::string& code) const {
  if (!resolver_) return {code, {code}};
  return resolver_(code);
}

bool Dossiers::SameAgency(const std::string& a, const std::string& b) const {
  return a == b || Resolve(a).agency == Resolve(b).agency;
}

}  // namespace localgov::dossier
