#include "services/liaison/liaison_grpc.h"

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "google/protobuf/util/time_util.h"
#include "services/liaison/liaison_spec.h"

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
  out->set_successor_code(a.successor_code);
  out->set_status_effective_date(a.status_effective);
  out->set_receiver_endpoint(a.receiver_endpoint);
}

SigningKey LogKey(const ServiceConfig& config) {
  auto it = config.extras.find(kLogSigningKeyVariable);
  if (it == config.extras.end() || it->second.empty()) return {};
  auto key = ReadSigningKeyFile(it->second);
  if (!key.ok()) {
    spdlog::error("message log signing key: {}", key.status().message());
    return {};
  }
  return *key;
}

absl::Time FromTs(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(t));
}

constexpr std::initializer_list<Role> kAdminOnly = {Role::kAdmin};
constexpr std::initializer_list<Role> kLogReaders = {Role::kAdmin, Role::kAuditor,
                                                     Role::kInspector};

Agency FromProto(const v1::Agency& p) {
  Agency a;
  a.code = p.code();
  a.name = p.name();
  a.kind = p.kind();
  a.administrative_unit_code = p.administrative_unit_code();
  return a;
}

}  // namespace

LiaisonGrpc::LiaisonGrpc(ServiceContext& ctx)
    : ctx_(ctx),
      directory_(ctx.db, ctx.clock),
      exchange_(ctx.db, ctx.clock, LogKey(ctx.config)),
      delivery_(ctx.db, ctx.clock, exchange_, ctx.config.peer_addrs, DeliveryWorker::Options{},
                &ctx.metrics.registry()) {
  if (!exchange_.log_key().secret_key.empty()) delivery_.Start();
}

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

grpc::ServerUnaryReactor* LiaisonGrpc::ResolveAgency(grpc::CallbackServerContext* context,
                                                     const v1::ResolveAgencyRequest* request,
                                                     v1::ResolveAgencyResponse* response) {
  return ctx_.rpc.Run(context, "ResolveAgency", kAnyRole, request, response,
                      [this](const CallContext&, const v1::ResolveAgencyRequest& in,
                             v1::ResolveAgencyResponse& out) -> absl::Status {
                        auto r = directory_.Resolve(in.code());
                        if (!r.ok()) return r.status();
                        ToProto(r->agency, out.mutable_agency());
                        for (const auto& c : r->chain) out.add_chain(c);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::MergeAgency(grpc::CallbackServerContext* context,
                                                   const v1::MergeAgencyRequest* request,
                                                   v1::MergeAgencyResponse* response) {
  return ctx_.rpc.Run(context, "MergeAgency", kAdminOnly, request, response,
                      [this](const CallContext& call, const v1::MergeAgencyRequest& in,
                             v1::MergeAgencyResponse& out) -> absl::Status {
                        auto a = directory_.Merge(call, in.code(), in.successor_code(),
                                                  in.effective_date());
                        if (!a.ok()) return a.status();
                        ToProto(*a, out.mutable_agency());
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::SetAgencyEndpoint(
    grpc::CallbackServerContext* context, const v1::SetAgencyEndpointRequest* request,
    v1::SetAgencyEndpointResponse* response) {
  return ctx_.rpc.Run(context, "SetAgencyEndpoint", kAdminOnly, request, response,
                      [this](const CallContext& call, const v1::SetAgencyEndpointRequest& in,
                             v1::SetAgencyEndpointResponse& out) -> absl::Status {
                        auto a = directory_.SetEndpoint(call, in.code(), in.receiver_endpoint());
                        if (!a.ok()) return a.status();
                        ToProto(*a, out.mutable_agency());
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::AddAgencyKey(grpc::CallbackServerContext* context,
                                                    const v1::AddAgencyKeyRequest* request,
                                                    v1::AddAgencyKeyResponse* response) {
  return ctx_.rpc.Run(context, "AddAgencyKey", kAdminOnly, request, response,
                      [this](const CallContext& call, const v1::AddAgencyKeyRequest& in,
                             v1::AddAgencyKeyResponse& out) -> absl::Status {
                        AgencyKey k;
                        k.agency = in.agency_code();
                        k.key_id = in.key_id();
                        k.public_key = in.public_key();
                        k.valid_from =
                            in.has_valid_from() ? FromTs(in.valid_from()) : ctx_.clock.Now();
                        if (in.has_valid_until()) k.valid_until = FromTs(in.valid_until());
                        auto st = directory_.AddKey(call, k);
                        if (!st.ok()) return st;
                        out.set_key_id(k.key_id);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::GrantAccess(grpc::CallbackServerContext* context,
                                                   const v1::GrantAccessRequest* request,
                                                   v1::GrantAccessResponse* response) {
  return ctx_.rpc.Run(context, "GrantAccess", kAdminOnly, request, response,
                      [this](const CallContext& call, const v1::GrantAccessRequest& in,
                             v1::GrantAccessResponse&) -> absl::Status {
                        return directory_.Grant(call, in.sender_agency_code(), in.type(),
                                                in.receiver_agency_code());
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::Send(grpc::CallbackServerContext* context,
                                            const v1::SendRequest* request,
                                            v1::SendResponse* response) {
  return ctx_.rpc.RunTransportAuthenticated(
      context, "Send", request, response,
      [this](const CallContext& call, const v1::SendRequest& in,
             v1::SendResponse& out) -> absl::Status {
        auto a = exchange_.Send(call, in.envelope());
        if (!a.ok()) return a.status();
        out.set_envelope_id(a->envelope_id);
        out.set_delivered_to_agency_code(a->delivered_to);
        out.set_state(static_cast<v1::DeliveryState>(a->state));
        out.set_log_sequence(a->log_sequence);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::GetEnvelope(grpc::CallbackServerContext* context,
                                                   const v1::GetEnvelopeRequest* request,
                                                   v1::GetEnvelopeResponse* response) {
  return ctx_.rpc.Run(context, "GetEnvelope", kAnyRole, request, response,
                      [this](const CallContext& call, const v1::GetEnvelopeRequest& in,
                             v1::GetEnvelopeResponse& out) -> absl::Status {
                        auto r = exchange_.Get(call, in.id());
                        if (!r.ok()) return r.status();
                        *out.mutable_record() = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::ListEnvelopes(grpc::CallbackServerContext* context,
                                                     const v1::ListEnvelopesRequest* request,
                                                     v1::ListEnvelopesResponse* response) {
  return ctx_.rpc.Run(context, "ListEnvelopes", kAnyRole, request, response,
                      [this](const CallContext& call, const v1::ListEnvelopesRequest& in,
                             v1::ListEnvelopesResponse& out) -> absl::Status {
                        auto page = exchange_.List(call, in);
                        if (!page.ok()) return page.status();
                        for (auto& r : page->records) *out.add_records() = std::move(r);
                        out.set_next_page_token(page->next_page_token);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::Requeue(grpc::CallbackServerContext* context,
                                               const v1::RequeueRequest* request,
                                               v1::RequeueResponse* response) {
  return ctx_.rpc.Run(context, "Requeue", {Role::kAdmin, Role::kSystem}, request, response,
                      [this](const CallContext& call, const v1::RequeueRequest& in,
                             v1::RequeueResponse& out) -> absl::Status {
                        auto r = exchange_.Requeue(call, in.id());
                        if (!r.ok()) return r.status();
                        *out.mutable_record() = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::VerifyLog(grpc::CallbackServerContext* context,
                                                 const v1::VerifyLogRequest* request,
                                                 v1::VerifyLogResponse* response) {
  return ctx_.rpc.Run(context, "VerifyLog", kLogReaders, request, response,
                      [this](const CallContext&, const v1::VerifyLogRequest& in,
                             v1::VerifyLogResponse& out) -> absl::Status {
                        auto c = exchange_.VerifyLog(in.from_sequence(), in.to_sequence());
                        if (!c.ok()) return c.status();
                        out.set_ok(c->ok);
                        out.set_checked(c->checked);
                        out.set_first_bad_sequence(c->first_bad_sequence);
                        out.set_problem(c->problem);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::ExportLog(grpc::CallbackServerContext* context,
                                                 const v1::ExportLogRequest* request,
                                                 v1::ExportLogResponse* response) {
  return ctx_.rpc.Run(context, "ExportLog", kLogReaders, request, response,
                      [this](const CallContext&, const v1::ExportLogRequest& in,
                             v1::ExportLogResponse& out) -> absl::Status {
                        auto b = exchange_.ExportLog(in.from_sequence(), in.to_sequence());
                        if (!b.ok()) return b.status();
                        out.set_bundle(std::move(*b));
                        return absl::OkStatus();
                      });
}

}  // namespace localgov::liaison
