#include "common/audit_service.h"

#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/audit_anchors.h"
#include "common/db/transaction.h"
#include "common/status.h"
#include "google/protobuf/util/time_util.h"
#include "localgov/audit/v1/audit_service.grpc.pb.h"

namespace localgov {
namespace {

namespace av1 = localgov::audit::v1;
using google::protobuf::util::TimeUtil;

av1::AuditProblem ToProto(AuditProblem p) {
  switch (p) {
    case AuditProblem::kEdited:
      return av1::AUDIT_PROBLEM_EDITED;
    case AuditProblem::kDeleted:
      return av1::AUDIT_PROBLEM_DELETED;
    case AuditProblem::kUnlinked:
      return av1::AUDIT_PROBLEM_UNLINKED;
    case AuditProblem::kTruncated:
      return av1::AUDIT_PROBLEM_TRUNCATED;
    case AuditProblem::kAnchorMismatch:
      return av1::AUDIT_PROBLEM_ANCHOR_MISMATCH;
    case AuditProblem::kNone:
      break;
  }
  return av1::AUDIT_PROBLEM_UNSPECIFIED;
}

class AuditGrpc final : public av1::AuditService::CallbackService {
 public:
  explicit AuditGrpc(ServiceContext& ctx) : ctx_(ctx) {}

  grpc::ServerUnaryReactor* VerifyAuditChain(grpc::CallbackServerContext* context,
                                             const av1::VerifyAuditChainRequest* request,
                                             av1::VerifyAuditChainResponse* response) override {
    return ctx_.rpc.Run(
        context, "VerifyAuditChain", {Role::kAuditor}, request, response,
        [this](const CallContext&, const av1::VerifyAuditChainRequest& in,
               av1::VerifyAuditChainResponse& out) -> absl::Status {
          Validator check;
          check.Check(in.max_findings() >= 0 && in.max_findings() <= 1000, "max_findings",
                      "0 (default 100) to 1000");
          if (!check.ok()) return check.status();
          const int max_findings = in.max_findings() == 0 ? 100 : in.max_findings();
          // The anchors first: each was taken from a committed head, so the snapshot read
          // next reaches every anchored position unless records were deleted.
          std::vector<AuditAnchor> anchors;
          if (ctx_.audit_anchors == nullptr) {
            out.set_anchors_unchecked_reason(
                "anchoring is not configured (LOCALGOV_SERVICE_TOKEN_FILE): a deleted tail"
                " of the chain would not be seen");
          } else if (auto listed = ctx_.audit_anchors->List(ctx_.audit_chain); !listed.ok()) {
            out.set_anchors_unchecked_reason(
                absl::StrCat("the anchors could not be read: ", listed.status().message()));
          } else {
            anchors = std::move(*listed);
          }
          // One snapshot: records appended meanwhile are not half seen.
          absl::StatusOr<AuditVerification> v;
          auto st = RunInTransaction(
              ctx_.db, "verify_audit_chain",
              [&](pqxx::work& tx) {
                v = ::localgov::VerifyAuditChain(tx, max_findings, anchors);  // the function
                return v.status();
              },
              TxOptions{.isolation = Isolation::kRepeatableRead, .read_only = true});
          if (!st.ok()) return st;
          out.set_service(ctx_.config.service);
          out.set_ok(v->ok);
          out.set_records_checked(v->checked);
          out.set_head_position(v->head_position);
          out.set_head_hash(v->head_hash);
          out.set_problem(ToProto(v->problem));
          out.set_first_bad_position(v->first_bad_position);
          out.set_reason(v->reason);
          for (const auto& f : v->findings) {
            auto* o = out.add_findings();
            o->set_problem(ToProto(f.problem));
            o->set_position(f.position);
            o->set_count(f.count);
            o->set_reason(f.reason);
          }
          out.set_problems(v->problems);
          out.set_anchors_checked(static_cast<int64_t>(anchors.size()));
          const AuditAnchor* newest = nullptr;
          for (const auto& a : anchors) {
            if (newest == nullptr || a.position > newest->position) newest = &a;
          }
          if (newest != nullptr) {
            out.set_last_anchor_position(newest->position);
            *out.mutable_last_anchored_at() =
                TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(newest->anchored_at));
          }
          return absl::OkStatus();
        });
  }

  grpc::ServerUnaryReactor* AnchorAuditChain(grpc::CallbackServerContext* context,
                                             const av1::AnchorAuditChainRequest* request,
                                             av1::AnchorAuditChainResponse* response) override {
    return ctx_.rpc.Run(
        context, "AnchorAuditChain", {Role::kAuditor, Role::kAdmin, Role::kSystem}, request,
        response,
        [this](const CallContext&, const av1::AnchorAuditChainRequest&,
               av1::AnchorAuditChainResponse& out) -> absl::Status {
          if (ctx_.audit_anchors == nullptr) {
            return absl::FailedPreconditionError(
                "anchoring is not configured: set LOCALGOV_SERVICE_TOKEN_FILE (a token of role"
                " system, subject service:<chain>)");
          }
          auto anchored = AnchorAuditHeadNow(ctx_.db, *ctx_.audit_anchors, ctx_.audit_chain);
          if (!anchored.ok()) return anchored.status();
          out.set_service(ctx_.config.service);
          out.set_chain(ctx_.audit_chain);
          if (!anchored->has_value()) return absl::OkStatus();  // empty: nothing to anchor
          const AuditAnchor& a = (*anchored)->anchor;
          out.set_position(a.position);
          out.set_hash(a.hash);
          out.set_log_sequence(a.log_sequence);
          out.set_created((*anchored)->created);
          return absl::OkStatus();
        });
  }

 private:
  ServiceContext& ctx_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeAuditService(ServiceContext& ctx) {
  return std::make_unique<AuditGrpc>(ctx);
}

}  // namespace localgov
