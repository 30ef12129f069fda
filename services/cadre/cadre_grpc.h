#ifndef LOCALGOV_SERVICES_CADRE_CADRE_GRPC_H_
#define LOCALGOV_SERVICES_CADRE_CADRE_GRPC_H_

#include <memory>

#include "common/directory_snapshot.h"
#include "common/periodic.h"
#include "common/service.h"
#include "localgov/cadre/v1/cadre_service.grpc.pb.h"
#include "services/cadre/cadres.h"

namespace localgov::cadre {

// The gRPC adapter of the cadre service: translates requests and responses, nothing more.
class CadreGrpc final : public v1::CadreService::CallbackService {
 public:
  explicit CadreGrpc(ServiceContext& ctx);
  ~CadreGrpc() override;

  grpc::ServerUnaryReactor* GetServiceInfo(grpc::CallbackServerContext* context,
                                           const v1::GetServiceInfoRequest* request,
                                           v1::GetServiceInfoResponse* response) override;
  grpc::ServerUnaryReactor* RegisterAgency(grpc::CallbackServerContext* context,
                                           const v1::RegisterAgencyRequest* request,
                                           v1::RegisterAgencyResponse* response) override;
  grpc::ServerUnaryReactor* CreateUnit(grpc::CallbackServerContext* context,
                                       const v1::CreateUnitRequest* request,
                                       v1::CreateUnitResponse* response) override;
  grpc::ServerUnaryReactor* ListUnits(grpc::CallbackServerContext* context,
                                      const v1::ListUnitsRequest* request,
                                      v1::ListUnitsResponse* response) override;
  grpc::ServerUnaryReactor* CreatePosition(grpc::CallbackServerContext* context,
                                           const v1::CreatePositionRequest* request,
                                           v1::CreatePositionResponse* response) override;
  grpc::ServerUnaryReactor* SetQuota(grpc::CallbackServerContext* context,
                                     const v1::SetQuotaRequest* request,
                                     v1::SetQuotaResponse* response) override;
  grpc::ServerUnaryReactor* GetUnitStaffing(grpc::CallbackServerContext* context,
                                            const v1::GetUnitStaffingRequest* request,
                                            v1::GetUnitStaffingResponse* response) override;
  grpc::ServerUnaryReactor* CreatePerson(grpc::CallbackServerContext* context,
                                         const v1::CreatePersonRequest* request,
                                         v1::CreatePersonResponse* response) override;
  grpc::ServerUnaryReactor* GetPerson(grpc::CallbackServerContext* context,
                                      const v1::GetPersonRequest* request,
                                      v1::GetPersonResponse* response) override;
  grpc::ServerUnaryReactor* ListPeople(grpc::CallbackServerContext* context,
                                       const v1::ListPeopleRequest* request,
                                       v1::ListPeopleResponse* response) override;
  grpc::ServerUnaryReactor* AddQualification(grpc::CallbackServerContext* context,
                                             const v1::AddQualificationRequest* request,
                                             v1::AddQualificationResponse* response) override;
  grpc::ServerUnaryReactor* RecordAssignment(grpc::CallbackServerContext* context,
                                             const v1::RecordAssignmentRequest* request,
                                             v1::RecordAssignmentResponse* response) override;
  grpc::ServerUnaryReactor* RecordRank(grpc::CallbackServerContext* context,
                                       const v1::RecordRankRequest* request,
                                       v1::RecordRankResponse* response) override;
  grpc::ServerUnaryReactor* CorrectHistory(grpc::CallbackServerContext* context,
                                           const v1::CorrectHistoryRequest* request,
                                           v1::CorrectHistoryResponse* response) override;
  grpc::ServerUnaryReactor* GetPersonHistory(grpc::CallbackServerContext* context,
                                             const v1::GetPersonHistoryRequest* request,
                                             v1::GetPersonHistoryResponse* response) override;
  grpc::ServerUnaryReactor* GetRoster(grpc::CallbackServerContext* context,
                                      const v1::GetRosterRequest* request,
                                      v1::GetRosterResponse* response) override;
  grpc::ServerUnaryReactor* RecordDiscipline(grpc::CallbackServerContext* context,
                                             const v1::RecordDisciplineRequest* request,
                                             v1::RecordDisciplineResponse* response) override;
  grpc::ServerUnaryReactor* RecordEvaluation(grpc::CallbackServerContext* context,
                                             const v1::RecordEvaluationRequest* request,
                                             v1::RecordEvaluationResponse* response) override;
  grpc::ServerUnaryReactor* ListDue(grpc::CallbackServerContext* context,
                                    const v1::ListDueRequest* request,
                                    v1::ListDueResponse* response) override;

  // Recruitment and reports (cadre_grpc_plan.cc).
  grpc::ServerUnaryReactor* CreateRecruitmentRound(
      grpc::CallbackServerContext* context, const v1::CreateRecruitmentRoundRequest* request,
      v1::CreateRecruitmentRoundResponse* response) override;
  grpc::ServerUnaryReactor* AddCandidate(grpc::CallbackServerContext* context,
                                         const v1::AddCandidateRequest* request,
                                         v1::AddCandidateResponse* response) override;
  grpc::ServerUnaryReactor* RecordCandidateScores(
      grpc::CallbackServerContext* context, const v1::RecordCandidateScoresRequest* request,
      v1::RecordCandidateScoresResponse* response) override;
  grpc::ServerUnaryReactor* GetRecruitmentRanking(
      grpc::CallbackServerContext* context, const v1::GetRecruitmentRankingRequest* request,
      v1::GetRecruitmentRankingResponse* response) override;
  grpc::ServerUnaryReactor* GetStandardsReport(grpc::CallbackServerContext* context,
                                               const v1::GetStandardsReportRequest* request,
                                               v1::GetStandardsReportResponse* response) override;
  grpc::ServerUnaryReactor* ListStandardsDetail(grpc::CallbackServerContext* context,
                                                const v1::ListStandardsDetailRequest* request,
                                                v1::ListStandardsDetailResponse* response) override;

  // Mergers (cadre_grpc_merger.cc).
  grpc::ServerUnaryReactor* PreviewMerger(grpc::CallbackServerContext* context,
                                          const v1::PreviewMergerRequest* request,
                                          v1::PreviewMergerResponse* response) override;
  grpc::ServerUnaryReactor* ApplyMerger(grpc::CallbackServerContext* context,
                                        const v1::ApplyMergerRequest* request,
                                        v1::ApplyMergerResponse* response) override;

  Cadres& cadres() { return cadres_; }

 private:
  ServiceContext& ctx_;
  Cadres cadres_;
  // The liaison's signed directory and the worker projecting its agencies into the register.
  std::unique_ptr<DirectoryCache> directory_;
  PeriodicThread projector_;
};

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_CADRE_GRPC_H_
