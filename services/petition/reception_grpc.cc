#include "services/petition/reception_grpc.h"

namespace localgov::petition {
namespace {

// Citizens never: the register names other people, and voters' recommendations are the
// council's and the agencies' work.
constexpr std::initializer_list<Role> kStaff = {Role::kOfficer, Role::kLeader, Role::kSystem};
constexpr std::initializer_list<Role> kReaders = {Role::kOfficer, Role::kLeader, Role::kInspector,
                                                  Role::kAuditor, Role::kSystem};

// `out.<field> = use_case(call, in)` for a use case returning StatusOr<T>.
template <typename T, typename Set>
absl::Status Put(absl::StatusOr<T> got, Set set) {
  if (!got.ok()) return got.status();
  set(std::move(*got));
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* ReceptionGrpc::CreateReceptionSession(
    grpc::CallbackServerContext* context, const v1::CreateReceptionSessionRequest* request,
    v1::CreateReceptionSessionResponse* response) {
  return ctx_.rpc.Run(context, "CreateReceptionSession", kStaff, request, response,
                      [this](const CallContext& call, const auto& in, auto& out) {
                        return Put(receptions_.CreateSession(call, in),
                                   [&](auto v) { *out.mutable_session() = std::move(v); });
                      });
}

grpc::ServerUnaryReactor* ReceptionGrpc::RecordVisit(grpc::CallbackServerContext* context,
                                                     const v1::RecordVisitRequest* request,
                                                     v1::RecordVisitResponse* response) {
  return ctx_.rpc.Run(context, "RecordVisit", kStaff, request, response,
                      [this](const CallContext& call, const auto& in, auto& out) {
                        return Put(receptions_.RecordVisit(call, in),
                                   [&](auto v) { out = std::move(v); });
                      });
}

grpc::ServerUnaryReactor* ReceptionGrpc::GetVisit(grpc::CallbackServerContext* context,
                                                  const v1::GetVisitRequest* request,
                                                  v1::GetVisitResponse* response) {
  return ctx_.rpc.Run(context, "GetVisit", kReaders, request, response,
                      [this](const CallContext& call, const auto& in, auto& out) {
                        return Put(receptions_.GetVisit(call, in.register_number()),
                                   [&](auto v) { *out.mutable_visit() = std::move(v); });
                      });
}

grpc::ServerUnaryReactor* ReceptionGrpc::ListVisits(grpc::CallbackServerContext* context,
                                                    const v1::ListVisitsRequest* request,
                                                    v1::ListVisitsResponse* response) {
  return ctx_.rpc.Run(context, "ListVisits", kReaders, request, response,
                      [this](const CallContext& call, const auto& in, auto& out) {
                        return Put(receptions_.ListVisits(call, in),
                                   [&](auto v) { out = std::move(v); });
                      });
}

// The same roles as RevealDenouncerIdentity (kIdentityReaders), through the same use case.
grpc::ServerUnaryReactor* ReceptionGrpc::RevealVisitors(grpc::CallbackServerContext* context,
                                                        const v1::RevealVisitorsRequest* request,
                                                        v1::RevealVisitorsResponse* response) {
  return ctx_.rpc.Run(context, "RevealVisitors", kIdentityReaders, request, response,
                      [this](const CallContext& call, const auto& in, auto& out) {
                        return Put(receptions_.RevealVisitors(call, in),
                                   [&](auto v) { out = std::move(v); });
                      });
}

grpc::ServerUnaryReactor* ReceptionGrpc::GetReceptionDays(
    grpc::CallbackServerContext* context, const v1::GetReceptionDaysRequest* request,
    v1::GetReceptionDaysResponse* response) {
  return ctx_.rpc.Run(context, "GetReceptionDays", kReaders, request, response,
                      [this](const CallContext& call, const auto& in, auto& out) {
                        return Put(receptions_.ReceptionDays(call, in),
                                   [&](auto v) { out = std::move(v); });
                      });
}

grpc::ServerUnaryReactor* ReceptionGrpc::CreateVoterSession(
    grpc::CallbackServerContext* context, const v1::CreateVoterSessionRequest* request,
    v1::CreateVoterSessionResponse* response) {
  return ctx_.rpc.Run(context, "CreateVoterSession", kStaff, request, response,
                      [this](const CallContext& call, const auto& in, auto& out) {
                        return Put(receptions_.CreateVoterSession(call, in),
                                   [&](auto v) { *out.mutable_session() = std::move(v); });
                      });
}

grpc::ServerUnaryReactor* ReceptionGrpc::AddVoterRecommendation(
    grpc::CallbackServerContext* context, const v1::AddVoterRecommendationRequest* request,
    v1::AddVoterRecommendationResponse* response) {
  return ctx_.rpc.Run(context, "AddVoterRecommendation", kStaff, request, response,
                      [this](const CallContext& call, const auto& in, auto& out) {
                        return Put(receptions_.AddRecommendation(call, in),
                                   [&](auto v) { *out.mutable_recommendation() = std::move(v); });
                      });
}

grpc::ServerUnaryReactor* ReceptionGrpc::AssignVoterRecommendation(
    grpc::CallbackServerContext* context, const v1::AssignVoterRecommendationRequest* request,
    v1::AssignVoterRecommendationResponse* response) {
  return ctx_.rpc.Run(context, "AssignVoterRecommendation", kStaff, request, response,
                      [this](const CallContext& call, const auto& in, auto& out) {
                        return Put(receptions_.Assign(call, in),
                                   [&](auto v) { *out.mutable_recommendation() = std::move(v); });
                      });
}

grpc::ServerUnaryReactor* ReceptionGrpc::AnswerVoterRecommendation(
    grpc::CallbackServerContext* context, const v1::AnswerVoterRecommendationRequest* request,
    v1::AnswerVoterRecommendationResponse* response) {
  return ctx_.rpc.Run(context, "AnswerVoterRecommendation", kStaff, request, response,
                      [this](const CallContext& call, const auto& in, auto& out) {
                        return Put(receptions_.Answer(call, in),
                                   [&](auto v) { *out.mutable_recommendation() = std::move(v); });
                      });
}

grpc::ServerUnaryReactor* ReceptionGrpc::ReportBackVoterRecommendation(
    grpc::CallbackServerContext* context, const v1::ReportBackVoterRecommendationRequest* request,
    v1::ReportBackVoterRecommendationResponse* response) {
  return ctx_.rpc.Run(context, "ReportBackVoterRecommendation", kStaff, request, response,
                      [this](const CallContext& call, const auto& in, auto& out) {
                        return Put(receptions_.ReportBack(call, in),
                                   [&](auto v) { *out.mutable_recommendation() = std::move(v); });
                      });
}

grpc::ServerUnaryReactor* ReceptionGrpc::GetVoterReport(grpc::CallbackServerContext* context,
                                                        const v1::GetVoterReportRequest* request,
                                                        v1::GetVoterReportResponse* response) {
  return ctx_.rpc.Run(context, "GetVoterReport", kReaders, request, response,
                      [this](const CallContext& call, const auto& in, auto& out) {
                        return Put(receptions_.VoterReport(call, in),
                                   [&](auto v) { out = std::move(v); });
                      });
}

}  // namespace localgov::petition
