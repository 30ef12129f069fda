#ifndef LOCALGOV_SERVICES_LIAISON_ANCHOR_LOG_H_
#define LOCALGOV_SERVICES_LIAISON_ANCHOR_LOG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/audit_anchors.h"
#include "common/db/pool.h"
#include "services/liaison/exchange.h"

namespace localgov::liaison {

// Audit chain heads anchored in the signed message log (issue 25): every service's, over
// AnchorAuditHead, and the liaison's own, in-process. No gRPC; SQL in AnchorStore.
class AnchorLog final : public AuditAnchors {
 public:
  AnchorLog(PgPool& db, Exchange& exchange) : db_(db), exchange_(exchange) {}

  // Checks the fields (INVALID_ARGUMENT naming chain, position, hash), then, under the log's
  // lock: the same head anchored before is answered as it was; another hash at an anchored
  // position is FAILED_PRECONDITION; otherwise an "anchored" entry is appended and indexed.
  absl::StatusOr<Anchored> Anchor(const std::string& chain, const AuditHead& head) override;
  absl::StatusOr<std::vector<AuditAnchor>> List(const std::string& chain) override;

  static constexpr int kDefaultPage = 1000;
  static constexpr int kMaxPage = 10000;
  struct Page {
    std::vector<AuditAnchor> anchors;
    std::string next_page_token;
  };
  absl::StatusOr<Page> ListPage(const std::string& chain, int page_size,
                                const std::string& page_token);

 private:
  PgPool& db_;
  Exchange& exchange_;
};

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_ANCHOR_LOG_H_
