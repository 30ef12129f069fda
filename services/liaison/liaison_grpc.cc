#include "services/liaison/liaison_grpc.h"

#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "google/protobuf/util/time_util.h"
#include "services/liaison/agency.h"
#include "services/liaison/directory_store.h"

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

grpc::Status LiaisonGrpc::GetServiceInfo(grpc::ServerContext* context,
                                         const v1::GetServiceInfoRequest* request,
                                         v1::GetServiceInfoResponse* response) {
  return ctx_.rpc.Run(context, "GetServiceInfo", kAnyRole, [&](const CallContext&) {
    return FillServiceInfo(ctx_, response->mutable_info());
  });
}

grpc::Status LiaisonGrpc::CreateAgency(grpc::ServerContext* context,
                                       const v1::CreateAgencyRequest* request,
                                       v1::CreateAgencyResponse* response) {
  return ctx_.rpc.Run(
      context, "CreateAgency", {Role::kAdmin, Role::kSystem},
      [&](const CallContext& call) -> absl::Status {
        Validator v;
        ValidateRequestId(v, "request_id", request->request_id());
        if (!request->has_agency()) {
          v.Add("agency", "required");
        } else {
          ValidateNewAgency(FromProto(request->agency()), v, "agency");
        }
        if (!v.ok()) return v.status();

        Agency agency = FromProto(request->agency());
        agency.created_at = ctx_.clock.Now();
        const std::string body = request->agency().SerializeAsString();
        return RunInTransaction(ctx_.db, "create_agency", [&](pqxx::work& tx) -> absl::Status {
          auto previous = ClaimIdempotencyKey(tx, call.access.subject, call.method,
                                              request->request_id(), Sha256Hex(body));
          if (!previous.ok()) return previous.status();
          if (previous->has_value()) {
            return response->ParseFromString(**previous)
                       ? absl::OkStatus()
                       : absl::InternalError("stored idempotent response is unreadable");
          }
          auto created = DirectoryStore::InsertAgency(tx, agency);
          if (!created.ok()) return created.status();
          response->Clear();
          ToProto(*created, response->mutable_agency());
          auto audited = AppendAudit(
              tx,
              {call.access.subject, std::string(RoleName(call.access.role)), call.access.agency,
               "liaison.CreateAgency", "agency", created->code, call.request_id, body},
              ctx_.clock.Now());
          if (!audited.ok()) return audited;
          StoreIdempotentResponse(tx, call.access.subject, call.method, request->request_id(),
                                  response->SerializeAsString());
          return absl::OkStatus();
        });
      });
}

grpc::Status LiaisonGrpc::GetAgency(grpc::ServerContext* context,
                                    const v1::GetAgencyRequest* request,
                                    v1::GetAgencyResponse* response) {
  return ctx_.rpc.Run(context, "GetAgency", kAnyRole, [&](const CallContext&) -> absl::Status {
    Validator v;
    if (v.Check(!request->code().empty(), "code", "required")) {
      v.Check(IsValidAgencyCode(request->code()), "code",
              "must be a national agency code like 000.00.00.G22");
    }
    if (!v.ok()) return v.status();
    bool found = false;
    auto status = RunInTransaction(
        ctx_.db, "get_agency",
        [&](pqxx::work& tx) -> absl::Status {
          auto agency = DirectoryStore::FindAgency(tx, request->code());
          if (agency.has_value()) {
            found = true;
            ToProto(*agency, response->mutable_agency());
          }
          return absl::OkStatus();
        },
        TxOptions{.read_only = true});
    if (!status.ok()) return status;
    if (!found) return absl::NotFoundError(absl::StrCat("agency ", request->code(), " not found"));
    return absl::OkStatus();
  });
}

}  // namespace localgov::liaison
