#include "services/liaison/liaison_grpc.h"

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "google/protobuf/util/time_util.h"
#include "services/liaison/convert.h"
#include "services/liaison/liaison_spec.h"

namespace localgov::liaison {
namespace {

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
      directory_(ctx.db, ctx.clock, LogKey(ctx.config)),
      exchange_(ctx.db, ctx.clock, directory_, LogKey(ctx.config)),
      delivery_(ctx.db, ctx.clock, exchange_, ctx.config.peer_addrs,
                DeliveryWorker::Options{.credentials = PeerCredentials(ctx.config)},
                &ctx.metrics.registry()),
      anchors_(std::make_shared<AnchorLog>(ctx.db, exchange_)) {
  ctx.audit_anchors = anchors_;  // the liaison anchors its own chain in its own log
  if (!exchange_.log_key().secret_key.empty()) {
    exchange_.StartLogWriter(delivery_.options().lease, [this](std::vector<StoredEnvelope> b) {
      delivery_.Take(std::move(b));
    });
    delivery_.Start();
  }
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
        auto a = exchange_.Send(
            call, in.envelope(),
            in.has_acknowledge_by() ? FromTs(in.acknowledge_by()) : absl::InfiniteFuture());
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
                        out.set_bundle(std::move(b->bundle));
                        out.set_next_from_sequence(b->next_from);
                        return absl::OkStatus();
                      });
}

static v1::AuditAnchor AnchorToProto(const std::string& chain, const AuditAnchor& a) {
  v1::AuditAnchor out;
  out.set_chain(chain);
  out.set_position(a.position);
  out.set_hash(a.hash);
  out.set_log_sequence(a.log_sequence);
  *out.mutable_anchored_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(a.anchored_at));
  return out;
}

grpc::ServerUnaryReactor* LiaisonGrpc::AnchorAuditHead(grpc::CallbackServerContext* context,
                                                       const v1::AnchorAuditHeadRequest* request,
                                                       v1::AnchorAuditHeadResponse* response) {
  return ctx_.rpc.Run(context, "AnchorAuditHead", {Role::kSystem}, request, response,
                      [this](const CallContext& call, const v1::AnchorAuditHeadRequest& in,
                             v1::AnchorAuditHeadResponse& out) -> absl::Status {
                        // A service anchors its own chain only.
                        if (call.access.subject != absl::StrCat("service:", in.chain())) {
                          return absl::PermissionDeniedError(
                              "a token whose subject is service:<chain> anchors that chain only");
                        }
                        auto a = anchors_->Anchor(in.chain(), {in.position(), in.hash()});
                        if (!a.ok()) return a.status();
                        *out.mutable_anchor() = AnchorToProto(in.chain(), a->anchor);
                        out.set_created(a->created);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::ListAuditAnchors(grpc::CallbackServerContext* context,
                                                        const v1::ListAuditAnchorsRequest* request,
                                                        v1::ListAuditAnchorsResponse* response) {
  return ctx_.rpc.Run(context, "ListAuditAnchors",
                      {Role::kAdmin, Role::kAuditor, Role::kInspector, Role::kSystem}, request,
                      response,
                      [this](const CallContext&, const v1::ListAuditAnchorsRequest& in,
                             v1::ListAuditAnchorsResponse& out) -> absl::Status {
                        auto page = anchors_->ListPage(in.chain(), in.page_size(), in.page_token());
                        if (!page.ok()) return page.status();
                        for (const auto& a : page->anchors)
                          *out.add_anchors() = AnchorToProto(in.chain(), a);
                        out.set_next_page_token(page->next_page_token);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::ListAgencies(grpc::CallbackServerContext* context,
                                                    const v1::ListAgenciesRequest* request,
                                                    v1::ListAgenciesResponse* response) {
  return ctx_.rpc.Run(context, "ListAgencies", kAnyRole, request, response,
                      [this](const CallContext&, const v1::ListAgenciesRequest& in,
                             v1::ListAgenciesResponse& out) -> absl::Status {
                        Directory::Page page;
                        auto list = directory_.ListAgencies({.kind = in.kind(),
                                                             .unit = in.administrative_unit_code(),
                                                             .status = in.status(),
                                                             .after_code = "",
                                                             .limit = in.page_size()},
                                                            in.page_token(), page);
                        if (!list.ok()) return list.status();
                        for (const auto& a : *list) ToProto(a, out.add_agencies());
                        out.set_next_page_token(page.next_token);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::CreateAdministrativeUnit(
    grpc::CallbackServerContext* context, const v1::CreateAdministrativeUnitRequest* request,
    v1::CreateAdministrativeUnitResponse* response) {
  return ctx_.rpc.Run(context, "CreateAdministrativeUnit", {Role::kAdmin, Role::kSystem}, request,
                      response,
                      [this](const CallContext& call, const v1::CreateAdministrativeUnitRequest& in,
                             v1::CreateAdministrativeUnitResponse& out) -> absl::Status {
                        auto u = directory_.CreateUnit(call, in.request_id(), FromProto(in.unit()));
                        if (!u.ok()) return u.status();
                        ToProto(*u, out.mutable_unit());
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::GetAdministrativeUnit(
    grpc::CallbackServerContext* context, const v1::GetAdministrativeUnitRequest* request,
    v1::GetAdministrativeUnitResponse* response) {
  return ctx_.rpc.Run(context, "GetAdministrativeUnit", kAnyRole, request, response,
                      [this](const CallContext&, const v1::GetAdministrativeUnitRequest& in,
                             v1::GetAdministrativeUnitResponse& out) -> absl::Status {
                        auto r = directory_.GetUnit(in.code());
                        if (!r.ok()) return r.status();
                        ToProto(r->unit, out.mutable_unit());
                        for (const auto& l : r->predecessors) ToProto(l, out.add_predecessors());
                        for (const auto& l : r->successors) ToProto(l, out.add_successors());
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::ListAdministrativeUnits(
    grpc::CallbackServerContext* context, const v1::ListAdministrativeUnitsRequest* request,
    v1::ListAdministrativeUnitsResponse* response) {
  return ctx_.rpc.Run(context, "ListAdministrativeUnits", kAnyRole, request, response,
                      [this](const CallContext&, const v1::ListAdministrativeUnitsRequest& in,
                             v1::ListAdministrativeUnitsResponse& out) -> absl::Status {
                        Directory::Page page;
                        auto list =
                            directory_.ListUnits({.parent = in.parent_code(),
                                                  .level = in.level(),
                                                  .on_date = in.on_date(),
                                                  .after_code = "",
                                                  .limit = in.page_size()},
                                                 in.include_history(), in.page_token(), page);
                        if (!list.ok()) return list.status();
                        for (const auto& u : *list) ToProto(u, out.add_units());
                        out.set_next_page_token(page.next_token);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::RecordUnitSuccession(
    grpc::CallbackServerContext* context, const v1::RecordUnitSuccessionRequest* request,
    v1::RecordUnitSuccessionResponse* response) {
  return ctx_.rpc.Run(
      context, "RecordUnitSuccession", kAdminOnly, request, response,
      [this](const CallContext& call, const v1::RecordUnitSuccessionRequest& in,
             v1::RecordUnitSuccessionResponse& out) -> absl::Status {
        auto links = directory_.RecordSuccession(
            call, in.kind(), {in.predecessor_codes().begin(), in.predecessor_codes().end()},
            {in.successor_codes().begin(), in.successor_codes().end()}, in.effective_date());
        if (!links.ok()) return links.status();
        for (const auto& l : *links) ToProto(l, out.add_successions());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::ResolveAdministrativeUnit(
    grpc::CallbackServerContext* context, const v1::ResolveAdministrativeUnitRequest* request,
    v1::ResolveAdministrativeUnitResponse* response) {
  return ctx_.rpc.Run(context, "ResolveAdministrativeUnit", kAnyRole, request, response,
                      [this](const CallContext&, const v1::ResolveAdministrativeUnitRequest& in,
                             v1::ResolveAdministrativeUnitResponse& out) -> absl::Status {
                        auto r = directory_.ResolveUnit(in.code());
                        if (!r.ok()) return r.status();
                        for (const auto& u : r->current) ToProto(u, out.add_current());
                        for (const auto& l : r->path) ToProto(l, out.add_path());
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* LiaisonGrpc::GetDirectorySnapshot(
    grpc::CallbackServerContext* context, const v1::GetDirectorySnapshotRequest* request,
    v1::GetDirectorySnapshotResponse* response) {
  // Our services fetch it without a token: mTLS authenticates them, as for Send.
  return ctx_.rpc.RunTransportAuthenticated(
      context, "GetDirectorySnapshot", request, response,
      [this](const CallContext&, const v1::GetDirectorySnapshotRequest& in,
             v1::GetDirectorySnapshotResponse& out) -> absl::Status {
        auto s = directory_.Snapshot(in.known_version());
        if (!s.ok()) return s.status();
        if (*s == nullptr) {
          out.set_not_modified(true);
        } else {
          *out.mutable_snapshot() = **s;
        }
        return absl::OkStatus();
      });
}

}  // namespace localgov::liaison
