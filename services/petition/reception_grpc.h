#ifndef LOCALGOV_SERVICES_PETITION_RECEPTION_GRPC_H_
#define LOCALGOV_SERVICES_PETITION_RECEPTION_GRPC_H_

#include "common/service.h"
#include "localgov/petition/v1/reception_service.grpc.pb.h"
#include "services/petition/receptions.h"

namespace localgov::petition {

// The gRPC adapter of ReceptionService: translates requests and responses, nothing more. It
// shares the petition service's use cases (the intake a visit's petitions go through).
class ReceptionGrpc final : public v1::ReceptionService::CallbackService {
 public:
  ReceptionGrpc(ServiceContext& ctx, Petitions& petitions)
      : ctx_(ctx), receptions_(ctx.db, petitions) {}

  grpc::ServerUnaryReactor* CreateReceptionSession(
      grpc::CallbackServerContext* context, const v1::CreateReceptionSessionRequest* request,
      v1::CreateReceptionSessionResponse* response) override;
  grpc::ServerUnaryReactor* RecordVisit(grpc::CallbackServerContext* context,
                                        const v1::RecordVisitRequest* request,
                                        v1::RecordVisitResponse* response) override;
  grpc::ServerUnaryReactor* GetVisit(grpc::CallbackServerContext* context,
                                     const v1::GetVisitRequest* request,
                                     v1::GetVisitResponse* response) override;
  grpc::ServerUnaryReactor* ListVisits(grpc::CallbackServerContext* context,
                                       const v1::ListVisitsRequest* request,
                                       v1::ListVisitsResponse* response) override;
  grpc::ServerUnaryReactor* RevealVisitors(grpc::CallbackServerContext* context,
                                           const v1::RevealVisitorsRequest* request,
                                           v1::RevealVisitorsResponse* response) override;
  grpc::ServerUnaryReactor* GetReceptionDays(grpc::CallbackServerContext* context,
                                             const v1::GetReceptionDaysRequest* request,
                                             v1::GetReceptionDaysResponse* response) override;
  grpc::ServerUnaryReactor* CreateVoterSession(grpc::CallbackServerContext* context,
                                               const v1::CreateVoterSessionRequest* request,
                                               v1::CreateVoterSessionResponse* response) override;
  grpc::ServerUnaryReactor* AddVoterRecommendation(
      grpc::CallbackServerContext* context, const v1::AddVoterRecommendationRequest* request,
      v1::AddVoterRecommendationResponse* response) override;
  grpc::ServerUnaryReactor* AssignVoterRecommendation(
      grpc::CallbackServerContext* context, const v1::AssignVoterRecommendationRequest* request,
      v1::AssignVoterRecommendationResponse* response) override;
  grpc::ServerUnaryReactor* AnswerVoterRecommendation(
      grpc::CallbackServerContext* context, const v1::AnswerVoterRecommendationRequest* request,
      v1::AnswerVoterRecommendationResponse* response) override;
  grpc::ServerUnaryReactor* ReportBackVoterRecommendation(
      grpc::CallbackServerContext* context, const v1::ReportBackVoterRecommendationRequest* request,
      v1::ReportBackVoterRecommendationResponse* response) override;
  grpc::ServerUnaryReactor* GetVoterReport(grpc::CallbackServerContext* context,
                                           const v1::GetVoterReportRequest* request,
                                           v1::GetVoterReportResponse* response) override;

 private:
  ServiceContext& ctx_;
  Receptions receptions_;
};

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_RECEPTION_GRPC_H_
