#ifndef LOCALGOV_SERVICES_DOSSIER_DOSSIER_GRPC_H_
#define LOCALGOV_SERVICES_DOSSIER_DOSSIER_GRPC_H_

#include "common/calendar/calendar.h"
#include "common/crypto.h"
#include "common/directory_snapshot.h"
#include "common/envelope.h"
#include "common/feed.h"
#include "common/liaison_sender.h"
#include "common/logging.h"
#include "common/outbox.h"
#include "common/service.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "localgov/liaison/v1/exchange.grpc.pb.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "services/dossier/calendar_service.h"
#include "services/dossier/catalogue.h"
#include "services/dossier/dossier_spec.h"
#include "services/dossier/dossiers.h"
#include "services/dossier/gauges.h"
#include "services/dossier/lookup.h"
#include "services/dossier/papers.h"
#include "services/dossier/petition_link.h"
#include "services/dossier/portal_codes.h"

namespace localgov::dossier {

// The gRPC adapter of the dossier service: translates requests and responses, nothing more.
class DossierGrpc final : public v1::DossierService::CallbackService {
 public:
  explicit DossierGrpc(ServiceContext& ctx)
      : ctx_(ctx),
        calendar_(ctx.db, ctx.clock),
        catalogue_(ctx.db, ctx.clock),
        near_(NewNearCache(ctx)),
        lookup_(ctx.db, ctx.redis, RedisKeyPrefix(ctx.config), near_.get()),
        dossiers_(ctx.db, ctx.clock, catalogue_, calendar_, lookup_),
        watermark_([this] { return dossiers_.LatestChange(); }, kFeedPollInterval),
        late_gauge_(dossiers_, ctx.metrics.registry(), absl::Minutes(1)) {
    dossiers_.OnChange([this](int64_t sequence) { watermark_.Bump(sequence); });
    // localgov_dossier_intake_group_size: intakes written per transaction (group commit).
    auto& groups = prometheus::BuildHistogram()
                       .Name("localgov_dossier_intake_group_size")
                       .Help("ReceiveDossier calls written together in one transaction")
                       .Register(ctx.metrics.registry())
                       .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64});
    dossiers_.OnIntakeGroup([&groups](size_t n) { groups.Observe(static_cast<double>(n)); });
    if (auto it = ctx.config.extras.find(kExchangeKeyVariable);
        it != ctx.config.extras.end() && !it->second.empty()) {
      if (auto key = ReadSigningKeyFile(it->second); key.ok()) dossiers_.SetExchangeKey(*key);
    }
    ctx.outbox.Register(Dossiers::kLiaisonSendTopic,
                        std::make_shared<LiaisonSender>(PeerAddress(ctx.config, "liaison"),
                                                        PeerCredentials(ctx.config)));
    // Dossiers refused, stopped or late, reported to the petition service (related cases).
    ctx.outbox.Register(
        Dossiers::kPetitionCaseTopic,
        std::make_shared<PetitionLink>(PeerAddress(ctx.config, "petition"),
                                       PeerCredentials(ctx.config), ctx.service_token));
    UseSetting(ctx.config, OneStopRuleBook::kVariable, OneStopRuleBook::Parse,
               [&](OneStopRuleBook rules) { dossiers_.SetRules(std::move(rules)); });
    spdlog::info("one-stop rules: {}", dossiers_.rules().Describe());
    UseSetting(ctx.config, PortalCodes::kVariable, PortalCodes::Parse,
               [&](PortalCodes codes) { portal_codes_ = codes; });
    UseSetting(ctx.config, calendar::kWorkingHoursVariable, calendar::ParseWorkingHours,
               [&](calendar::WorkingHours hours) { calendar_.SetWorkingHours(std::move(hours)); });
    UseSetting(ctx.config, print::kPortalLookupUrlVariable, print::ParseLookupUrlTemplate,
               [&](std::string url) { dossiers_.SetLookupUrlTemplate(std::move(url)); });
    UseSetting(ctx.config, kQualityWeightsVariable, ParseQualityWeights,
               [&](std::vector<QualityWeight> w) { dossiers_.SetQualityWeights(std::move(w)); });
    directory_ = MakeDirectoryCache(ctx.config, ctx.redis);
    if (directory_ != nullptr) {
      dossiers_.SetSenderCheck(
          [d = directory_.get()](const liaison::v1::Envelope& e, const std::string& receiver) {
            return d->CheckSender(e, receiver);
          });
      dossiers_.SetAgencyNamer(
          [d = directory_.get()](const std::string& code) { return d->AgencyName(code); });
      dossiers_.SetAgencyResolver(
          [d = directory_.get(), &clock = ctx.clock](const std::string& code) {
            Dossiers::Answering out{code, {code}};
            if (auto view = d->Current(); view != nullptr) {
              const absl::CivilDay today = calendar::VietnamDay(clock.Now());  // mergers in force
              if (const auto* agency = view->ResolveAgency(code, today); agency != nullptr) {
                out.agency = agency->code();
              } else {
                out.known = false;
              }
              out.answers_for = view->AnsweredBy(out.agency, today);
            }
            return out;
          });
      directory_->Start();
    } else {
      spdlog::warn("{} is not set: deliveries are not checked against the exchange directory",
                   kDirectoryTrustKeyVariable);
    }
    watermark_.Start();
    late_gauge_.Start();
  }
  ~DossierGrpc() override {
    if (directory_) directory_->Stop();
    late_gauge_.Stop();
    watermark_.Stop();
  }

  // How soon a watcher sees a change committed by another replica (this replica's own
  // commits wake watchers at once).
  static constexpr absl::Duration kFeedPollInterval = absl::Milliseconds(250);

  CalendarService& calendar() { return calendar_; }
  Dossiers& dossiers() { return dossiers_; }
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
  grpc::ServerUnaryReactor* ApplyCalendarNotice(grpc::CallbackServerContext* context,
                                                const v1::ApplyCalendarNoticeRequest* request,
                                                v1::ApplyCalendarNoticeResponse* response) override;
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
  grpc::ServerUnaryReactor* RecordDossierPetition(
      grpc::CallbackServerContext* context, const v1::RecordDossierPetitionRequest* request,
      v1::RecordDossierPetitionResponse* response) override;
  grpc::ServerUnaryReactor* ListDossiers(grpc::CallbackServerContext* context,
                                         const v1::ListDossiersRequest* request,
                                         v1::ListDossiersResponse* response) override;
  grpc::ServerWriteReactor<v1::WatchDossiersResponse>* WatchDossiers(
      grpc::CallbackServerContext* context, const v1::WatchDossiersRequest* request) override;
  grpc::ServerUnaryReactor* RateDossier(grpc::CallbackServerContext* context,
                                        const v1::RateDossierRequest* request,
                                        v1::RateDossierResponse* response) override;
  grpc::ServerUnaryReactor* GetAgencyStatistics(grpc::CallbackServerContext* context,
                                                const v1::GetAgencyStatisticsRequest* request,
                                                v1::GetAgencyStatisticsResponse* response) override;
  grpc::ServerUnaryReactor* ListOfficerRecords(grpc::CallbackServerContext* context,
                                               const v1::ListOfficerRecordsRequest* request,
                                               v1::ListOfficerRecordsResponse* response) override;
  grpc::ServerUnaryReactor* LookupDossier(grpc::CallbackServerContext* context,
                                          const v1::LookupDossierRequest* request,
                                          v1::LookupDossierResponse* response) override;
  grpc::ServerUnaryReactor* StartProcessing(grpc::CallbackServerContext* context,
                                            const v1::StartProcessingRequest* request,
                                            v1::StartProcessingResponse* response) override;
  grpc::ServerUnaryReactor* RequestSupplement(grpc::CallbackServerContext* context,
                                              const v1::RequestSupplementRequest* request,
                                              v1::RequestSupplementResponse* response) override;
  grpc::ServerUnaryReactor* CompleteSupplement(grpc::CallbackServerContext* context,
                                               const v1::CompleteSupplementRequest* request,
                                               v1::CompleteSupplementResponse* response) override;
  grpc::ServerUnaryReactor* Apologize(grpc::CallbackServerContext* context,
                                      const v1::ApologizeRequest* request,
                                      v1::ApologizeResponse* response) override;
  grpc::ServerUnaryReactor* RecordResult(grpc::CallbackServerContext* context,
                                         const v1::RecordResultRequest* request,
                                         v1::RecordResultResponse* response) override;
  grpc::ServerUnaryReactor* ReturnResult(grpc::CallbackServerContext* context,
                                         const v1::ReturnResultRequest* request,
                                         v1::ReturnResultResponse* response) override;
  grpc::ServerUnaryReactor* WithdrawDossier(grpc::CallbackServerContext* context,
                                            const v1::WithdrawDossierRequest* request,
                                            v1::WithdrawDossierResponse* response) override;
  grpc::ServerUnaryReactor* StopProcessing(grpc::CallbackServerContext* context,
                                           const v1::StopProcessingRequest* request,
                                           v1::StopProcessingResponse* response) override;
  grpc::ServerUnaryReactor* RequestPayment(grpc::CallbackServerContext* context,
                                           const v1::RequestPaymentRequest* request,
                                           v1::RequestPaymentResponse* response) override;
  grpc::ServerUnaryReactor* ConfirmPayment(grpc::CallbackServerContext* context,
                                           const v1::ConfirmPaymentRequest* request,
                                           v1::ConfirmPaymentResponse* response) override;
  grpc::ServerUnaryReactor* CompleteStep(grpc::CallbackServerContext* context,
                                         const v1::CompleteStepRequest* request,
                                         v1::CompleteStepResponse* response) override;
  grpc::ServerUnaryReactor* PrintDossierPaper(grpc::CallbackServerContext* context,
                                              const v1::PrintDossierPaperRequest* request,
                                              v1::PrintDossierPaperResponse* response) override;

 private:
  // Every transition RPC: the same roles, the same use case, its own input.
  template <typename Request, typename Response, typename MakeInput>
  grpc::ServerUnaryReactor* Transition(grpc::CallbackServerContext* context, const char* method,
                                       const Request* request, Response* response,
                                       MakeInput make_input) {
    return ctx_.rpc.Run(
        context, method, {Role::kOfficer, Role::kLeader, Role::kSystem, Role::kCitizen}, request,
        response,
        [this, make_input](const CallContext& call, const Request& in,
                           Response& out) -> absl::Status {
          auto d = dossiers_.Transition(call, in.code(), in.expected_version(), make_input(in),
                                        in.request_id(), Sha256Hex(in.SerializeAsString()));
          if (!d.ok()) return d.status();
          *out.mutable_dossier() = std::move(*d);
          portal_codes_.Apply(*out.mutable_dossier());
          return absl::OkStatus();
        });
  }

  // Public look-ups answered from memory: the portal asks about the same dossiers again and
  // again, and Redis tells this copy of every change (docs/architecture.md).
  static std::unique_ptr<RedisNearCache> NewNearCache(ServiceContext& ctx) {
    RedisNearCache::Options o;
    o.host = ctx.redis.options().host;
    o.port = ctx.redis.options().port;
    o.prefixes = PublicLookup::NearCachePrefixes(RedisKeyPrefix(ctx.config));
    ctx.metrics.SetUp("redis_invalidations", false);
    o.on_armed = [&metrics = ctx.metrics](bool up) { metrics.SetUp("redis_invalidations", up); };
    return std::make_unique<RedisNearCache>(std::move(o), ctx.clock);
  }

  ServiceContext& ctx_;
  CalendarService calendar_;
  Catalogue catalogue_;
  std::unique_ptr<RedisNearCache> near_;
  PublicLookup lookup_;
  Dossiers dossiers_;
  FeedWatermark watermark_;
  LateDossierGauge late_gauge_;
  std::unique_ptr<DirectoryCache> directory_;           // when a trust key is configured
  PortalCodes portal_codes_ = *PortalCodes::Parse("");  // LOCALGOV_PORTAL_STATUS_CODES
};

// The dossier service as a receiver of the exchange (liaison.v1.ReceiverService).
class DossierReceiverGrpc final : public liaison::v1::ReceiverService::CallbackService {
 public:
  DossierReceiverGrpc(ServiceContext& ctx, Dossiers& dossiers) : ctx_(ctx), dossiers_(dossiers) {}
  grpc::ServerUnaryReactor* Deliver(grpc::CallbackServerContext* context,
                                    const liaison::v1::DeliverRequest* request,
                                    liaison::v1::DeliverResponse* response) override;

 private:
  ServiceContext& ctx_;
  Dossiers& dossiers_;
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_DOSSIER_GRPC_H_
