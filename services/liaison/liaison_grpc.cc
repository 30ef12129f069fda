#include "services/liaison/liaison_grpc.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace localgov::liaison {
namespace {

void ToProto(const Agency& a, v1::Agency* out) {
  out->set_code(a.code);
  out->set_name(a.name);
  out->set_kind(static_cast<v1::AgencyKind>(a.kind));
  out->set_administrative_unit_code(a.administrative_unit_code);
  out->set_status(static_cast<v1::AgencyStatus>(a.status));
  *out->mutable_create_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(a.created_at));
  out->set_etag(absl::StrCat("v", a.version));
}

Agency FromProto(const v1::Agency& p) {
  Agency a;
  a.code = p.code();
  a.name = p.name();
  a.kind = p.kind();
  a.administrative_unit_code = p.administrative_unit_code();
  return a;
}

}  // namespace

grpc::ServerUnaryReactor* LiaisonGrpc::GetServiceInfo(grpc::CallbackServerContext* context,
                                                      const v1::GetServiceInfoRequest* request,
                                                      v1::GetServiceInfoResponse* response) {
  return ServeGetServiceInfo(ctx_, context, request, response);
}

grpc::ServerUnaryReactor* LiaisonGrpc::CreateAgency(grpc::CallbackServerContext* context,
                                                    const v1::CreateAgencyRequest* request,
                                                    v1::CreateAgencyResponse* response) {
  return ctx_.rpc.Run(context, "CreateAgency", {Role::kAdmin, Role::kSystem}, request, response,
                      [this](const CallContext& call, const v1::CreateAgencyRequest& in,
                             v1::CreateAgencyResponse& out) -> absl::Status {
                        auto created =
                            directory_.CreateAgency(call, in.request_id(), FromProto(in.agency()));
                        if (!created.ok()) return created.status();
                        ToProto(*created, out.mutable_agency());
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::GetAgency(grpc::CallbackServerContext* context,
                                                 const v1::GetAgencyRequest* request,
                                                 v1::GetAgencyResponse* response) {
  return ctx_.rpc.Run(context, "GetAgency", kAnyRole, request, response,
                      [this](const CallContext&, const v1::GetAgencyRequest& in,
                             v1::GetAgencyResponse& out) -> absl::Status {
                        auto agency = directory_.GetAgency(in.code());
                        if (!agency.ok()) return agency.status();
                        ToProto(*agency, out.mutable_agency());
                        return absl::OkStatus();
                      });
}

}  // namespace localgov::liaison
