#include "services/cadre/cadre_grpc.h"

#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "common/logging.h"

namespace localgov::cadre {
namespace {

// Who may call: the personnel offices write and read (the use cases check the agency); a
// person reads their own record (GetPerson, GetPersonHistory: any role, checked there).
constexpr std::initializer_list<Role> kWrite = {Role::kOfficer, Role::kLeader, Role::kSystem};
constexpr std::initializer_list<Role> kRead = {Role::kOfficer, Role::kLeader, Role::kSystem};

}  // namespace

CadreGrpc::CadreGrpc(ServiceContext& ctx) : ctx_(ctx), cadres_(ctx.db, ctx.clock) {
  // A value that does not parse stops the start (ParseServiceConfig refuses it first; this
  // is for a config built another way): never the statutory sets in its place, silently.
  if (auto it = ctx.config.extras.find(CadreRuleBook::kVariable); it != ctx.config.extras.end()) {
    auto book = CadreRuleBook::Parse(it->second);
    if (!book.ok()) {
      const std::string why = absl::StrCat(CadreRuleBook::kVariable, ": \"", it->second,
                                           "\": ", book.status().message());
      spdlog::critical("cadre: {}", why);
      throw std::invalid_argument(why);
    }
    cadres_.SetRules(std::move(*book));
  }
  spdlog::info("cadre rules: {}", cadres_.rules().Describe());
  directory_ = MakeDirectoryCache(ctx.config, ctx.redis);
  if (directory_ == nullptr) {
    spdlog::warn(
        "{} is not set: agencies are the cadre service's own register (RegisterAgency with "
        "names and successors), not the liaison directory's",
        kDirectoryTrustKeyVariable);
    return;
  }
  DirectoryCache* d = directory_.get();
  cadres_.SetDirectory(
      {.current = [d] { return d->Current(); }, .refresh = [d] { return d->RefreshOnce(); }});
  directory_->Start();
  projector_.Start([this] {
    if (auto changed = cadres_.SyncDirectory(); !changed.ok()) {
      spdlog::warn("cadre: the directory's agencies are not projected yet: {}",
                   std::string(changed.status().message()));
    } else if (*changed > 0) {
      spdlog::info("cadre: {} agency rows changed from the liaison directory", *changed);
    }
    return absl::Seconds(2);
  });
}

CadreGrpc::~CadreGrpc() {
  projector_.Stop();
  if (directory_) directory_->Stop();
}

grpc::ServerUnaryReactor* CadreGrpc::GetServiceInfo(grpc::CallbackServerContext* context,
                                                    const v1::GetServiceInfoRequest* request,
                                                    v1::GetServiceInfoResponse* response) {
  return ServeGetServiceInfo(ctx_, context, request, response);
}

grpc::ServerUnaryReactor* CadreGrpc::RegisterAgency(grpc::CallbackServerContext* context,
                                                    const v1::RegisterAgencyRequest* request,
                                                    v1::RegisterAgencyResponse* response) {
  return ctx_.rpc.Run(context, "RegisterAgency", {Role::kAdmin, Role::kSystem}, request, response,
                      [this](const CallContext& call, const v1::RegisterAgencyRequest& in,
                             v1::RegisterAgencyResponse& out) -> absl::Status {
                        auto r = cadres_.RegisterAgency(call, in);
                        if (!r.ok()) return r.status();
                        *out.mutable_agency() = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::CreateUnit(grpc::CallbackServerContext* context,
                                                const v1::CreateUnitRequest* request,
                                                v1::CreateUnitResponse* response) {
  return ctx_.rpc.Run(context, "CreateUnit", kWrite, request, response,
                      [this](const CallContext& call, const v1::CreateUnitRequest& in,
                             v1::CreateUnitResponse& out) -> absl::Status {
                        auto r = cadres_.CreateUnit(call, in);
                        if (!r.ok()) return r.status();
                        *out.mutable_unit() = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::ListUnits(grpc::CallbackServerContext* context,
                                               const v1::ListUnitsRequest* request,
                                               v1::ListUnitsResponse* response) {
  return ctx_.rpc.Run(context, "ListUnits", kRead, request, response,
                      [this](const CallContext& call, const v1::ListUnitsRequest& in,
                             v1::ListUnitsResponse& out) -> absl::Status {
                        auto r = cadres_.ListUnits(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::CreatePosition(grpc::CallbackServerContext* context,
                                                    const v1::CreatePositionRequest* request,
                                                    v1::CreatePositionResponse* response) {
  return ctx_.rpc.Run(context, "CreatePosition", kWrite, request, response,
                      [this](const CallContext& call, const v1::CreatePositionRequest& in,
                             v1::CreatePositionResponse& out) -> absl::Status {
                        auto r = cadres_.CreatePosition(call, in);
                        if (!r.ok()) return r.status();
                        *out.mutable_position() = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::SetQuota(grpc::CallbackServerContext* context,
                                              const v1::SetQuotaRequest* request,
                                              v1::SetQuotaResponse* response) {
  return ctx_.rpc.Run(context, "SetQuota", kWrite, request, response,
                      [this](const CallContext& call, const v1::SetQuotaRequest& in,
                             v1::SetQuotaResponse& out) -> absl::Status {
                        auto r = cadres_.SetQuota(call, in);
                        if (!r.ok()) return r.status();
                        *out.mutable_quota() = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::GetUnitStaffing(grpc::CallbackServerContext* context,
                                                     const v1::GetUnitStaffingRequest* request,
                                                     v1::GetUnitStaffingResponse* response) {
  return ctx_.rpc.Run(context, "GetUnitStaffing", kRead, request, response,
                      [this](const CallContext& call, const v1::GetUnitStaffingRequest& in,
                             v1::GetUnitStaffingResponse& out) -> absl::Status {
                        auto r = cadres_.GetUnitStaffing(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::CreatePerson(grpc::CallbackServerContext* context,
                                                  const v1::CreatePersonRequest* request,
                                                  v1::CreatePersonResponse* response) {
  return ctx_.rpc.Run(context, "CreatePerson", kWrite, request, response,
                      [this](const CallContext& call, const v1::CreatePersonRequest& in,
                             v1::CreatePersonResponse& out) -> absl::Status {
                        auto r = cadres_.CreatePerson(call, in);
                        if (!r.ok()) return r.status();
                        *out.mutable_person() = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::GetPerson(grpc::CallbackServerContext* context,
                                               const v1::GetPersonRequest* request,
                                               v1::GetPersonResponse* response) {
  return ctx_.rpc.Run(context, "GetPerson", kAnyRole, request, response,
                      [this](const CallContext& call, const v1::GetPersonRequest& in,
                             v1::GetPersonResponse& out) -> absl::Status {
                        auto r = cadres_.GetPerson(call, in);
                        if (!r.ok()) return r.status();
                        *out.mutable_person() = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::ListPeople(grpc::CallbackServerContext* context,
                                                const v1::ListPeopleRequest* request,
                                                v1::ListPeopleResponse* response) {
  return ctx_.rpc.Run(context, "ListPeople", kRead, request, response,
                      [this](const CallContext& call, const v1::ListPeopleRequest& in,
                             v1::ListPeopleResponse& out) -> absl::Status {
                        auto r = cadres_.ListPeople(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::AddQualification(grpc::CallbackServerContext* context,
                                                      const v1::AddQualificationRequest* request,
                                                      v1::AddQualificationResponse* response) {
  return ctx_.rpc.Run(context, "AddQualification", kWrite, request, response,
                      [this](const CallContext& call, const v1::AddQualificationRequest& in,
                             v1::AddQualificationResponse& out) -> absl::Status {
                        auto r = cadres_.AddQualification(call, in);
                        if (!r.ok()) return r.status();
                        *out.mutable_person() = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::RecordAssignment(grpc::CallbackServerContext* context,
                                                      const v1::RecordAssignmentRequest* request,
                                                      v1::RecordAssignmentResponse* response) {
  return ctx_.rpc.Run(context, "RecordAssignment", kWrite, request, response,
                      [this](const CallContext& call, const v1::RecordAssignmentRequest& in,
                             v1::RecordAssignmentResponse& out) -> absl::Status {
                        auto r = cadres_.RecordAssignment(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::RecordRank(grpc::CallbackServerContext* context,
                                                const v1::RecordRankRequest* request,
                                                v1::RecordRankResponse* response) {
  return ctx_.rpc.Run(context, "RecordRank", kWrite, request, response,
                      [this](const CallContext& call, const v1::RecordRankRequest& in,
                             v1::RecordRankResponse& out) -> absl::Status {
                        auto r = cadres_.RecordRank(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::CorrectHistory(grpc::CallbackServerContext* context,
                                                    const v1::CorrectHistoryRequest* request,
                                                    v1::CorrectHistoryResponse* response) {
  return ctx_.rpc.Run(context, "CorrectHistory", kWrite, request, response,
                      [this](const CallContext& call, const v1::CorrectHistoryRequest& in,
                             v1::CorrectHistoryResponse& out) -> absl::Status {
                        auto r = cadres_.CorrectHistory(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::GetPersonHistory(grpc::CallbackServerContext* context,
                                                      const v1::GetPersonHistoryRequest* request,
                                                      v1::GetPersonHistoryResponse* response) {
  return ctx_.rpc.Run(context, "GetPersonHistory", kAnyRole, request, response,
                      [this](const CallContext& call, const v1::GetPersonHistoryRequest& in,
                             v1::GetPersonHistoryResponse& out) -> absl::Status {
                        auto r = cadres_.GetPersonHistory(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::GetRoster(grpc::CallbackServerContext* context,
                                               const v1::GetRosterRequest* request,
                                               v1::GetRosterResponse* response) {
  return ctx_.rpc.Run(context, "GetRoster", kRead, request, response,
                      [this](const CallContext& call, const v1::GetRosterRequest& in,
                             v1::GetRosterResponse& out) -> absl::Status {
                        auto r = cadres_.GetRoster(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::RecordDiscipline(grpc::CallbackServerContext* context,
                                                      const v1::RecordDisciplineRequest* request,
                                                      v1::RecordDisciplineResponse* response) {
  return ctx_.rpc.Run(context, "RecordDiscipline", kWrite, request, response,
                      [this](const CallContext& call, const v1::RecordDisciplineRequest& in,
                             v1::RecordDisciplineResponse& out) -> absl::Status {
                        auto r = cadres_.RecordDiscipline(call, in);
                        if (!r.ok()) return r.status();
                        *out.mutable_discipline() = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::RecordEvaluation(grpc::CallbackServerContext* context,
                                                      const v1::RecordEvaluationRequest* request,
                                                      v1::RecordEvaluationResponse* response) {
  return ctx_.rpc.Run(context, "RecordEvaluation", kWrite, request, response,
                      [this](const CallContext& call, const v1::RecordEvaluationRequest& in,
                             v1::RecordEvaluationResponse& out) -> absl::Status {
                        auto r = cadres_.RecordEvaluation(call, in);
                        if (!r.ok()) return r.status();
                        *out.mutable_evaluation() = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* CadreGrpc::ListDue(grpc::CallbackServerContext* context,
                                             const v1::ListDueRequest* request,
                                             v1::ListDueResponse* response) {
  return ctx_.rpc.Run(context, "ListDue", kRead, request, response,
                      [this](const CallContext& call, const v1::ListDueRequest& in,
                             v1::ListDueResponse& out) -> absl::Status {
                        auto r = cadres_.ListDue(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

}  // namespace localgov::cadre
