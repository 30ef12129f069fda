// The gRPC adapter of merger plans: translation only (the use cases check the successor's
// personnel office).
#include "services/cadre/cadre_grpc.h"

namespace localgov::cadre {
namespace {

constexpr std::initializer_list<Role> kStaff = {Role::kOfficer, Role::kLeader, Role::kSystem};

}  // namespace

grpc::ServerUnaryReactor* CadreGrpc::PreviewMerger(grpc::CallbackServerContext* context,
                                                   const v1::PreviewMergerRequest* request,
                                                   v1::PreviewMergerResponse* response) {
  return ctx_.rpc.Run(context, "PreviewMerger", kStaff, request, response,
                      [this](const CallContext& call, const v1::PreviewMergerRequest& in,
                             v1::PreviewMergerResponse& out) -> absl::Status {
                        auto r = cadres_.PreviewMerger(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::ApplyMerger(grpc::CallbackServerContext* context,
                                                 const v1::ApplyMergerRequest* request,
                                                 v1::ApplyMergerResponse* response) {
  return ctx_.rpc.Run(context, "ApplyMerger", kStaff, request, response,
                      [this](const CallContext& call, const v1::ApplyMergerRequest& in,
                             v1::ApplyMergerResponse& out) -> absl::Status {
                        auto r = cadres_.ApplyMerger(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

}  // namespace localgov::cadre
