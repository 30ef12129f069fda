#ifndef LOCALGOV_SERVICES_PETITION_PETITION_GRPC_H_
#define LOCALGOV_SERVICES_PETITION_PETITION_GRPC_H_

#include <memory>

#include "common/crypto.h"
#include "common/directory_snapshot.h"
#include "common/feed.h"
#include "common/service.h"
#include "localgov/liaison/v1/exchange.grpc.pb.h"
#include "localgov/petition/v1/petition_service.grpc.pb.h"
#include "services/petition/calendar_copy.h"
#include "services/petition/dossier_link.h"
#include "services/petition/petitions.h"
#include "services/petition/workers.h"

namespace localgov::petition {

// The gRPC adapter of the petition service: translates requests and responses, nothing more.
// Its constructor wires the use cases to the settings, the outbox, the directory, the calendar
// copy and the workers.
class PetitionGrpc final : public v1::PetitionService::CallbackService {
 public:
  explicit PetitionGrpc(ServiceContext& ctx);
  ~PetitionGrpc() override;

  static constexpr absl::Duration kFeedPollInterval = absl::Milliseconds(250);
  Petitions& petitions() { return petitions_; }
  CalendarCopy& calendar() { return calendar_; }

  grpc::ServerUnaryReactor* GetServiceInfo(grpc::CallbackServerContext* context,
                                           const v1::GetServiceInfoRequest* request,
                                           v1::GetServiceInfoResponse* response) override;
  grpc::ServerUnaryReactor* ReceivePetition(grpc::CallbackServerContext* context,
                                            const v1::ReceivePetitionRequest* request,
                                            v1::ReceivePetitionResponse* response) override;
  grpc::ServerUnaryReactor* GetPetition(grpc::CallbackServerContext* context,
                                        const v1::GetPetitionRequest* request,
                                        v1::GetPetitionResponse* response) override;
  grpc::ServerUnaryReactor* RecordDossierCase(grpc::CallbackServerContext* context,
                                              const v1::RecordDossierCaseRequest* request,
                                              v1::RecordDossierCaseResponse* response) override;
  grpc::ServerUnaryReactor* GetCitizenTimeline(grpc::CallbackServerContext* context,
                                               const v1::GetCitizenTimelineRequest* request,
                                               v1::GetCitizenTimelineResponse* response) override;
  grpc::ServerUnaryReactor* ListPetitions(grpc::CallbackServerContext* context,
                                          const v1::ListPetitionsRequest* request,
                                          v1::ListPetitionsResponse* response) override;
  grpc::ServerWriteReactor<v1::WatchPetitionsResponse>* WatchPetitions(
      grpc::CallbackServerContext* context, const v1::WatchPetitionsRequest* request) override;
  grpc::ServerUnaryReactor* LookupPetition(grpc::CallbackServerContext* context,
                                           const v1::LookupPetitionRequest* request,
                                           v1::LookupPetitionResponse* response) override;
  grpc::ServerUnaryReactor* ClassifyPetition(grpc::CallbackServerContext* context,
                                             const v1::ClassifyPetitionRequest* request,
                                             v1::ClassifyPetitionResponse* response) override;
  grpc::ServerUnaryReactor* AssignPetition(grpc::CallbackServerContext* context,
                                           const v1::AssignPetitionRequest* request,
                                           v1::AssignPetitionResponse* response) override;
  grpc::ServerUnaryReactor* RecordVerification(grpc::CallbackServerContext* context,
                                               const v1::RecordVerificationRequest* request,
                                               v1::RecordVerificationResponse* response) override;
  grpc::ServerUnaryReactor* RecordDialogue(grpc::CallbackServerContext* context,
                                           const v1::RecordDialogueRequest* request,
                                           v1::RecordDialogueResponse* response) override;
  grpc::ServerUnaryReactor* ExtendPetition(grpc::CallbackServerContext* context,
                                           const v1::ExtendPetitionRequest* request,
                                           v1::ExtendPetitionResponse* response) override;
  grpc::ServerUnaryReactor* SuspendPetition(grpc::CallbackServerContext* context,
                                            const v1::SuspendPetitionRequest* request,
                                            v1::SuspendPetitionResponse* response) override;
  grpc::ServerUnaryReactor* ResumePetition(grpc::CallbackServerContext* context,
                                           const v1::ResumePetitionRequest* request,
                                           v1::ResumePetitionResponse* response) override;
  grpc::ServerUnaryReactor* ClosePetition(grpc::CallbackServerContext* context,
                                          const v1::ClosePetitionRequest* request,
                                          v1::ClosePetitionResponse* response) override;
  grpc::ServerUnaryReactor* DecidePetition(grpc::CallbackServerContext* context,
                                           const v1::DecidePetitionRequest* request,
                                           v1::DecidePetitionResponse* response) override;
  grpc::ServerUnaryReactor* PublishDecision(grpc::CallbackServerContext* context,
                                            const v1::PublishDecisionRequest* request,
                                            v1::PublishDecisionResponse* response) override;
  grpc::ServerUnaryReactor* RevealDenouncerIdentity(
      grpc::CallbackServerContext* context, const v1::RevealDenouncerIdentityRequest* request,
      v1::RevealDenouncerIdentityResponse* response) override;
  grpc::ServerUnaryReactor* ListIdentityReadings(
      grpc::CallbackServerContext* context, const v1::ListIdentityReadingsRequest* request,
      v1::ListIdentityReadingsResponse* response) override;
  grpc::ServerUnaryReactor* FindDuplicates(grpc::CallbackServerContext* context,
                                           const v1::FindDuplicatesRequest* request,
                                           v1::FindDuplicatesResponse* response) override;
  grpc::ServerUnaryReactor* GetPetitionStatistics(
      grpc::CallbackServerContext* context, const v1::GetPetitionStatisticsRequest* request,
      v1::GetPetitionStatisticsResponse* response) override;
  grpc::ServerUnaryReactor* ListOfficerPetitionRecords(
      grpc::CallbackServerContext* context, const v1::ListOfficerPetitionRecordsRequest* request,
      v1::ListOfficerPetitionRecordsResponse* response) override;
  grpc::ServerUnaryReactor* PrintPetitionReceipt(
      grpc::CallbackServerContext* context, const v1::PrintPetitionReceiptRequest* request,
      v1::PrintPetitionReceiptResponse* response) override;

 private:
  // One transition RPC: `to_input(request)` says what to do; the petition comes back.
  template <typename Request, typename Response, typename ToInput>
  grpc::ServerUnaryReactor* Transition(grpc::CallbackServerContext* context, const char* method,
                                       std::initializer_list<Role> roles, const Request* request,
                                       Response* response, ToInput to_input) {
    return ctx_.rpc.Run(context, method, roles, request, response,
                        [this, to_input](const CallContext& call, const Request& in,
                                         Response& out) -> absl::Status {
                          auto p = petitions_.Transition(call, in.code(), in.expected_version(),
                                                         to_input(in), in.request_id(),
                                                         Sha256Hex(in.SerializeAsString()));
                          if (!p.ok()) return p.status();
                          *out.mutable_petition() = std::move(*p);
                          return absl::OkStatus();
                        });
  }

  ServiceContext& ctx_;
  CalendarCopy calendar_;
  Petitions petitions_;
  FeedWatermark watermark_;
  OverdueGauge overdue_;
  Resealer resealer_;
  Deriver deriver_;
  std::unique_ptr<DirectoryCache> directory_;
  std::shared_ptr<DossierLink> dossier_link_;  // the dossier service: checks, reports, timeline
};

// ReceiverService for petitions: referrals from other agencies and the answers to ours.
class PetitionReceiverGrpc final : public liaison::v1::ReceiverService::CallbackService {
 public:
  PetitionReceiverGrpc(ServiceContext& ctx, Petitions& petitions)
      : ctx_(ctx), petitions_(petitions) {}
  grpc::ServerUnaryReactor* Deliver(grpc::CallbackServerContext* context,
                                    const liaison::v1::DeliverRequest* request,
                                    liaison::v1::DeliverResponse* response) override;

 private:
  ServiceContext& ctx_;
  Petitions& petitions_;
};

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_PETITION_GRPC_H_
