#include "services/dossier/inbox.h"

#include "absl/strings/str_cat.h"
#include "common/db/transaction.h"
#include "common/logging.h"
#include "common/status.h"
#include "services/dossier/dossier_store.h"
#include "spdlog/spdlog.h"

namespace localgov::dossier {

absl::StatusOr<liaison::v1::DeliverResponse> Inbox::Take(
    const liaison::v1::DeliverRequest& request) {
  const auto& e = request.envelope();
  Validator v;
  v.Check(!e.id().empty() && e.id().size() <= 128, "envelope.id", "required");
  v.Check(!request.delivered_to_agency_code().empty(), "delivered_to_agency_code", "required");
  if (!v.ok()) return v.status();
  liaison::v1::DeliverResponse out;
  if (e.type() != liaison::v1::ENVELOPE_TYPE_STEP_HANDOFF &&
      e.type() != liaison::v1::ENVELOPE_TYPE_STEP_RESULT &&
      e.type() != liaison::v1::ENVELOPE_TYPE_OFFICIAL_DOCUMENT) {
    out.set_code(liaison::v1::ACK_CODE_REFUSED);
    out.set_reason(absl::StrCat("the dossier service does not take ",
                                liaison::v1::EnvelopeType_Name(e.type())));
    return out;
  }
  bool fresh = false;
  auto st = RunInTransaction(db_, "inbox_take", [&](pqxx::work& tx) -> absl::Status {
    fresh = DossierStore::InsertInbox(tx, e, request.delivered_to_agency_code(), clock_.Now());
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (!fresh) spdlog::info("envelope {} delivered again: acknowledged, not applied twice", e.id());
  out.set_code(liaison::v1::ACK_CODE_REGISTERED);
  out.set_receiver_reference(e.correlation_id());
  return out;
}

}  // namespace localgov::dossier
