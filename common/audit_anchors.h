#ifndef LOCALGOV_COMMON_AUDIT_ANCHORS_H_
#define LOCALGOV_COMMON_AUDIT_ANCHORS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/audit.h"
#include "common/auth/service_token.h"
#include "common/db/pool.h"
#include "common/periodic.h"
#include "grpcpp/grpcpp.h"

namespace localgov {

// Where a service's audit chain heads are anchored: the liaison's signed message log. A head
// recorded there outlives a database superuser who deletes the chain's newest records, so
// VerifyAuditChain can name them (common/audit.h).
class AuditAnchors {
 public:
  virtual ~AuditAnchors() = default;
  struct Anchored {
    AuditAnchor anchor;
    bool created = false;  // false: that head was anchored already
  };
  // Records `head` of `chain`. FAILED_PRECONDITION when that position was anchored with another
  // hash; UNAVAILABLE when the log cannot be reached.
  virtual absl::StatusOr<Anchored> Anchor(const std::string& chain, const AuditHead& head) = 0;
  // Every anchor of `chain`, by position.
  virtual absl::StatusOr<std::vector<AuditAnchor>> List(const std::string& chain) = 0;
};

// A chain's name in the liaison's log: lowercase letters, digits, '.', '_' and '-', 1 to 64
// (kAuditChainRule says so in an error).
bool ValidAuditChainName(const std::string& chain);
inline constexpr const char* kAuditChainRule =
    "lowercase letters, digits, '.', '_' and '-', 1 to 64";

// The liaison's AnchorAuditHead and ListAuditAnchors over gRPC, with this service's token.
std::unique_ptr<AuditAnchors> MakeLiaisonAuditAnchors(
    const std::string& address, std::shared_ptr<grpc::ChannelCredentials> credentials,
    std::shared_ptr<ServiceToken> token);

// Reads the chain's head and anchors it; nullopt for an empty chain (nothing to anchor).
absl::StatusOr<std::optional<AuditAnchors::Anchored>> AnchorAuditHeadNow(PgPool& db,
                                                                         AuditAnchors& anchors,
                                                                         const std::string& chain);

// Anchors the head every `interval` when it has moved since the last anchor; a failure is
// logged (once per kind, then every 10 minutes while it lasts) and tried again next interval.
class AuditAnchorer final {
 public:
  AuditAnchorer(PgPool& db, AuditAnchors& anchors, std::string chain, absl::Duration interval)
      : db_(db), anchors_(anchors), chain_(std::move(chain)), interval_(interval) {}
  ~AuditAnchorer() { Stop(); }
  void Start();
  void Stop() { thread_.Stop(); }

 private:
  absl::Duration Pass();
  PgPool& db_;
  AuditAnchors& anchors_;
  const std::string chain_;
  const absl::Duration interval_;
  int64_t anchored_position_ = -1;
  std::string last_error_;
  absl::Time last_logged_ = absl::InfinitePast();
  PeriodicThread thread_;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_AUDIT_ANCHORS_H_
