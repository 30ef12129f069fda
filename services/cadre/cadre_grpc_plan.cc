// The gRPC adapter of recruitment and reports: translation only (the use cases check the
// agency and the personnel office).
#include "services/cadre/cadre_grpc.h"

namespace localgov::cadre {
namespace {

constexpr std::initializer_list<Role> kStaff = {Role::kOfficer, Role::kLeader, Role::kSystem};

}  // namespace

grpc::ServerUnaryReactor* CadreGrpc::CreateRecruitmentRound(
    grpc::CallbackServerContext* context, const v1::CreateRecruitmentRoundRequest* request,
    v1::CreateRecruitmentRoundResponse* response) {
  return ctx_.rpc.Run(context, "CreateRecruitmentRound", kStaff, request, response,
                      [this](const CallContext& call, const v1::CreateRecruitmentRoundRequest& in,
                             v1::CreateRecruitmentRoundResponse& out) -> absl::Status {
                        auto r = cadres_.CreateRecruitmentRound(call, in);
                        if (!r.ok()) return r.status();
                        *out.mutable_round() = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::AddCandidate(grpc::CallbackServerContext* context,
                                                  const v1::AddCandidateRequest* request,
                                                  v1::AddCandidateResponse* response) {
  return ctx_.rpc.Run(context, "AddCandidate", kStaff, request, response,
                      [this](const CallContext& call, const v1::AddCandidateRequest& in,
                             v1::AddCandidateResponse& out) -> absl::Status {
                        auto r = cadres_.AddCandidate(call, in);
                        if (!r.ok()) return r.status();
                        *out.mutable_candidate() = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::RecordCandidateScores(
    grpc::CallbackServerContext* context, const v1::RecordCandidateScoresRequest* request,
    v1::RecordCandidateScoresResponse* response) {
  return ctx_.rpc.Run(context, "RecordCandidateScores", kStaff, request, response,
                      [this](const CallContext& call, const v1::RecordCandidateScoresRequest& in,
                             v1::RecordCandidateScoresResponse& out) -> absl::Status {
                        auto r = cadres_.RecordCandidateScores(call, in);
                        if (!r.ok()) return r.status();
                        *out.mutable_candidate() = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::GetRecruitmentRanking(
    grpc::CallbackServerContext* context, const v1::GetRecruitmentRankingRequest* request,
    v1::GetRecruitmentRankingResponse* response) {
  return ctx_.rpc.Run(context, "GetRecruitmentRanking", kStaff, request, response,
                      [this](const CallContext& call, const v1::GetRecruitmentRankingRequest& in,
                             v1::GetRecruitmentRankingResponse& out) -> absl::Status {
                        auto r = cadres_.GetRecruitmentRanking(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::GetStandardsReport(
    grpc::CallbackServerContext* context, const v1::GetStandardsReportRequest* request,
    v1::GetStandardsReportResponse* response) {
  return ctx_.rpc.Run(context, "GetStandardsReport", kStaff, request, response,
                      [this](const CallContext& call, const v1::GetStandardsReportRequest& in,
                             v1::GetStandardsReportResponse& out) -> absl::Status {
                        auto r = cadres_.GetStandardsReport(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::ListStandardsDetail(
    grpc::CallbackServerContext* context, const v1::ListStandardsDetailRequest* request,
    v1::ListStandardsDetailResponse* response) {
  return ctx_.rpc.Run(context, "ListStandardsDetail", kStaff, request, response,
                      [this](const CallContext& call, const v1::ListStandardsDetailRequest& in,
                             v1::ListStandardsDetailResponse& out) -> absl::Status {
                        auto r = cadres_.ListStandardsDetail(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

}  // namespace localgov::cadre
