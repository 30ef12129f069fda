#include "common/audit_service.h"

#include "common/audit.h"
#include "common/db/transaction.h"
#include "localgov/audit/v1/audit_service.grpc.pb.h"

namespace localgov {
namespace {

namespace av1 = localgov::audit::v1;

av1::AuditProblem ToProto(AuditProblem p) {
  switch (p) {
    case AuditProblem::kEdited:
      return av1::AUDIT_PROBLEM_EDITED;
    case AuditProblem::kDeleted:
      return av1::AUDIT_PROBLEM_DELETED;
    case AuditProblem::kUnlinked:
      return av1::AUDIT_PROBLEM_UNLINKED;
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
        [this](const CallContext&, const av1::VerifyAuditChainRequest&,
               av1::VerifyAuditChainResponse& out) -> absl::Status {
          // One snapshot: records appended meanwhile are not half seen.
          absl::StatusOr<AuditVerification> v;
          auto st = RunInTransaction(
              ctx_.db, "verify_audit_chain",
              [&](pqxx::work& tx) {
                v = ::localgov::VerifyAuditChain(tx);  // the function, not this RPC
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
