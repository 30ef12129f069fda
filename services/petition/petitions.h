#ifndef LOCALGOV_SERVICES_PETITION_PETITIONS_H_
#define LOCALGOV_SERVICES_PETITION_PETITIONS_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/calendar/calendar.h"
#include "common/clock.h"
#include "common/db/pool.h"
#include "common/envelope.h"
#include "common/rpc.h"
#include "localgov/dossier/v1/dossier_service.pb.h"
#include "localgov/liaison/v1/exchange.pb.h"
#include "localgov/liaison/v1/liaison_service.pb.h"
#include "localgov/petition/v1/petition_service.pb.h"
#include "services/petition/identity_vault.h"
#include "services/petition/lifecycle.h"
#include "services/petition/matching.h"
#include "services/petition/petition_store.h"
#include "services/petition/rules.h"

namespace localgov::petition {

// Who may read a sealed identity (RevealDenouncerIdentity, ReceptionService.RevealVisitors): a
// leader or an inspector, of the holding agency (Petitions::RevealSealed checks the agency).
inline constexpr std::initializer_list<Role> kIdentityReaders = {Role::kLeader, Role::kInspector};

// Petition use cases: intake, classification and handling, reads, the sealed identity, and the
// exchange with other agencies (no gRPC; all SQL in PetitionStore). One file per
// responsibility: petitions_intake.cc, petitions_transitions.cc, petitions_reads.cc,
// petitions_identity.cc, petitions_exchange.cc.
class Petitions final {
 public:
  static constexpr absl::Duration kMaxClockSkew = absl::Minutes(5);
  // The outbox topic that carries envelopes to the liaison service.
  static constexpr const char* kLiaisonSendTopic = "liaison.send";
  // The outbox topic that carries the reports of petitions naming a dossier to the dossier
  // service (RecordDossierPetition; petitions_dossier.cc).
  static constexpr const char* kDossierTopic = "dossier.petition";

  using CalendarSource = std::function<std::shared_ptr<const calendar::WorkingCalendar>()>;
  Petitions(PgPool& db, const Clock& clock, CalendarSource calendar)
      : db_(db), clock_(clock), calendar_(std::move(calendar)) {}

  struct Received {
    v1::Petition petition;
    std::string follow_secret;
    std::vector<v1::DuplicateCandidate> duplicates;
    std::vector<v1::RelatedDossier> related_dossiers;
  };
  absl::StatusOr<Received> Receive(const CallContext& call,
                                   const v1::ReceivePetitionRequest& request);
  // Receive in two halves, for a caller that creates several petitions in its own transaction
  // (a reception visit whose matters become several petitions: receptions_register.cc).
  // CheckIntake: every check and the authorisation of `request` (INVALID_ARGUMENT naming every
  // field, PERMISSION_DENIED, FAILED_PRECONDITION), before any transaction; its request_id is
  // checked only when `own_request_id` (the caller's idempotency key covers it otherwise).
  struct Intake {
    std::string addressed_to;  // the agency the petition names
    std::string receiving;     // who answers for it today (mergers)
    absl::Time received;
    absl::CivilDay receipt;
    std::string digest;  // of the request, a denouncer's identity only through a keyed mark
    // Not OK when the dossier named in act.dossier_code could not be checked (the dossier
    // service down): the caller answers it only after its idempotency claim finds no stored
    // answer, so a retry of a petition already received gets its first answer meanwhile.
    absl::Status dossier_unchecked;
  };
  absl::StatusOr<Intake> CheckIntake(const CallContext& call,
                                     const v1::ReceivePetitionRequest& request,
                                     bool own_request_id) const;
  // ReceiveIn: the petition created in `tx` (code, clocks, sealed identity, event, feed,
  // audit), with no idempotency key of its own; `change` gets the feed sequence, for Changed
  // after the commit.
  absl::StatusOr<Received> ReceiveIn(pqxx::work& tx, const CallContext& call,
                                     const v1::ReceivePetitionRequest& request,
                                     const Intake& checked, int64_t& change);
  void Changed(int64_t change) {
    if (change > 0 && on_change_) on_change_(change);
  }
  const IdentityVault& vault() const { return vault_; }
  const Clock& clock() const { return clock_; }
  std::shared_ptr<const calendar::WorkingCalendar> CurrentCalendar() const { return Calendar(); }
  // One transition, in one transaction with its event, audit record and any envelope (outbox):
  // `expected_version` checked (ABORTED when stale). With a `request_id`, a retry of a
  // transition that committed returns its first answer (even once the version moved on);
  // ALREADY_EXISTS for the same request_id with another body (`request_digest`, the request's
  // SHA-256).
  absl::StatusOr<v1::Petition> Transition(const CallContext& call, const std::string& code,
                                          int64_t expected_version, TransitionInput input,
                                          const std::string& request_id = "",
                                          const std::string& request_digest = "");
  // NOT_FOUND also when the caller may not see it. With `related`, the dossiers related to it
  // as known now (staff, inspectors, auditors, the system; never a citizen).
  absl::StatusOr<v1::Petition> Get(const CallContext& call, const std::string& code,
                                   std::vector<v1::RelatedDossier>* related = nullptr);
  // RecordDossierCase (petitions_cases.cc): the dossier service's report of a dossier that went
  // wrong, kept when newer than the one held; returns whether it was.
  absl::StatusOr<bool> RecordDossierCase(const CallContext& call,
                                         const v1::RecordDossierCaseRequest& request);
  // GetCitizenTimeline (petitions_timeline.cc): the caller's own petitions and, from
  // `dossiers` (asked of the dossier service with the caller's token; its failure makes the
  // answer partial, never an error), their dossiers.
  using CitizenDossierSource =
      std::function<absl::StatusOr<std::pair<std::vector<dossier::v1::Dossier>, bool>>(
          bool open_only)>;
  absl::StatusOr<v1::GetCitizenTimelineResponse> Timeline(
      const CallContext& call, const v1::GetCitizenTimelineRequest& request,
      const CitizenDossierSource& dossiers);
  // The reception office's receipt as a PDF, for whoever may read the petition; never the
  // denouncer's identity (petitions_receipt.cc).
  absl::StatusOr<v1::PrintPetitionReceiptResponse> PrintReceipt(
      const CallContext& call, const v1::PrintPetitionReceiptRequest& request);
  // LOCALGOV_PORTAL_LOOKUP_URL (common/print): the look-up address the receipt's QR code
  // carries.
  void SetLookupUrlTemplate(std::string url_template) {
    lookup_url_template_ = std::move(url_template);
  }
  // An agency's official name for the receipt (the exchange directory); unset or unknown:
  // the code.
  void SetAgencyNamer(std::function<std::string(const std::string&)> namer) {
    agency_namer_ = std::move(namer);
  }
  struct Page {
    std::vector<v1::Petition> petitions;
    std::string next_page_token;
  };
  absl::StatusOr<Page> List(const CallContext& call, const v1::ListPetitionsRequest& request);
  absl::StatusOr<v1::Petition> Lookup(const std::string& code, const std::string& second_factor);
  absl::StatusOr<ChangeFilter> WatchFilter(const CallContext& call,
                                           const v1::WatchPetitionsRequest& request);
  absl::StatusOr<std::vector<v1::WatchPetitionsResponse>> Changes(const ChangeFilter& filter);
  absl::StatusOr<int64_t> LatestChange();
  absl::StatusOr<std::vector<PetitionStore::Overdue>> OverdueByAgency();

  // Duplicates and long-running matters (petitions_duplicates.cc; rules in matching.h).
  absl::StatusOr<v1::FindDuplicatesResponse> FindDuplicates(
      const CallContext& call, const v1::FindDuplicatesRequest& request);
  // The office's figures for an agency and period (petitions_statistics.cc).
  absl::StatusOr<v1::GetPetitionStatisticsResponse> Statistics(
      const CallContext& call, const v1::GetPetitionStatisticsRequest& request);
  absl::StatusOr<v1::ListOfficerPetitionRecordsResponse> OfficerRecords(
      const CallContext& call, const v1::ListOfficerPetitionRecordsRequest& request);
  // Derives the matter and statistics columns of up to `limit` petitions stored before they
  // existed (oldest first, so a repeat finds its earlier petitions); returns how many (the
  // backfill worker runs it until 0).
  absl::StatusOr<int> DeriveOnce(int limit);
  void SetMatching(MatchingSettings s) { matching_ = s; }
  const MatchingSettings& matching() const { return matching_; }

  // The sealed identity: read with a reason (recorded, audited), and who read it.
  absl::StatusOr<v1::RevealDenouncerIdentityResponse> RevealIdentity(
      const CallContext& call, const v1::RevealDenouncerIdentityRequest& request);
  // What holds a sealed identity (a petition, a reception visit), as found in the reveal's
  // transaction: its agency, whether it is sealed, and the sealed value.
  struct SealedHolder {
    std::string agency;
    bool sealed = false;
    std::optional<SealedValue> value;
  };
  // The one path of every reveal: `id` (field `id_field`, the value's binding) of kind `what`
  // ("petition", "reception_visit") read by `call` with `reason` (at least 10 characters) — the
  // holding agency's own leaders and inspectors only (NOT_FOUND for another agency's,
  // FAILED_PRECONDITION when nothing is sealed); `take` receives the opened value, and the
  // reading (`reading` names what was read; the rest is filled) is recorded and audited in the
  // same transaction. The audit names the holder and the reason, never what was read.
  absl::Status RevealSealed(const CallContext& call, const std::string& what,
                            const std::string& id_field, const std::string& id,
                            const std::string& reason,
                            const std::function<std::optional<SealedHolder>(pqxx::work&)>& find,
                            const std::function<bool(const std::string&)>& take,
                            v1::IdentityReading& reading);
  absl::StatusOr<v1::ListIdentityReadingsResponse> ListReadings(
      const CallContext& call, const v1::ListIdentityReadingsRequest& request);
  // Moves up to `limit` identities sealed under an older key to the current one — a petition's
  // denouncer and a reception visit's visitors (PetitionStore::kSealedTables) — and returns how
  // many (key rotation; the resealer runs it until 0, then the old key can leave the ring).
  absl::StatusOr<int> ResealOnce(int limit);

  // ReceiverService.Deliver: a referral becomes a petition here (once per envelope id); a
  // referral result answers the petition we forwarded.
  absl::StatusOr<liaison::v1::DeliverResponse> TakeDelivery(
      const liaison::v1::DeliverRequest& request);

  void SetRules(PetitionRuleBook rules) { rules_ = std::move(rules); }
  const PetitionRuleBook& rules() const { return rules_; }
  void SetVault(IdentityVault vault) { vault_ = std::move(vault); }
  // The key that signs our envelopes (and opens identities sealed to our agency).
  void SetExchangeKey(SigningKey key) { exchange_key_ = std::move(key); }
  void OnChange(std::function<void(int64_t)> f) { on_change_ = std::move(f); }

  // Who answers for an agency code today (mergers), from the exchange directory.
  struct Answering {
    std::string agency;
    std::vector<std::string> answers_for;
    bool known = true;
  };
  using AgencyResolver = std::function<Answering(const std::string& code)>;
  void SetAgencyResolver(AgencyResolver r) { resolver_ = std::move(r); }
  // The Ed25519 exchange key of an agency valid now (to seal a forwarded identity to it);
  // FAILED_PRECONDITION when it has none, UNAVAILABLE when the directory is not known yet.
  using AgencyKey = std::function<absl::StatusOr<std::string>(const std::string& agency)>;
  void SetAgencyKey(AgencyKey k) { agency_key_ = std::move(k); }
  using SenderCheck =
      std::function<absl::Status(const liaison::v1::Envelope&, const std::string& receiver)>;
  void SetSenderCheck(SenderCheck c) { sender_check_ = std::move(c); }
  // The agency that received a dossier named in a new petition (act.dossier_code), asked of
  // the dossier service (DossierLink::ReceivingAgency). Unset: a petition naming a dossier is
  // refused (FAILED_PRECONDITION), never taken unchecked.
  using DossierCheck =
      std::function<absl::StatusOr<std::string>(const std::string& code, const std::string& field)>;
  void SetDossierCheck(DossierCheck c) { dossier_check_ = std::move(c); }
  // What the dossier service is told of a petition naming a dossier after the change with feed
  // sequence `sequence`: its code, agency, kind, state and deadlines — never who filed it.
  static dossier::v1::RecordDossierPetitionRequest DossierReport(const v1::Petition& p,
                                                                 int64_t sequence);

 private:
  std::shared_ptr<const calendar::WorkingCalendar> Calendar() const { return calendar_(); }
  // Every change of a petition: its event and the change feed (PetitionStore::AppendEvent) and,
  // for a petition naming a dossier, the report to the dossier service (outbox), in `tx`.
  // Returns the feed sequence.
  static int64_t RecordChange(pqxx::work& tx, const v1::Petition& p);
  // The dossiers the dossier service reported as gone wrong that are `p`'s person's (by `keys`;
  // never a denouncer's) or named by it, with why (petitions_cases.cc).
  static std::vector<v1::RelatedDossier> RelatedDossiers(pqxx::transaction_base& tx,
                                                         const v1::Petition& p,
                                                         const MatchKeys& keys);
  // The dossier named at intake exists and was received by `agency` (or one it answers for).
  absl::Status CheckDossier(const v1::ReceivePetitionRequest& r, const std::string& agency) const;
  Answering Resolve(const std::string& code) const;
  bool SameAgency(const std::string& a, const std::string& b) const;
  // Whether `call` may read `p` (staff, inspectors and auditors of its agency; the system; a
  // citizen their own non-sealed petition).
  bool MayRead(const CallContext& call, const PetitionStore::Found& f) const;
  // Creates a petition (intake or a referral) in `tx`: code, clocks, first event, identity
  // sealed, stored, feed, audit. Returns the feed sequence.
  // Earlier petitions of the same person about the same matter are matched first (their
  // candidates into `duplicates` when given; p's duplicate_of and matter_group set).
  absl::StatusOr<int64_t> Create(pqxx::work& tx, const CallContext& call, v1::Petition& p,
                                 const v1::Person& petitioner, const std::string& follow_secret,
                                 const std::string& source_envelope, const std::string& note,
                                 const std::string& audit_change,
                                 std::vector<v1::DuplicateCandidate>* duplicates = nullptr,
                                 std::vector<v1::RelatedDossier>* related = nullptr);
  // Records a repeat of an answered petition as not processed (in `tx`, right after its
  // creation): classification NOT_PROCESS, reason DUPLICATE_ANSWERED, the earlier answer told.
  absl::StatusOr<int64_t> NotProcessRepeat(pqxx::work& tx, const CallContext& call, v1::Petition& p,
                                           const v1::DuplicateCandidate& earlier);
  // The candidates of `keys` among the agency's (and merged agencies') petitions, best first.
  struct Matched {
    std::vector<v1::DuplicateCandidate> candidates;
    std::string matter_group;  // the best candidate's matter (empty: none matched)
  };
  Matched MatchCandidates(pqxx::transaction_base& tx, const std::string& agency,
                          const MatchKeys& keys, const std::string& except_code, int limit) const;
  MatchKeys KeysOf(v1::PetitionKind kind, const v1::Person& person, const std::string& title,
                   const std::string& content, const v1::ActConcerned& act) const;
  // Sets matter_filings and long_running of petitions just read.
  void Annotate(pqxx::transaction_base& tx, std::vector<v1::Petition*> petitions) const;
  // The referral envelope of a petition forwarded to another agency (its identity sealed to
  // that agency's key), enqueued in `tx`.
  absl::Status SendReferral(pqxx::work& tx, v1::Petition& p, absl::Time now);
  // The answer to a petition another agency forwarded to us, enqueued in `tx`.
  absl::Status SendResult(pqxx::work& tx, const v1::Petition& p, absl::Time now);
  void SendThroughOutbox(pqxx::work& tx, liaison::v1::Envelope e);

  PgPool& db_;
  const Clock& clock_;
  CalendarSource calendar_;
  PetitionRuleBook rules_ = *PetitionRuleBook::Parse("");
  IdentityVault vault_;
  SigningKey exchange_key_;
  std::function<void(int64_t)> on_change_;
  AgencyResolver resolver_;
  AgencyKey agency_key_;
  SenderCheck sender_check_;
  DossierCheck dossier_check_;
  std::function<std::string(const std::string&)> agency_namer_;
  std::string lookup_url_template_;
  MatchingSettings matching_;
};

// What LookupPetition compares: SHA-256 of the follow secret bound to the code.
std::string FollowHash(const std::string& code, const std::string& secret);

// Adds the next event of `p`'s history (`p` as it is after it).
v1::PetitionEvent& AddEvent(v1::Petition& p, absl::Time at, const AccessContext& who,
                            v1::PetitionState from, const std::string& note);

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_PETITIONS_H_
