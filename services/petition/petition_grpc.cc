#include "services/petition/petition_grpc.h"

#include "absl/strings/str_cat.h"
#include "common/envelope.h"
#include "common/liaison_sender.h"
#include "common/logging.h"
#include "common/print/paper.h"
#include "google/protobuf/util/time_util.h"
#include "services/petition/timeline.h"
#include "spdlog/spdlog.h"

namespace localgov::petition {
namespace {

using google::protobuf::util::TimeUtil;

// How long the timeline waits for the dossier service before answering without its dossiers.
constexpr absl::Duration kTimelineDeadline = absl::Seconds(2);
constexpr std::initializer_list<Role> kStaff = {Role::kOfficer, Role::kLeader, Role::kSystem};
constexpr std::initializer_list<Role> kLeaders = {Role::kLeader, Role::kSystem};
constexpr std::initializer_list<Role> kReaders = {Role::kOfficer, Role::kLeader, Role::kInspector,
                                                  Role::kAuditor, Role::kSystem, Role::kCitizen};

}  // namespace

PetitionGrpc::PetitionGrpc(ServiceContext& ctx)
    : ctx_(ctx),
      calendar_({.dossier_address = PeerAddress(ctx.config, "dossier"),
                 .credentials = PeerCredentials(ctx.config),
                 .token = "",
                 .refresh = absl::Minutes(10)},
                ctx.clock),
      petitions_(ctx.db, ctx.clock, [this] { return calendar_.Current(); }),
      watermark_([this] { return petitions_.LatestChange(); }, kFeedPollInterval),
      overdue_(petitions_, ctx.metrics.registry(), absl::Minutes(1)),
      resealer_(petitions_, ctx.metrics.registry(), absl::Minutes(10)),
      deriver_(petitions_, absl::Minutes(5)) {
  petitions_.OnChange([this](int64_t sequence) { watermark_.Bump(sequence); });
  UseSetting(ctx.config, PetitionRuleBook::kVariable, PetitionRuleBook::Parse,
             [&](PetitionRuleBook rules) { petitions_.SetRules(std::move(rules)); });
  spdlog::info("petition rules: {}", petitions_.rules().Describe());
  UseSetting(ctx.config, MatchingSettings::kVariable, MatchingSettings::Parse,
             [&](MatchingSettings s) { petitions_.SetMatching(s); });
  spdlog::info("petition matching: {}", petitions_.matching().Describe());
  UseSetting(ctx.config, IdentityVault::kVariable, IdentityVault::FromFile,
             [&](IdentityVault vault) { petitions_.SetVault(std::move(vault)); });
  UseSetting(ctx.config, kExchangeKeyVariable, ReadSigningKeyFile,
             [&](SigningKey key) { petitions_.SetExchangeKey(std::move(key)); });
  UseSetting(ctx.config, print::kPortalLookupUrlVariable, print::ParseLookupUrlTemplate,
             [&](std::string url) { petitions_.SetLookupUrlTemplate(std::move(url)); });
  ctx.outbox.Register(Petitions::kLiaisonSendTopic,
                      std::make_shared<LiaisonSender>(PeerAddress(ctx.config, "liaison"),
                                                      PeerCredentials(ctx.config)));
  // The dossier service: a dossier code named at intake is checked there, and the reports of
  // petitions naming a dossier are delivered there (outbox).
  dossier_link_ = std::make_shared<DossierLink>(PeerAddress(ctx.config, "dossier"),
                                                PeerCredentials(ctx.config), ctx.service_token);
  ctx.outbox.Register(Petitions::kDossierTopic, dossier_link_);
  petitions_.SetDossierCheck(
      [link = dossier_link_](const std::string& code, const std::string& field) {
        return link->ReceivingAgency(code, field);
      });
  directory_ = MakeDirectoryCache(ctx.config, ctx.redis);
  if (directory_ != nullptr) {
    DirectoryCache* d = directory_.get();
    petitions_.SetAgencyNamer([d](const std::string& code) { return d->AgencyName(code); });
    petitions_.SetSenderCheck([d](const liaison::v1::Envelope& e, const std::string& receiver) {
      return d->CheckSender(e, receiver);
    });
    petitions_.SetAgencyResolver([d, &clock = ctx.clock](const std::string& code) {
      Petitions::Answering out{code, {code}};
      if (auto view = d->Current(); view != nullptr) {
        const absl::CivilDay today = calendar::VietnamDay(clock.Now());
        if (const auto* agency = view->ResolveAgency(code, today); agency != nullptr) {
          out.agency = agency->code();
        } else {
          out.known = false;
        }
        out.answers_for = view->AnsweredBy(out.agency, today);
      }
      return out;
    });
    petitions_.SetAgencyKey(
        [d, &clock = ctx.clock](const std::string& agency) -> absl::StatusOr<std::string> {
          auto view = d->Current();
          if (view == nullptr)
            return absl::UnavailableError("the exchange directory is not known yet");
          const absl::Time now = clock.Now();
          const liaison::v1::AgencyKeyEntry* newest = nullptr;
          for (const auto& k : view->content().keys()) {
            if (k.agency_code() != agency) continue;
            if (!view->KeyValidAt(agency, k.key_id(), now)) continue;
            if (newest == nullptr || k.valid_from().seconds() > newest->valid_from().seconds()) {
              newest = &k;
            }
          }
          if (newest == nullptr) {
            return absl::FailedPreconditionError(absl::StrCat(
                "agency ", agency, " has no valid exchange key to seal a denouncer's identity to"));
          }
          return newest->public_key();
        });
    directory_->Start();
  } else {
    spdlog::warn(
        "{} is not set: deliveries are not checked against the exchange directory, and "
        "denunciations cannot be forwarded (their identity is sealed to the receiver's "
        "key from it)",
        kDirectoryTrustKeyVariable);
  }
  calendar_.Start();
  watermark_.Start();
  overdue_.Start();
  resealer_.Start();
  deriver_.Start();
}

PetitionGrpc::~PetitionGrpc() {
  deriver_.Stop();
  resealer_.Stop();
  overdue_.Stop();
  watermark_.Stop();
  calendar_.Stop();
  if (directory_) directory_->Stop();
}

grpc::ServerUnaryReactor* PetitionGrpc::GetServiceInfo(grpc::CallbackServerContext* context,
                                                       const v1::GetServiceInfoRequest* request,
                                                       v1::GetServiceInfoResponse* response) {
  return ServeGetServiceInfo(ctx_, context, request, response);
}

grpc::ServerUnaryReactor* PetitionGrpc::ReceivePetition(grpc::CallbackServerContext* context,
                                                        const v1::ReceivePetitionRequest* request,
                                                        v1::ReceivePetitionResponse* response) {
  return ctx_.rpc.Run(context, "ReceivePetition",
                      {Role::kOfficer, Role::kLeader, Role::kSystem, Role::kCitizen}, request,
                      response,
                      [this](const CallContext& call, const v1::ReceivePetitionRequest& in,
                             v1::ReceivePetitionResponse& out) -> absl::Status {
                        auto received = petitions_.Receive(call, in);
                        if (!received.ok()) return received.status();
                        *out.mutable_petition() = std::move(received->petition);
                        out.set_follow_secret(received->follow_secret);
                        for (auto& d : received->duplicates) *out.add_duplicates() = std::move(d);
                        // Related dossiers are the officers' to see, not the filer's (a name and
                        // address may match a namesake's).
                        if (call.access.role != Role::kCitizen) {
                          for (auto& d : received->related_dossiers) {
                            *out.add_related_dossiers() = std::move(d);
                          }
                        }
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* PetitionGrpc::PrintPetitionReceipt(
    grpc::CallbackServerContext* context, const v1::PrintPetitionReceiptRequest* request,
    v1::PrintPetitionReceiptResponse* response) {
  return ctx_.rpc.Run(context, "PrintPetitionReceipt", kReaders, request, response,
                      [this](const CallContext& call, const v1::PrintPetitionReceiptRequest& in,
                             v1::PrintPetitionReceiptResponse& out) -> absl::Status {
                        auto receipt = petitions_.PrintReceipt(call, in);
                        if (!receipt.ok()) return receipt.status();
                        out = std::move(*receipt);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* PetitionGrpc::FindDuplicates(grpc::CallbackServerContext* context,
                                                       const v1::FindDuplicatesRequest* request,
                                                       v1::FindDuplicatesResponse* response) {
  return ctx_.rpc.Run(context, "FindDuplicates",
                      {Role::kOfficer, Role::kLeader, Role::kInspector, Role::kSystem}, request,
                      response,
                      [this](const CallContext& call, const v1::FindDuplicatesRequest& in,
                             v1::FindDuplicatesResponse& out) -> absl::Status {
                        auto found = petitions_.FindDuplicates(call, in);
                        if (!found.ok()) return found.status();
                        out = std::move(*found);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* PetitionGrpc::GetPetitionStatistics(
    grpc::CallbackServerContext* context, const v1::GetPetitionStatisticsRequest* request,
    v1::GetPetitionStatisticsResponse* response) {
  return ctx_.rpc.Run(
      context, "GetPetitionStatistics",
      {Role::kOfficer, Role::kLeader, Role::kInspector, Role::kAuditor, Role::kSystem}, request,
      response,
      [this](const CallContext& call, const v1::GetPetitionStatisticsRequest& in,
             v1::GetPetitionStatisticsResponse& out) -> absl::Status {
        auto figures = petitions_.Statistics(call, in);
        if (!figures.ok()) return figures.status();
        out = std::move(*figures);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* PetitionGrpc::ListOfficerPetitionRecords(
    grpc::CallbackServerContext* context, const v1::ListOfficerPetitionRecordsRequest* request,
    v1::ListOfficerPetitionRecordsResponse* response) {
  return ctx_.rpc.Run(
      context, "ListOfficerPetitionRecords",
      {Role::kLeader, Role::kInspector, Role::kAuditor, Role::kSystem}, request, response,
      [this](const CallContext& call, const v1::ListOfficerPetitionRecordsRequest& in,
             v1::ListOfficerPetitionRecordsResponse& out) -> absl::Status {
        auto records = petitions_.OfficerRecords(call, in);
        if (!records.ok()) return records.status();
        out = std::move(*records);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* PetitionGrpc::GetCitizenTimeline(
    grpc::CallbackServerContext* context, const v1::GetCitizenTimelineRequest* request,
    v1::GetCitizenTimelineResponse* response) {
  // The citizen's own token goes on to the dossier service, which decides what they may see.
  std::string bearer;
  if (auto it = context->client_metadata().find("authorization");
      it != context->client_metadata().end()) {
    bearer.assign(it->second.data(), it->second.size());
  }
  return ctx_.rpc.Run(
      context, "GetCitizenTimeline", {Role::kCitizen}, request, response,
      [this, bearer](const CallContext& call, const v1::GetCitizenTimelineRequest& in,
                     v1::GetCitizenTimelineResponse& out) -> absl::Status {
        auto timeline = petitions_.Timeline(call, in, [&](bool open_only) {
          std::vector<dossier::v1::DossierState> states;
          if (open_only) states = OpenDossierStates();
          auto found = dossier_link_->CitizenDossiers(bearer, states, kTimelineItemsPerSource,
                                                      kTimelineDeadline);
          using Result = std::pair<std::vector<dossier::v1::Dossier>, bool>;
          if (!found.ok()) return absl::StatusOr<Result>(found.status());
          return absl::StatusOr<Result>(Result{std::move(found->dossiers), found->truncated});
        });
        if (!timeline.ok()) return timeline.status();
        out = std::move(*timeline);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* PetitionGrpc::GetPetition(grpc::CallbackServerContext* context,
                                                    const v1::GetPetitionRequest* request,
                                                    v1::GetPetitionResponse* response) {
  return ctx_.rpc.Run(context, "GetPetition", kReaders, request, response,
                      [this](const CallContext& call, const v1::GetPetitionRequest& in,
                             v1::GetPetitionResponse& out) -> absl::Status {
                        std::vector<v1::RelatedDossier> related;
                        auto p = petitions_.Get(call, in.code(), &related);
                        if (!p.ok()) return p.status();
                        *out.mutable_petition() = std::move(*p);
                        for (auto& d : related) *out.add_related_dossiers() = std::move(d);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* PetitionGrpc::RecordDossierCase(
    grpc::CallbackServerContext* context, const v1::RecordDossierCaseRequest* request,
    v1::RecordDossierCaseResponse* response) {
  return ctx_.rpc.Run(context, "RecordDossierCase", {Role::kSystem}, request, response,
                      [this](const CallContext& call, const v1::RecordDossierCaseRequest& in,
                             v1::RecordDossierCaseResponse& out) -> absl::Status {
                        auto applied = petitions_.RecordDossierCase(call, in);
                        if (!applied.ok()) return applied.status();
                        out.set_applied(*applied);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* PetitionGrpc::ListPetitions(grpc::CallbackServerContext* context,
                                                      const v1::ListPetitionsRequest* request,
                                                      v1::ListPetitionsResponse* response) {
  return ctx_.rpc.Run(context, "ListPetitions", kReaders, request, response,
                      [this](const CallContext& call, const v1::ListPetitionsRequest& in,
                             v1::ListPetitionsResponse& out) -> absl::Status {
                        auto page = petitions_.List(call, in);
                        if (!page.ok()) return page.status();
                        for (auto& p : page->petitions) *out.add_petitions() = std::move(p);
                        out.set_next_page_token(page->next_page_token);
                        return absl::OkStatus();
                      });
}

grpc::ServerWriteReactor<v1::WatchPetitionsResponse>* PetitionGrpc::WatchPetitions(
    grpc::CallbackServerContext* context, const v1::WatchPetitionsRequest* request) {
  using Change = v1::WatchPetitionsResponse;
  return FeedStream<v1::WatchPetitionsRequest, Change>::Start(
      context, ctx_.rpc, watermark_, "WatchPetitions", kReaders, request,
      [this](const CallContext& call,
             const v1::WatchPetitionsRequest& in) -> absl::StatusOr<FeedSource<Change>> {
        auto filter = petitions_.WatchFilter(call, in);
        if (!filter.ok()) return filter.status();
        FeedSource<Change> source;
        source.after = filter->after_sequence;
        source.batch = filter->limit;
        source.fetch = [this, f = *filter](int64_t after, int limit) mutable {
          f.after_sequence = after;
          f.limit = limit;
          return petitions_.Changes(f);
        };
        source.sequence = [](const Change& c) { return c.sequence(); };
        return source;
      });
}

grpc::ServerUnaryReactor* PetitionGrpc::LookupPetition(grpc::CallbackServerContext* context,
                                                       const v1::LookupPetitionRequest* request,
                                                       v1::LookupPetitionResponse* response) {
  return ctx_.rpc.Run(context, "LookupPetition", kAnyRole, request, response,
                      [this](const CallContext&, const v1::LookupPetitionRequest& in,
                             v1::LookupPetitionResponse& out) -> absl::Status {
                        auto p = petitions_.Lookup(in.code(), in.second_factor());
                        if (!p.ok()) return p.status();
                        *out.mutable_petition() = std::move(*p);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* PetitionGrpc::ClassifyPetition(grpc::CallbackServerContext* context,
                                                         const v1::ClassifyPetitionRequest* request,
                                                         v1::ClassifyPetitionResponse* response) {
  return Transition(context, "ClassifyPetition", kStaff, request, response,
                    [](const v1::ClassifyPetitionRequest& in) {
                      TransitionInput t;
                      t.action = Action::kClassify;
                      t.decision = in.decision();
                      t.text = in.reason();
                      t.competent_agency = in.competent_agency_code();
                      t.not_processed_reason = in.not_processed_reason();
                      t.complexity = in.complexity();
                      t.excuse = in.excuse();
                      return t;
                    });
}

grpc::ServerUnaryReactor* PetitionGrpc::AssignPetition(grpc::CallbackServerContext* context,
                                                       const v1::AssignPetitionRequest* request,
                                                       v1::AssignPetitionResponse* response) {
  return Transition(context, "AssignPetition", kLeaders, request, response,
                    [](const v1::AssignPetitionRequest& in) {
                      TransitionInput t;
                      t.action = Action::kAssign;
                      t.officer = in.officer();
                      return t;
                    });
}

grpc::ServerUnaryReactor* PetitionGrpc::RecordVerification(
    grpc::CallbackServerContext* context, const v1::RecordVerificationRequest* request,
    v1::RecordVerificationResponse* response) {
  return Transition(context, "RecordVerification", kStaff, request, response,
                    [](const v1::RecordVerificationRequest& in) {
                      TransitionInput t;
                      t.action = Action::kVerify;
                      t.text = in.note();
                      return t;
                    });
}

grpc::ServerUnaryReactor* PetitionGrpc::RecordDialogue(grpc::CallbackServerContext* context,
                                                       const v1::RecordDialogueRequest* request,
                                                       v1::RecordDialogueResponse* response) {
  return Transition(
      context, "RecordDialogue", kStaff, request, response,
      [](const v1::RecordDialogueRequest& in) {
        TransitionInput t;
        t.action = Action::kDialogue;
        t.held = in.has_held_time()
                     ? absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(in.held_time()))
                     : absl::InfinitePast();  // the use case reads "now"
        t.participants.assign(in.participants().begin(), in.participants().end());
        t.text = in.minutes();
        return t;
      });
}

grpc::ServerUnaryReactor* PetitionGrpc::ExtendPetition(grpc::CallbackServerContext* context,
                                                       const v1::ExtendPetitionRequest* request,
                                                       v1::ExtendPetitionResponse* response) {
  return Transition(context, "ExtendPetition", kLeaders, request, response,
                    [](const v1::ExtendPetitionRequest& in) {
                      TransitionInput t;
                      t.action = Action::kExtend;
                      t.days = in.days();
                      t.text = in.reason();
                      t.decision_number = in.decision_number();
                      t.complexity = in.complexity();
                      return t;
                    });
}

grpc::ServerUnaryReactor* PetitionGrpc::SuspendPetition(grpc::CallbackServerContext* context,
                                                        const v1::SuspendPetitionRequest* request,
                                                        v1::SuspendPetitionResponse* response) {
  return Transition(context, "SuspendPetition", kLeaders, request, response,
                    [](const v1::SuspendPetitionRequest& in) {
                      TransitionInput t;
                      t.action = Action::kSuspend;
                      t.text = in.reason();
                      t.awaiting = in.awaiting();
                      return t;
                    });
}

grpc::ServerUnaryReactor* PetitionGrpc::ResumePetition(grpc::CallbackServerContext* context,
                                                       const v1::ResumePetitionRequest* request,
                                                       v1::ResumePetitionResponse* response) {
  return Transition(context, "ResumePetition", kLeaders, request, response,
                    [](const v1::ResumePetitionRequest& in) {
                      TransitionInput t;
                      t.action = Action::kResume;
                      t.text = in.note().empty() ? std::string("resumed") : in.note();
                      return t;
                    });
}

grpc::ServerUnaryReactor* PetitionGrpc::ClosePetition(grpc::CallbackServerContext* context,
                                                      const v1::ClosePetitionRequest* request,
                                                      v1::ClosePetitionResponse* response) {
  return Transition(context, "ClosePetition",
                    {Role::kOfficer, Role::kLeader, Role::kSystem, Role::kCitizen}, request,
                    response, [](const v1::ClosePetitionRequest& in) {
                      TransitionInput t;
                      t.action = Action::kClose;
                      t.close_reason = in.reason();
                      t.text = in.note();
                      return t;
                    });
}

grpc::ServerUnaryReactor* PetitionGrpc::DecidePetition(grpc::CallbackServerContext* context,
                                                       const v1::DecidePetitionRequest* request,
                                                       v1::DecidePetitionResponse* response) {
  return Transition(context, "DecidePetition", kLeaders, request, response,
                    [](const v1::DecidePetitionRequest& in) {
                      TransitionInput t;
                      t.action = Action::kDecide;
                      t.outcome = in.outcome();
                      t.decision_number = in.decision_number();
                      t.text = in.summary();
                      return t;
                    });
}

grpc::ServerUnaryReactor* PetitionGrpc::PublishDecision(grpc::CallbackServerContext* context,
                                                        const v1::PublishDecisionRequest* request,
                                                        v1::PublishDecisionResponse* response) {
  return Transition(context, "PublishDecision", kStaff, request, response,
                    [](const v1::PublishDecisionRequest& in) {
                      TransitionInput t;
                      t.action = Action::kPublish;
                      t.text = in.publication();
                      return t;
                    });
}

grpc::ServerUnaryReactor* PetitionGrpc::RevealDenouncerIdentity(
    grpc::CallbackServerContext* context, const v1::RevealDenouncerIdentityRequest* request,
    v1::RevealDenouncerIdentityResponse* response) {
  return ctx_.rpc.Run(context, "RevealDenouncerIdentity", kIdentityReaders, request, response,
                      [this](const CallContext& call, const v1::RevealDenouncerIdentityRequest& in,
                             v1::RevealDenouncerIdentityResponse& out) -> absl::Status {
                        auto r = petitions_.RevealIdentity(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* PetitionGrpc::ListIdentityReadings(
    grpc::CallbackServerContext* context, const v1::ListIdentityReadingsRequest* request,
    v1::ListIdentityReadingsResponse* response) {
  return ctx_.rpc.Run(context, "ListIdentityReadings",
                      {Role::kAuditor, Role::kInspector, Role::kSystem}, request, response,
                      [this](const CallContext& call, const v1::ListIdentityReadingsRequest& in,
                             v1::ListIdentityReadingsResponse& out) -> absl::Status {
                        auto r = petitions_.ListReadings(call, in);
                        if (!r.ok()) return r.status();
                        out = std::move(*r);
                        return absl::OkStatus();
                      });
}

grpc::ServerUnaryReactor* PetitionReceiverGrpc::Deliver(grpc::CallbackServerContext* context,
                                                        const liaison::v1::DeliverRequest* request,
                                                        liaison::v1::DeliverResponse* response) {
  return ctx_.rpc.RunTransportAuthenticated(
      context, "Deliver", request, response,
      [this](const CallContext&, const liaison::v1::DeliverRequest& in,
             liaison::v1::DeliverResponse& out) -> absl::Status {
        auto ack = petitions_.TakeDelivery(in);
        if (!ack.ok()) return ack.status();
        out = std::move(*ack);
        return absl::OkStatus();
      });
}

}  // namespace localgov::petition
