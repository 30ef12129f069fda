#include "common/audit_anchors.h"

#include <optional>
#include <regex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/db/transaction.h"
#include "common/server.h"
#include "common/status.h"
#include "google/protobuf/util/time_util.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "spdlog/spdlog.h"

namespace localgov {
namespace {

namespace lv1 = localgov::liaison::v1;
using google::protobuf::util::TimeUtil;

// Long enough for a connection that a partition left in TCP retransmission backoff to resume.
constexpr absl::Duration kCallDeadline = absl::Seconds(10);

AuditAnchor FromProto(const lv1::AuditAnchor& a) {
  return {a.position(), a.hash(), a.log_sequence(),
          absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(a.anchored_at()))};
}

class LiaisonAuditAnchors final : public AuditAnchors {
 public:
  LiaisonAuditAnchors(const std::string& address,
                      std::shared_ptr<grpc::ChannelCredentials> credentials,
                      std::shared_ptr<ServiceToken> token)
      : address_(address),
        stub_(lv1::LiaisonService::NewStub(PeerChannel(address, std::move(credentials)))),
        token_(std::move(token)) {}

  absl::StatusOr<Anchored> Anchor(const std::string& chain, const AuditHead& head) override {
    grpc::ClientContext ctx;
    if (auto st = Prepare(ctx); !st.ok()) return st;
    lv1::AnchorAuditHeadRequest req;
    req.set_chain(chain);
    req.set_position(head.position);
    req.set_hash(head.hash);
    lv1::AnchorAuditHeadResponse resp;
    if (auto st = stub_->AnchorAuditHead(&ctx, req, &resp); !st.ok()) return Peer(st);
    return Anchored{FromProto(resp.anchor()), resp.created()};
  }

  absl::StatusOr<std::vector<AuditAnchor>> List(const std::string& chain) override {
    std::vector<AuditAnchor> out;
    std::string page_token;
    do {
      grpc::ClientContext ctx;
      if (auto st = Prepare(ctx); !st.ok()) return st;
      lv1::ListAuditAnchorsRequest req;
      req.set_chain(chain);
      req.set_page_size(10000);
      req.set_page_token(page_token);
      lv1::ListAuditAnchorsResponse resp;
      if (auto st = stub_->ListAuditAnchors(&ctx, req, &resp); !st.ok()) return Peer(st);
      for (const auto& a : resp.anchors()) out.push_back(FromProto(a));
      page_token = resp.next_page_token();
    } while (!page_token.empty());
    return out;
  }

 private:
  absl::Status Prepare(grpc::ClientContext& ctx) {
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
    return token_->Attach(ctx);
  }
  // The liaison's answer, said to be the liaison's (an UNAUTHENTICATED from it is about this
  // service's token, not the caller's).
  absl::Status Peer(const grpc::Status& st) const {
    const absl::Status s = FromGrpcStatus(st);
    const auto code = s.code() == absl::StatusCode::kUnauthenticated ||
                              s.code() == absl::StatusCode::kPermissionDenied
                          ? absl::StatusCode::kFailedPrecondition
                          : s.code();
    return absl::Status(code, absl::StrCat("liaison at ", address_, ": ", s.message()));
  }

  const std::string address_;
  std::unique_ptr<lv1::LiaisonService::Stub> stub_;
  std::shared_ptr<ServiceToken> token_;
};

}  // namespace

bool ValidAuditChainName(const std::string& chain) {
  static const std::regex& kChain = *new std::regex("[a-z0-9._-]{1,64}");
  return std::regex_match(chain, kChain);
}

std::unique_ptr<AuditAnchors> MakeLiaisonAuditAnchors(
    const std::string& address, std::shared_ptr<grpc::ChannelCredentials> credentials,
    std::shared_ptr<ServiceToken> token) {
  return std::make_unique<LiaisonAuditAnchors>(address, std::move(credentials), std::move(token));
}

absl::StatusOr<std::optional<AuditAnchors::Anchored>> AnchorAuditHeadNow(PgPool& db,
                                                                         AuditAnchors& anchors,
                                                                         const std::string& chain) {
  AuditHead head;
  auto st = RunInTransaction(
      db, "read_audit_head",
      [&](pqxx::work& tx) {
        head = ReadAuditHead(tx);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  if (head.position == 0) return std::nullopt;  // nothing written yet
  auto anchored = anchors.Anchor(chain, head);
  if (!anchored.ok()) return anchored.status();
  return std::optional<AuditAnchors::Anchored>(std::move(*anchored));
}

void AuditAnchorer::Start() {
  thread_.Start([this] { return Pass(); });
}

absl::Duration AuditAnchorer::Pass() {
  auto anchored = AnchorAuditHeadNow(db_, anchors_, chain_);
  if (anchored.ok()) {
    if (!anchored->has_value()) return interval_;  // nothing written yet
    const AuditAnchor& a = (*anchored)->anchor;
    if (a.position != anchored_position_ || !last_error_.empty()) {
      spdlog::info("audit chain {} anchored at position {} (message log entry {})", chain_,
                   a.position, a.log_sequence);
    }
    anchored_position_ = a.position;
    last_error_.clear();
    return interval_;
  }
  const std::string error(anchored.status().message());
  const absl::Time now = absl::Now();
  if (error != last_error_ || now - last_logged_ >= absl::Minutes(10)) {
    // A refused head (another hash at an anchored position) means the chain was rewritten.
    if (anchored.status().code() == absl::StatusCode::kFailedPrecondition) {
      spdlog::error("audit chain {} not anchored: {}", chain_, error);
    } else {
      spdlog::warn("audit chain {} not anchored (will retry): {}", chain_, error);
    }
    last_error_ = error;
    last_logged_ = now;
  }
  return std::min(interval_, absl::Seconds(30));
}

}  // namespace localgov
