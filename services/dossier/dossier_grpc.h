#ifndef LOCALGOV_SERVICES_DOSSIER_DOSSIER_GRPC_H_
#define LOCALGOV_SERVICES_DOSSIER_DOSSIER_GRPC_H_

#include "common/service.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "services/dossier/calendar_service.h"
#include "services/dossier/catalogue.h"
#include "services/dossier/dossiers.h"

namespace localgov::dossier {

// The gRPC adapter of the dossier service: translates requests and responses, nothing more.
class DossierGrpc final : public v1::DossierService::CallbackService {
 public:
  explicit DossierGrpc(ServiceContext& ctx)
      : ctx_(ctx),
        calendar_(ctx.db, ctx.clock),
        catalogue_(ctx.db, ctx.clock),
        dossiers_(ctx.db, ctx.clock, catalogue_, calendar_) {}

  CalendarService& calendar() { return calendar_; }
  Catalogue& catalogue() { return catalogue_; }

  grpc::ServerUnaryReactor* GetServiceInfo(grpc::CallbackServerContext* context,
                                           const v1::GetServiceInfoRequest* request,
                                           v1::GetServiceInfoResponse* response) override;
  grpc::ServerUnaryReactor* GetCalendarYear(grpc::CallbackServerContext* context,
                                            const v1::GetCalendarYearRequest* request,
                                            v1::GetCalendarYearResponse* response) override;
  grpc::ServerUnaryReactor* SetCalendarYear(grpc::CallbackServerContext* context,
                                            const v1::SetCalendarYearRequest* request,
                                            v1::SetCalendarYearResponse* response) override;
  grpc::ServerUnaryReactor* ComputeDueDate(grpc::CallbackServerContext* context,
                                           const v1::ComputeDueDateRequest* request,
                                           v1::ComputeDueDateResponse* response) override;
  grpc::ServerUnaryReactor* ListProcedures(grpc::CallbackServerContext* context,
                                           const v1::ListProceduresRequest* request,
                                           v1::ListProceduresResponse* response) override;
  grpc::ServerUnaryReactor* GetProcedure(grpc::CallbackServerContext* context,
                                         const v1::GetProcedureRequest* request,
                                         v1::GetProcedureResponse* response) override;
  grpc::ServerUnaryReactor* ReceiveDossier(grpc::CallbackServerContext* context,
                                           const v1::ReceiveDossierRequest* request,
                                           v1::ReceiveDossierResponse* response) override;
  grpc::ServerUnaryReactor* GetDossier(grpc::CallbackServerContext* context,
                                       const v1::GetDossierRequest* request,
                                       v1::GetDossierResponse* response) override;

 private:
  ServiceContext& ctx_;
  CalendarService calendar_;
  Catalogue catalogue_;
  Dossiers dossiers_;
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_DOSSIER_GRPC_H_
