#ifndef LOCALGOV_SERVICES_DOSSIER_DOSSIERS_H_
#define LOCALGOV_SERVICES_DOSSIER_DOSSIERS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/db/pool.h"
#include "common/envelope.h"
#include "common/rpc.h"
#include "localgov/dossier/v1/dossier_service.pb.h"
#include "localgov/liaison/v1/exchange.pb.h"
#include "localgov/liaison/v1/liaison_service.pb.h"
#include "services/dossier/calendar_service.h"
#include "services/dossier/catalogue.h"
#include "services/dossier/dossier_store.h"
#include "services/dossier/intake_writer.h"
#include "services/dossier/lifecycle.h"
#include "services/dossier/lookup.h"
#include "services/dossier/quality.h"
#include "services/dossier/rules.h"

namespace localgov::dossier {

// Dossier use cases: intake, transitions, reads, service quality and the exchange with other
// agencies (no gRPC; all SQL in DossierStore). Implemented in one file per responsibility,
// dossiers_*.cc (the list is at the top of dossiers.cc).
class Dossiers final {
 public:
  // How far in the future a received_time may be (clock differences between systems).
  static constexpr absl::Duration kMaxClockSkew = absl::Minutes(5);

  Dossiers(PgPool& db, const Clock& clock, Catalogue& catalogue, CalendarService& calendar,
           PublicLookup& lookup)
      : db_(db),
        clock_(clock),
        catalogue_(catalogue),
        calendar_(calendar),
        lookup_(lookup),
        intake_writer_(db) {
    intake_writer_.OnWritten([](pqxx::work& tx, const v1::Dossier& d, absl::Time at) {
      PublishCase(tx, nullptr, d, at);
    });
  }

  absl::StatusOr<v1::Dossier> Receive(const CallContext& call,
                                      const v1::ReceiveDossierRequest& request);
  // One transition, all in one transaction: optimistic concurrency on `expected_version`
  // (a stale write is ABORTED, never overwrites), an event in the history, an audit record.
  // With a request_id (optional), idempotent: the same request_id and body again returns the
  // dossier as that transition left it, even once the version has moved on; ALREADY_EXISTS
  // for the same request_id with another body. `request_digest` is the request's SHA-256.
  absl::StatusOr<v1::Dossier> Transition(const CallContext& call, const std::string& code,
                                         int64_t expected_version, TransitionInput input,
                                         const std::string& request_id = "",
                                         const std::string& request_digest = "");
  absl::StatusOr<v1::Rating> Rate(const CallContext& call, const v1::RateDossierRequest& request);
  absl::StatusOr<v1::AgencyStatistics> Statistics(const CallContext& call,
                                                  const v1::GetAgencyStatisticsRequest& request);
  absl::StatusOr<v1::ListOfficerRecordsResponse> OfficerRecords(
      const CallContext& call, const v1::ListOfficerRecordsRequest& request);

  struct Page {
    std::vector<v1::Dossier> dossiers;
    std::string next_page_token;
  };
  absl::StatusOr<Page> List(const CallContext& call, const v1::ListDossiersRequest& request);
  // NOT_FOUND also when the caller may not see the dossier (its existence is not disclosed).
  // With `petitions`, the petitions about it are read in the same snapshot, for whoever may
  // see them (staff, inspectors, auditors, admins, the system; never a citizen).
  absl::StatusOr<v1::Dossier> Get(const CallContext& call, const std::string& code,
                                  std::vector<v1::DossierPetition>* petitions = nullptr);
  // RecordDossierPetition (dossiers_petitions.cc): the petition service's report of a petition
  // naming a dossier, kept when newer than the copy held; returns whether it was.
  absl::StatusOr<bool> RecordPetition(const CallContext& call,
                                      const v1::RecordDossierPetitionRequest& request);
  // The citizen's printed paper (forms 01–04) as a PDF, for whoever may read the dossier
  // (dossiers_papers.cc).
  absl::StatusOr<v1::PrintDossierPaperResponse> PrintPaper(
      const CallContext& call, const v1::PrintDossierPaperRequest& request);
  // LOCALGOV_PORTAL_LOOKUP_URL (papers.h): the look-up address the papers' QR code carries.
  void SetLookupUrlTemplate(std::string url_template) {
    lookup_url_template_ = std::move(url_template);
  }
  // An agency's official name for the papers (from the exchange directory); unset or
  // unknown: the code.
  using AgencyNamer = std::function<std::string(const std::string& code)>;
  void SetAgencyNamer(AgencyNamer namer) { agency_namer_ = std::move(namer); }

  // WatchDossiers: checks the request and the caller's right to watch, and returns what to read.
  absl::StatusOr<ChangeFilter> WatchFilter(const CallContext& call,
                                           const v1::WatchDossiersRequest& request);
  absl::StatusOr<std::vector<v1::WatchDossiersResponse>> Changes(const ChangeFilter& filter);
  absl::StatusOr<int64_t> LatestChange();
  // Open dossiers that became late with no apology, per agency answering for them today (for
  // the alert).
  absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> LateWithoutApologyByAgency();
  // The key that signs the handoff envelopes of route steps owned by other agencies
  // (LOCALGOV_EXCHANGE_SIGNING_KEY_FILE); registered in the exchange directory for each
  // agency this service receives for.
  void SetExchangeKey(SigningKey key) { exchange_key_ = std::move(key); }
  // ReceiverService.Deliver: keeps the envelope once (inbox) and, for a step result, completes
  // the dossier's step and hands off the next group — all in one transaction.
  absl::StatusOr<liaison::v1::DeliverResponse> TakeDelivery(
      const liaison::v1::DeliverRequest& request);
  // The outbox topic that carries handoff envelopes to the liaison service.
  static constexpr const char* kLiaisonSendTopic = "liaison.send";
  // The outbox topic that carries the reports of dossiers gone wrong (refused, stopped, late)
  // to the petition service (RecordDossierCase; dossier_cases.h).
  static constexpr const char* kPetitionCaseTopic = "petition.dossier_case";
  // Enqueues in `tx` the report the change from `before` (nullptr at intake) to `after` calls
  // for, if any (dossier_cases.h).
  static void PublishCase(pqxx::work& tx, const v1::Dossier* before, const v1::Dossier& after,
                          absl::Time at);

  // The one-stop rule sets (LOCALGOV_ONE_STOP_RULES on top of the statutory ones; rules.h).
  void SetRules(OneStopRuleBook rules) { rules_ = std::move(rules); }
  const OneStopRuleBook& rules() const { return rules_; }
  // Decision 766 weights for GetAgencyStatistics (configuration; see quality.h).
  void SetQualityWeights(std::vector<QualityWeight> weights) { weights_ = std::move(weights); }
  // Told how many intakes each intake transaction wrote (the group commit's batching).
  void OnIntakeGroup(std::function<void(size_t)> on_group) {
    intake_writer_.OnGroup(std::move(on_group));
  }
  // Told the feed sequence of every change this process commits (wakes waiting watchers).
  void OnChange(std::function<void(int64_t)> on_change) { on_change_ = std::move(on_change); }
  // Checks a delivered envelope's sender against the exchange directory (signature, key
  // validity, access right): OK, UNAVAILABLE (try later) or a refusal's reason. Unset: the
  // exchange's own checks are trusted.
  using SenderCheck =
      std::function<absl::Status(const liaison::v1::Envelope&, const std::string& receiver)>;
  void SetSenderCheck(SenderCheck check) { sender_check_ = std::move(check); }

  // Who answers for an agency code today (DOMAIN.md §0: a merged unit's records, dossiers
  // included, continue under its successor, and look-ups by the old code still work).
  struct Answering {
    std::string agency;                    // the agency that answers for the code today
    std::vector<std::string> answers_for;  // the codes whose dossiers it holds: itself first
    // False when the exchange directory does not know the code (a write naming it is refused);
    // true when it does, or when no directory is known yet (nothing to check against).
    bool known = true;
  };
  using AgencyResolver = std::function<Answering(const std::string& code)>;
  // From the exchange directory. Unset, or before the directory is known: every code answers
  // for itself only.
  void SetAgencyResolver(AgencyResolver resolver) { resolver_ = std::move(resolver); }

 private:
  PgPool& db_;
  const Clock& clock_;
  Catalogue& catalogue_;
  CalendarService& calendar_;
  PublicLookup& lookup_;
  IntakeWriter intake_writer_;  // intakes arriving together share one transaction
  // Hands off the next step group of `d` (after a start or a step result), enqueuing the
  // envelopes in `tx`; FAILED_PRECONDITION when steps are due and no exchange key is set.
  absl::Status HandOff(pqxx::work& tx, v1::Dossier& d, const v1::Procedure& p,
                       const calendar::WorkingCalendar& cal, absl::Time now);
  // Signs `e` with the exchange key and writes the liaison's SendRequest for it (with the
  // acknowledgement deadline, if any) to the outbox in `tx`.
  void SendThroughOutbox(pqxx::work& tx, liaison::v1::Envelope e, absl::Time acknowledge_by);
  // For each step cancelled in `after` (not in `before`) that had been handed off: a signed
  // STEP_CANCELLATION envelope to its agency, through the outbox.
  absl::Status SendCancellations(pqxx::work& tx, const v1::Dossier& before, v1::Dossier& after,
                                 const std::string& acting_agency, absl::Time now);
  Answering Resolve(const std::string& code) const;
  // Whether two codes are answered for by the same agency today (an officer of a merged
  // commune's successor acts on the merged commune's dossiers).
  bool SameAgency(const std::string& a, const std::string& b) const;
  std::function<void(int64_t)> on_change_;
  AgencyResolver resolver_;
  AgencyNamer agency_namer_;
  std::string lookup_url_template_;
  SenderCheck sender_check_;
  SigningKey exchange_key_;
  std::vector<QualityWeight> weights_ = *ParseQualityWeights(kDefaultQualityWeights);
  OneStopRuleBook rules_ = *OneStopRuleBook::Parse("");
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_DOSSIERS_H_
