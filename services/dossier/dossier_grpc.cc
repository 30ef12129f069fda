#include "services/dossier/dossier_grpc.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "google/protobuf/util/time_util.h"
#include "services/dossier/calendar_grpc.h"
#include "services/dossier/convert.h"

namespace localgov::dossier {
namespace {

using google::protobuf::util::TimeUtil;

// The longest limit accepted by ComputeDueDate: ten years of days or hours.
constexpr int kMaxLimitAmount = 3650;

}  // namespace

grpc::ServerUnaryReactor* DossierGrpc::GetServiceInfo(grpc::CallbackServerContext* context,
                                                      const v1::GetServiceInfoRequest* request,
                                                      v1::GetServiceInfoResponse* response) {
  return ServeGetServiceInfo(ctx_, context, request, response);
}

grpc::ServerUnaryReactor* DossierGrpc::GetCalendarYear(grpc::CallbackServerContext* context,
                                                       const v1::GetCalendarYearRequest* request,
                                                       v1::GetCalendarYearResponse* response) {
  // Public data, read by the other services' calendar copies without a token (the transport
  // authenticates them); a token, when sent, is still verified.
  return ctx_.rpc.RunTransportAuthenticated(
      context, "GetCalendarYear", request, response,
      [this](const CallContext&, const v1::GetCalendarYearRequest& in,
             v1::GetCalendarYearResponse& out) -> absl::Status {
        auto year = calendar_.GetYear(in.year());
        if (!year.ok()) return year.status();
        CalendarYearToProto(*year, out.mutable_calendar());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* DossierGrpc::SetCalendarYear(grpc::CallbackServerContext* context,
                                                       const v1::SetCalendarYearRequest* request,
                                                       v1::SetCalendarYearResponse* response) {
  return ctx_.rpc.Run(context, "SetCalendarYear", {Role::kAdmin, Role::kSystem}, request, response,
                      [this](const CallContext& call, const v1::SetCalendarYearRequest& in,
                             v1::SetCalendarYearResponse& out) -> absl::Status {
                        auto year = CalendarYearFromProto(in.calendar());
                        if (!year.ok()) return year.status();
                        auto stored = calendar_.SetYear(call, *year, in.expected_version());
                        if (!stored.ok()) return stored.status();
                        CalendarYearToProto(*stored, out.mutable_calendar());
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* DossierGrpc::ComputeDueDate(grpc::CallbackServerContext* context,
                                                      const v1::ComputeDueDateRequest* request,
                                                      v1::ComputeDueDateResponse* response) {
  return ctx_.rpc.Run(
      context, "ComputeDueDate", kAnyRole, request, response,
      [this](const CallContext&, const v1::ComputeDueDateRequest& in,
             v1::ComputeDueDateResponse& out) -> absl::Status {
        Validator v;
        v.Check(in.has_received_time(), "received_time", "required");
        v.Check(in.unit() != v1::LIMIT_UNIT_UNSPECIFIED && v1::LimitUnit_IsValid(in.unit()), "unit",
                "required: one of the LimitUnit values");
        v.Check(in.amount() >= 0 && in.amount() <= kMaxLimitAmount, "amount",
                absl::StrCat("must be 0..", kMaxLimitAmount));
        if (in.unit() == v1::LIMIT_UNIT_ON_THE_SPOT) {
          v.Check(in.amount() == 0, "amount", "must be 0 for on-the-spot procedures");
        } else if (in.unit() != v1::LIMIT_UNIT_UNSPECIFIED) {
          v.Check(in.amount() > 0, "amount", "must be positive");
        }
        if (!v.ok()) return v.status();
        v1::TimeLimit requested;
        requested.set_unit(in.unit());
        requested.set_amount(in.amount());
        const calendar::Limit limit = ToLimit(requested);
        const absl::Time received =
            absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(in.received_time()));
        auto cal = calendar_.Calendar();
        if (!cal.ok()) return cal.status();
        const OneStopRules& rules = dossiers_.rules().InForceOn(calendar::VietnamDay(received));
        auto due = (*cal)->ComputeDue(received, limit, rules.counting());
        if (!due.ok()) return due.status();
        out.set_clock_start_date(absl::FormatCivilTime(due->clock_start));
        out.set_due_date(absl::FormatCivilTime(due->day));
        out.set_provisional(due->provisional);
        *out.mutable_deadline() =
            TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(due->deadline));
        for (absl::CivilDay d = due->clock_start + 1; d <= due->day; ++d) {
          auto reason = (*cal)->DayOffReason(d);
          if (!reason.ok()) return reason.status();
          if (reason->empty()) continue;
          auto* n = out.add_days_off();
          n->set_date(absl::FormatCivilTime(d));
          n->set_name(*reason);
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* DossierGrpc::ListProcedures(grpc::CallbackServerContext* context,
                                                      const v1::ListProceduresRequest* request,
                                                      v1::ListProceduresResponse* response) {
  return ctx_.rpc.Run(context, "ListProcedures", kAnyRole, request, response,
                      [this](const CallContext&, const v1::ListProceduresRequest& in,
                             v1::ListProceduresResponse& out) -> absl::Status {
                        auto page = catalogue_.List(in.query(), in.field(), in.level(),
                                                    in.page_size(), in.page_token());
                        if (!page.ok()) return page.status();
                        for (auto& p : page->procedures) *out.add_procedures() = std::move(p);
                        out.set_next_page_token(page->next_page_token);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* DossierGrpc::GetProcedure(grpc::CallbackServerContext* context,
                                                    const v1::GetProcedureRequest* request,
                                                    v1::GetProcedureResponse* response) {
  return ctx_.rpc.Run(context, "GetProcedure", kAnyRole, request, response,
                      [this](const CallContext&, const v1::GetProcedureRequest& in,
                             v1::GetProcedureResponse& out) -> absl::Status {
                        auto p = catalogue_.Get(in.code(), in.as_of());
                        if (!p.ok()) return p.status();
                        *out.mutable_procedure() = std::move(*p);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* DossierGrpc::ReceiveDossier(grpc::CallbackServerContext* context,
                                                      const v1::ReceiveDossierRequest* request,
                                                      v1::ReceiveDossierResponse* response) {
  return ctx_.rpc.Run(context, "ReceiveDossier", {Role::kOfficer, Role::kLeader, Role::kSystem},
                      request, response,
                      [this](const CallContext& call, const v1::ReceiveDossierRequest& in,
                             v1::ReceiveDossierResponse& out) -> absl::Status {
                        auto d = dossiers_.Receive(call, in);
                        if (!d.ok()) return d.status();
                        *out.mutable_dossier() = std::move(*d);
                        portal_codes_.Apply(*out.mutable_dossier());
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* DossierGrpc::GetDossier(grpc::CallbackServerContext* context,
                                                  const v1::GetDossierRequest* request,
                                                  v1::GetDossierResponse* response) {
  return ctx_.rpc.Run(context, "GetDossier", kAnyRole, request, response,
                      [this](const CallContext& call, const v1::GetDossierRequest& in,
                             v1::GetDossierResponse& out) -> absl::Status {
                        std::vector<v1::DossierPetition> petitions;
                        auto d = dossiers_.Get(call, in.code(), &petitions);
                        if (!d.ok()) return d.status();
                        *out.mutable_dossier() = std::move(*d);
                        portal_codes_.Apply(*out.mutable_dossier());
                        for (auto& p : petitions) *out.add_petitions() = std::move(p);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* DossierGrpc::RecordDossierPetition(
    grpc::CallbackServerContext* context, const v1::RecordDossierPetitionRequest* request,
    v1::RecordDossierPetitionResponse* response) {
  return ctx_.rpc.Run(context, "RecordDossierPetition", {Role::kSystem}, request, response,
                      [this](const CallContext& call, const v1::RecordDossierPetitionRequest& in,
                             v1::RecordDossierPetitionResponse& out) -> absl::Status {
                        auto applied = dossiers_.RecordPetition(call, in);
                        if (!applied.ok()) return applied.status();
                        out.set_applied(*applied);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* DossierGrpc::StartProcessing(grpc::CallbackServerContext* context,
                                                       const v1::StartProcessingRequest* request,
                                                       v1::StartProcessingResponse* response) {
  return Transition(context, "StartProcessing", request, response,
                    [](const v1::StartProcessingRequest& in) {
                      TransitionInput t;
                      t.action = Action::kStartProcessing;
                      return t;
                    });
}

grpc::ServerUnaryReactor* DossierGrpc::RequestSupplement(
    grpc::CallbackServerContext* context, const v1::RequestSupplementRequest* request,
    v1::RequestSupplementResponse* response) {
  return Transition(context, "RequestSupplement", request, response,
                    [](const v1::RequestSupplementRequest& in) {
                      TransitionInput t;
                      t.action = Action::kRequestSupplement;
                      t.missing_document_codes.assign(in.missing_document_codes().begin(),
                                                      in.missing_document_codes().end());
                      return t;
                    });
}

grpc::ServerUnaryReactor* DossierGrpc::CompleteSupplement(
    grpc::CallbackServerContext* context, const v1::CompleteSupplementRequest* request,
    v1::CompleteSupplementResponse* response) {
  return Transition(context, "CompleteSupplement", request, response,
                    [](const v1::CompleteSupplementRequest& in) {
                      TransitionInput t;
                      t.action = Action::kCompleteSupplement;
                      t.documents.assign(in.documents().begin(), in.documents().end());
                      return t;
                    });
}

grpc::ServerUnaryReactor* DossierGrpc::Apologize(grpc::CallbackServerContext* context,
                                                 const v1::ApologizeRequest* request,
                                                 v1::ApologizeResponse* response) {
  return Transition(context, "Apologize", request, response, [](const v1::ApologizeRequest& in) {
    TransitionInput t;
    t.action = Action::kApologize;
    t.reason = in.reason();
    t.new_due_date = in.new_due_date();
    return t;
  });
}

grpc::ServerUnaryReactor* DossierGrpc::RecordResult(grpc::CallbackServerContext* context,
                                                    const v1::RecordResultRequest* request,
                                                    v1::RecordResultResponse* response) {
  return Transition(context, "RecordResult", request, response,
                    [](const v1::RecordResultRequest& in) {
                      TransitionInput t;
                      t.action = Action::kRecordResult;
                      t.note = in.note();
                      return t;
                    });
}

grpc::ServerUnaryReactor* DossierGrpc::ReturnResult(grpc::CallbackServerContext* context,
                                                    const v1::ReturnResultRequest* request,
                                                    v1::ReturnResultResponse* response) {
  return Transition(context, "ReturnResult", request, response,
                    [](const v1::ReturnResultRequest& in) {
                      TransitionInput t;
                      t.action = Action::kReturnResult;
                      return t;
                    });
}

grpc::ServerUnaryReactor* DossierGrpc::WithdrawDossier(grpc::CallbackServerContext* context,
                                                       const v1::WithdrawDossierRequest* request,
                                                       v1::WithdrawDossierResponse* response) {
  return Transition(context, "WithdrawDossier", request, response,
                    [](const v1::WithdrawDossierRequest& in) {
                      TransitionInput t;
                      t.action = Action::kWithdraw;
                      t.reason = in.reason();
                      return t;
                    });
}

grpc::ServerUnaryReactor* DossierGrpc::StopProcessing(grpc::CallbackServerContext* context,
                                                      const v1::StopProcessingRequest* request,
                                                      v1::StopProcessingResponse* response) {
  return Transition(context, "StopProcessing", request, response,
                    [](const v1::StopProcessingRequest& in) {
                      TransitionInput t;
                      t.action = Action::kStop;
                      t.reasons.assign(in.reasons().begin(), in.reasons().end());
                      return t;
                    });
}

grpc::ServerUnaryReactor* DossierGrpc::RequestPayment(grpc::CallbackServerContext* context,
                                                      const v1::RequestPaymentRequest* request,
                                                      v1::RequestPaymentResponse* response) {
  return Transition(context, "RequestPayment", request, response,
                    [](const v1::RequestPaymentRequest& in) {
                      TransitionInput t;
                      t.action = Action::kRequestPayment;
                      t.amount_vnd = in.amount_vnd();
                      t.reason = in.reason();
                      return t;
                    });
}

grpc::ServerUnaryReactor* DossierGrpc::ConfirmPayment(grpc::CallbackServerContext* context,
                                                      const v1::ConfirmPaymentRequest* request,
                                                      v1::ConfirmPaymentResponse* response) {
  return Transition(context, "ConfirmPayment", request, response,
                    [](const v1::ConfirmPaymentRequest& in) {
                      TransitionInput t;
                      t.action = Action::kConfirmPayment;
                      t.payment_reference = in.payment_reference();
                      return t;
                    });
}

grpc::ServerUnaryReactor* DossierGrpc::CompleteStep(grpc::CallbackServerContext* context,
                                                    const v1::CompleteStepRequest* request,
                                                    v1::CompleteStepResponse* response) {
  return Transition(context, "CompleteStep", request, response,
                    [](const v1::CompleteStepRequest& in) {
                      TransitionInput t;
                      t.action = Action::kCompleteStep;
                      t.step_index = in.step_index();
                      t.note = in.note();
                      return t;
                    });
}

grpc::ServerUnaryReactor* DossierGrpc::PrintDossierPaper(
    grpc::CallbackServerContext* context, const v1::PrintDossierPaperRequest* request,
    v1::PrintDossierPaperResponse* response) {
  return ctx_.rpc.Run(context, "PrintDossierPaper", kAnyRole, request, response,
                      [this](const CallContext& call, const v1::PrintDossierPaperRequest& in,
                             v1::PrintDossierPaperResponse& out) -> absl::Status {
                        auto paper = dossiers_.PrintPaper(call, in);
                        if (!paper.ok()) return paper.status();
                        out = std::move(*paper);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* DossierGrpc::ListDossiers(grpc::CallbackServerContext* context,
                                                    const v1::ListDossiersRequest* request,
                                                    v1::ListDossiersResponse* response) {
  return ctx_.rpc.Run(context, "ListDossiers", kAnyRole, request, response,
                      [this](const CallContext& call, const v1::ListDossiersRequest& in,
                             v1::ListDossiersResponse& out) -> absl::Status {
                        auto page = dossiers_.List(call, in);
                        if (!page.ok()) return page.status();
                        for (auto& d : page->dossiers) {
                          portal_codes_.Apply(d);
                          *out.add_dossiers() = std::move(d);
                        }
                        out.set_next_page_token(page->next_page_token);
                        return absl::OkStatus();
                      });
}

grpc::ServerWriteReactor<v1::WatchDossiersResponse>* DossierGrpc::WatchDossiers(
    grpc::CallbackServerContext* context, const v1::WatchDossiersRequest* request) {
  using Change = v1::WatchDossiersResponse;
  return FeedStream<v1::WatchDossiersRequest, Change>::Start(
      context, ctx_.rpc, watermark_, "WatchDossiers", kAnyRole, request,
      [this](const CallContext& call,
             const v1::WatchDossiersRequest& in) -> absl::StatusOr<FeedSource<Change>> {
        auto filter = dossiers_.WatchFilter(call, in);
        if (!filter.ok()) return filter.status();
        FeedSource<Change> source;
        source.after = filter->after_sequence;
        source.batch = filter->limit;
        source.fetch = [this, f = *filter](int64_t after, int limit) mutable {
          f.after_sequence = after;
          f.limit = limit;
          auto changes = dossiers_.Changes(f);
          if (changes.ok()) {
            for (auto& c : *changes) portal_codes_.Apply(c);
          }
          return changes;
        };
        source.sequence = [](const Change& c) { return c.sequence(); };
        return source;
      });
}

grpc::ServerUnaryReactor* DossierGrpc::LookupDossier(grpc::CallbackServerContext* context,
                                                     const v1::LookupDossierRequest* request,
                                                     v1::LookupDossierResponse* response) {
  return ctx_.rpc.RunWithFastPath(
      context, "LookupDossier", kAnyRole, request, response,
      [this](const CallContext& call, const v1::LookupDossierRequest& in,
             v1::LookupDossierResponse& out) -> std::optional<absl::Status> {
        auto view = lookup_.LookupInMemory(call, in.code(), in.second_factor());
        if (!view.has_value()) return std::nullopt;
        if (!view->ok()) return view->status();
        *out.mutable_dossier() = std::move(**view);
        portal_codes_.Apply(*out.mutable_dossier());
        return absl::OkStatus();
      },
      [this](const CallContext& call, const v1::LookupDossierRequest& in,
             v1::LookupDossierResponse& out) -> absl::Status {
        auto view = lookup_.Lookup(call, in.code(), in.second_factor());
        if (!view.ok()) return view.status();
        *out.mutable_dossier() = std::move(*view);
        portal_codes_.Apply(*out.mutable_dossier());
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* DossierGrpc::RateDossier(grpc::CallbackServerContext* context,
                                                   const v1::RateDossierRequest* request,
                                                   v1::RateDossierResponse* response) {
  return ctx_.rpc.Run(context, "RateDossier", {Role::kCitizen, Role::kSystem}, request, response,
                      [this](const CallContext& call, const v1::RateDossierRequest& in,
                             v1::RateDossierResponse& out) -> absl::Status {
                        auto rating = dossiers_.Rate(call, in);
                        if (!rating.ok()) return rating.status();
                        *out.mutable_rating() = std::move(*rating);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* DossierGrpc::GetAgencyStatistics(
    grpc::CallbackServerContext* context, const v1::GetAgencyStatisticsRequest* request,
    v1::GetAgencyStatisticsResponse* response) {
  return ctx_.rpc.Run(context, "GetAgencyStatistics",
                      {Role::kOfficer, Role::kLeader, Role::kAdmin, Role::kInspector,
                       Role::kAuditor, Role::kSystem},
                      request, response,
                      [this](const CallContext& call, const v1::GetAgencyStatisticsRequest& in,
                             v1::GetAgencyStatisticsResponse& out) -> absl::Status {
                        auto s = dossiers_.Statistics(call, in);
                        if (!s.ok()) return s.status();
                        *out.mutable_statistics() = std::move(*s);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* DossierGrpc::ListOfficerRecords(
    grpc::CallbackServerContext* context, const v1::ListOfficerRecordsRequest* request,
    v1::ListOfficerRecordsResponse* response) {
  return ctx_.rpc.Run(
      context, "ListOfficerRecords",
      {Role::kLeader, Role::kAdmin, Role::kInspector, Role::kAuditor, Role::kSystem}, request,
      response,
      [this](const CallContext& call, const v1::ListOfficerRecordsRequest& in,
             v1::ListOfficerRecordsResponse& out) -> absl::Status {
        auto records = dossiers_.OfficerRecords(call, in);
        if (!records.ok()) return records.status();
        out = std::move(*records);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* DossierReceiverGrpc::Deliver(grpc::CallbackServerContext* context,
                                                       const liaison::v1::DeliverRequest* request,
                                                       liaison::v1::DeliverResponse* response) {
  return ctx_.rpc.RunTransportAuthenticated(
      context, "Deliver", request, response,
      [this](const CallContext&, const liaison::v1::DeliverRequest& in,
             liaison::v1::DeliverResponse& out) -> absl::Status {
        auto ack = dossiers_.TakeDelivery(in);
        if (!ack.ok()) return ack.status();
        out = std::move(*ack);
        return absl::OkStatus();
      });
}

}  // namespace localgov::dossier
