#ifndef LOCALGOV_SERVICES_DOSSIER_INBOX_H_
#define LOCALGOV_SERVICES_DOSSIER_INBOX_H_

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/db/pool.h"
#include "localgov/liaison/v1/exchange.pb.h"

namespace localgov::dossier {

// The dossier service as a receiver of the exchange (liaison issue): persist, then
// acknowledge; deduplicate by envelope id. Step handoffs from other agencies and step results
// for our dossiers land here (acting on them is the route-step work, see the closing note).
class Inbox final {
 public:
  Inbox(PgPool& db, const Clock& clock) : db_(db), clock_(clock) {}
  // REGISTERED (edXML 03) once kept; REFUSED for an envelope type this service does not take.
  absl::StatusOr<liaison::v1::DeliverResponse> Take(const liaison::v1::DeliverRequest& request);

 private:
  PgPool& db_;
  const Clock& clock_;
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_INBOX_H_
