#ifndef LOCALGOV_SERVICES_DOSSIER_DOSSIER_GRPC_H_
#define LOCALGOV_SERVICES_DOSSIER_DOSSIER_GRPC_H_

#include "common/service.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "services/dossier/calendar_service.h"

namespace localgov::dossier {

// The gRPC adapter of the dossier service: translates requests and responses, nothing more.
class DossierGrpc final : public v1::DossierService::CallbackService {
 public:
  explicit DossierGrpc(ServiceContext& ctx) : ctx_(ctx), calendar_(ctx.db, ctx.clock) {}

  CalendarService& calendar() { return calendar_; }

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

 private:
  ServiceContext& ctx_;
  CalendarService calendar_;
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_DOSSIER_GRPC_H_
