#include "common/audit_service.h"

#include "common/audit.h"
#include "common/db/transaction.h"
#include "common/status.h"
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
        [this](const CallContext&, const av1::VerifyAuditChainRequest& in,
               av1::VerifyAuditChainResponse& out) -> absl::Status {
          Validator check;
          check.Check(in.max_findings() >= 0 && in.max_findings() <= 1000, "max_findings",
                      "0 (default 100) to 1000");
          if (!check.ok()) return check.status();
          const int max_findings = in.max_findings() == 0 ? 100 : in.max_findings();
          // One snapshot: records appended meanwhile are not half seen.
          absl::StatusOr<AuditVerification> v;
          auto st = RunInTransaction(
              ctx_.db, "verify_audit_chain",
              [&](pqxx::work& tx) {
                v = ::localgov::VerifyAuditChain(tx, max_findings);  // the function
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
