#ifndef LOCALGOV_SERVICES_LIAISON_LIAISON_GRPC_H_
#define LOCALGOV_SERVICES_LIAISON_LIAISON_GRPC_H_

#include "common/service.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "services/liaison/anchor_log.h"
#include "services/liaison/delivery.h"
#include "services/liaison/directory.h"
#include "services/liaison/exchange.h"

namespace localgov::liaison {

// The gRPC adapter of the liaison service: translates requests and responses, nothing more.
class LiaisonGrpc final : public v1::LiaisonService::CallbackService {
 public:
  explicit LiaisonGrpc(ServiceContext& ctx);
  ~LiaisonGrpc() override {
    exchange_.StopLogWriter();
    delivery_.Stop();
  }

  grpc::ServerUnaryReactor* GetServiceInfo(grpc::CallbackServerContext* context,
                                           const v1::GetServiceInfoRequest* request,
                                           v1::GetServiceInfoResponse* response) override;
  grpc::ServerUnaryReactor* CreateAgency(grpc::CallbackServerContext* context,
                                         const v1::CreateAgencyRequest* request,
                                         v1::CreateAgencyResponse* response) override;
  grpc::ServerUnaryReactor* GetAgency(grpc::CallbackServerContext* context,
                                      const v1::GetAgencyRequest* request,
                                      v1::GetAgencyResponse* response) override;

  grpc::ServerUnaryReactor* ResolveAgency(grpc::CallbackServerContext* context,
                                          const v1::ResolveAgencyRequest* request,
                                          v1::ResolveAgencyResponse* response) override;
  grpc::ServerUnaryReactor* MergeAgency(grpc::CallbackServerContext* context,
                                        const v1::MergeAgencyRequest* request,
                                        v1::MergeAgencyResponse* response) override;
  grpc::ServerUnaryReactor* SetAgencyEndpoint(grpc::CallbackServerContext* context,
                                              const v1::SetAgencyEndpointRequest* request,
                                              v1::SetAgencyEndpointResponse* response) override;
  grpc::ServerUnaryReactor* AddAgencyKey(grpc::CallbackServerContext* context,
                                         const v1::AddAgencyKeyRequest* request,
                                         v1::AddAgencyKeyResponse* response) override;
  grpc::ServerUnaryReactor* GrantAccess(grpc::CallbackServerContext* context,
                                        const v1::GrantAccessRequest* request,
                                        v1::GrantAccessResponse* response) override;
  grpc::ServerUnaryReactor* Send(grpc::CallbackServerContext* context,
                                 const v1::SendRequest* request,
                                 v1::SendResponse* response) override;
  grpc::ServerUnaryReactor* GetEnvelope(grpc::CallbackServerContext* context,
                                        const v1::GetEnvelopeRequest* request,
                                        v1::GetEnvelopeResponse* response) override;
  grpc::ServerUnaryReactor* ListEnvelopes(grpc::CallbackServerContext* context,
                                          const v1::ListEnvelopesRequest* request,
                                          v1::ListEnvelopesResponse* response) override;
  grpc::ServerUnaryReactor* Requeue(grpc::CallbackServerContext* context,
                                    const v1::RequeueRequest* request,
                                    v1::RequeueResponse* response) override;
  grpc::ServerUnaryReactor* VerifyLog(grpc::CallbackServerContext* context,
                                      const v1::VerifyLogRequest* request,
                                      v1::VerifyLogResponse* response) override;
  grpc::ServerUnaryReactor* ExportLog(grpc::CallbackServerContext* context,
                                      const v1::ExportLogRequest* request,
                                      v1::ExportLogResponse* response) override;
  grpc::ServerUnaryReactor* AnchorAuditHead(grpc::CallbackServerContext* context,
                                            const v1::AnchorAuditHeadRequest* request,
                                            v1::AnchorAuditHeadResponse* response) override;
  grpc::ServerUnaryReactor* ListAuditAnchors(grpc::CallbackServerContext* context,
                                             const v1::ListAuditAnchorsRequest* request,
                                             v1::ListAuditAnchorsResponse* response) override;

  grpc::ServerUnaryReactor* ListAgencies(grpc::CallbackServerContext* context,
                                         const v1::ListAgenciesRequest* request,
                                         v1::ListAgenciesResponse* response) override;
  grpc::ServerUnaryReactor* CreateAdministrativeUnit(
      grpc::CallbackServerContext* context, const v1::CreateAdministrativeUnitRequest* request,
      v1::CreateAdministrativeUnitResponse* response) override;
  grpc::ServerUnaryReactor* GetAdministrativeUnit(
      grpc::CallbackServerContext* context, const v1::GetAdministrativeUnitRequest* request,
      v1::GetAdministrativeUnitResponse* response) override;
  grpc::ServerUnaryReactor* ListAdministrativeUnits(
      grpc::CallbackServerContext* context, const v1::ListAdministrativeUnitsRequest* request,
      v1::ListAdministrativeUnitsResponse* response) override;
  grpc::ServerUnaryReactor* RecordUnitSuccession(
      grpc::CallbackServerContext* context, const v1::RecordUnitSuccessionRequest* request,
      v1::RecordUnitSuccessionResponse* response) override;
  grpc::ServerUnaryReactor* ResolveAdministrativeUnit(
      grpc::CallbackServerContext* context, const v1::ResolveAdministrativeUnitRequest* request,
      v1::ResolveAdministrativeUnitResponse* response) override;
  grpc::ServerUnaryReactor* GetDirectorySnapshot(
      grpc::CallbackServerContext* context, const v1::GetDirectorySnapshotRequest* request,
      v1::GetDirectorySnapshotResponse* response) override;

 private:
  ServiceContext& ctx_;
  Directory directory_;
  Exchange exchange_;
  DeliveryWorker delivery_;
  // Every service's audit chain heads, the liaison's own included (ctx.audit_anchors).
  std::shared_ptr<AnchorLog> anchors_;
};

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_LIAISON_GRPC_H_
