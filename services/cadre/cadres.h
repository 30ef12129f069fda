#ifndef LOCALGOV_SERVICES_CADRE_CADRES_H_
#define LOCALGOV_SERVICES_CADRE_CADRES_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/db/pool.h"
#include "common/directory_snapshot.h"
#include "common/rpc.h"
#include "localgov/cadre/v1/cadre_merger.pb.h"
#include "localgov/cadre/v1/cadre_service.pb.h"
#include "services/cadre/cadre_rules.h"
#include "services/cadre/cadre_rules_merger.h"
#include "services/cadre/cadre_store.h"
#include "services/cadre/snapshot_cache.h"

namespace localgov::cadre {

// The cadre use cases (no gRPC; all SQL in CadreStore), in two files:
//   cadres_setup.cc    agencies, units, positions, quotas, people, qualifications, staffing
//   cadres_history.cc  assignments, ranks, corrections, as-of reads, history, rosters
//   cadres_due.cc      discipline, annual evaluations
//   cadres_due_list.cc what falls due (ListDue: a unit, or an agency page by page)
//   cadres_recruitment.cc, cadres_reports.cc  recruitment rounds, the standards report
//   cadres_merger.cc   merger plans (preview, apply)
// Every write: validate (one Validator), authorise by agency (MayManage over the agencies'
// supervision and mergers), request_id on creates / expected_version and an optional
// request_id on changes (a retry gets the first answer: internal::ChangeKey), then the change
// and its audit record in one transaction.
class Cadres final {
 public:
  // The office whose staff (officers, leaders) may act: the token's "office" claim.
  static constexpr std::string_view kPersonnelOffice = "personnel";

  Cadres(PgPool& db, const Clock& clock) : db_(db), clock_(clock) {}

  absl::StatusOr<v1::Agency> RegisterAgency(const CallContext& call,
                                            const v1::RegisterAgencyRequest& request);
  absl::StatusOr<v1::Unit> CreateUnit(const CallContext& call,
                                      const v1::CreateUnitRequest& request);
  absl::StatusOr<v1::ListUnitsResponse> ListUnits(const CallContext& call,
                                                  const v1::ListUnitsRequest& request);
  absl::StatusOr<v1::Position> CreatePosition(const CallContext& call,
                                              const v1::CreatePositionRequest& request);
  absl::StatusOr<v1::Quota> SetQuota(const CallContext& call, const v1::SetQuotaRequest& request);
  absl::StatusOr<v1::GetUnitStaffingResponse> GetUnitStaffing(
      const CallContext& call, const v1::GetUnitStaffingRequest& request);
  absl::StatusOr<v1::Person> CreatePerson(const CallContext& call,
                                          const v1::CreatePersonRequest& request);
  absl::StatusOr<v1::Person> GetPerson(const CallContext& call,
                                       const v1::GetPersonRequest& request);
  absl::StatusOr<v1::ListPeopleResponse> ListPeople(const CallContext& call,
                                                    const v1::ListPeopleRequest& request);
  absl::StatusOr<v1::Person> AddQualification(const CallContext& call,
                                              const v1::AddQualificationRequest& request);
  absl::StatusOr<v1::RecordAssignmentResponse> RecordAssignment(
      const CallContext& call, const v1::RecordAssignmentRequest& request);
  absl::StatusOr<v1::RecordRankResponse> RecordRank(const CallContext& call,
                                                    const v1::RecordRankRequest& request);
  absl::StatusOr<v1::CorrectHistoryResponse> CorrectHistory(
      const CallContext& call, const v1::CorrectHistoryRequest& request);
  absl::StatusOr<v1::GetPersonHistoryResponse> GetPersonHistory(
      const CallContext& call, const v1::GetPersonHistoryRequest& request);
  absl::StatusOr<v1::GetRosterResponse> GetRoster(const CallContext& call,
                                                  const v1::GetRosterRequest& request);
  absl::StatusOr<v1::Discipline> RecordDiscipline(const CallContext& call,
                                                  const v1::RecordDisciplineRequest& request);
  absl::StatusOr<v1::Evaluation> RecordEvaluation(const CallContext& call,
                                                  const v1::RecordEvaluationRequest& request);
  absl::StatusOr<v1::ListDueResponse> ListDue(const CallContext& call,
                                              const v1::ListDueRequest& request);

  // Recruitment rounds (cadres_recruitment.cc) and the standards report (cadres_reports.cc).
  absl::StatusOr<v1::RecruitmentRound> CreateRecruitmentRound(
      const CallContext& call, const v1::CreateRecruitmentRoundRequest& request);
  absl::StatusOr<v1::Candidate> AddCandidate(const CallContext& call,
                                             const v1::AddCandidateRequest& request);
  absl::StatusOr<v1::Candidate> RecordCandidateScores(
      const CallContext& call, const v1::RecordCandidateScoresRequest& request);
  absl::StatusOr<v1::GetRecruitmentRankingResponse> GetRecruitmentRanking(
      const CallContext& call, const v1::GetRecruitmentRankingRequest& request);
  absl::StatusOr<v1::GetStandardsReportResponse> GetStandardsReport(
      const CallContext& call, const v1::GetStandardsReportRequest& request);
  absl::StatusOr<v1::ListStandardsDetailResponse> ListStandardsDetail(
      const CallContext& call, const v1::ListStandardsDetailRequest& request);

  // Merger plans (cadres_merger.cc): previewed, then applied in one transaction.
  absl::StatusOr<v1::PreviewMergerResponse> PreviewMerger(const CallContext& call,
                                                          const v1::PreviewMergerRequest& request);
  absl::StatusOr<v1::ApplyMergerResponse> ApplyMerger(const CallContext& call,
                                                      const v1::ApplyMergerRequest& request);

  // The liaison directory (common/directory_snapshot.h), when configured: agencies, their
  // names and their mergers come from it (projected into the register); without it the
  // service keeps its own register (RegisterAgency with names and successors).
  struct Directory {
    std::function<std::shared_ptr<const DirectoryView>()> current;
    std::function<absl::Status()> refresh;  // one refresh now, in the caller's thread
  };
  void SetDirectory(Directory directory);
  // Projects the directory into the register when its snapshot is newer than the last one
  // projected (the directory worker every few seconds; a write naming an agency not yet
  // projected). Returns the rows changed.
  absl::StatusOr<int> SyncDirectory();

  void SetRules(CadreRuleBook rules) {
    rules_ = std::move(rules);
    due_cache_.Clear();
    report_cache_.Clear();
  }
  const CadreRuleBook& rules() const { return rules_; }

 private:
  // OK when the caller's personnel office manages `agency` (or the caller is the system).
  absl::Status Authorise(const AccessContext& a, const AgencyGraph& graph,
                         const std::string& agency) const;
  // NOT_FOUND unless `code` is an agency of the directory (or, alone, of the register).
  absl::Status AgencyKnown(pqxx::transaction_base& tx, const std::string& code) const;
  // Before a write naming `code`: a refresh of the directory if it does not list it yet, then
  // the projection if it is behind.
  void Know(const std::string& code);
  // Authorise for a person's record: their agency, or the agency of the assignment in force
  // today (a transfer recorded ahead of time that has since come into force).
  absl::Status AuthorisePerson(pqxx::transaction_base& tx, const AccessContext& a,
                               const AgencyGraph& graph, const v1::Person& p) const;
  // A person's record as of a day: qualifications, assignment and rank in force.
  static v1::Person Assemble(pqxx::transaction_base& tx, v1::Person p, const AsOf& as_of);
  // Reads `as_of` and `known_at` into `v`'s checks; today when `as_of` is empty.
  AsOf ReadAsOf(Validator& v, const std::string& as_of,
                const google::protobuf::Timestamp* known_at) const;
  absl::CivilDay Today() const;
  // The shared part of RecordAssignment, RecordRank: ends the person's record of `kind` open
  // on the new record's first day, checks nothing of the person's starts on or after it, and
  // writes the new record.
  absl::Status Append(pqxx::work& tx, int64_t person, v1::HistoryRecord& record, absl::Time now);

  // The merger plan asked for (cadres_merger.cc), read in `tx`, authorised for the successor.
  absl::StatusOr<v1::MergerPlan> PlanMergerIn(pqxx::work& tx, const CallContext& call,
                                              const std::string& agency,
                                              const std::string& successor, absl::CivilDay on,
                                              MergerInput* input);

  // The agencies' supervision and mergers, read from `tx` at most every kGraphTtl (they change
  // a few times a year; this replica's own RegisterAgency drops the copy at once, another
  // replica's is seen within kGraphTtl).
  std::shared_ptr<const AgencyGraph> Graph(pqxx::transaction_base& tx);
  static constexpr std::chrono::seconds kGraphTtl{5};

  PgPool& db_;
  const Clock& clock_;
  CadreRuleBook rules_ = *CadreRuleBook::Parse("");
  Directory directory_;
  std::atomic<int64_t> projected_version_{0};
  std::mutex graph_mu_;
  std::shared_ptr<const AgencyGraph> graph_;             // guarded by graph_mu_
  std::chrono::steady_clock::time_point graph_read_at_;  // guarded by graph_mu_
  // Whole agencies' results, kept while the database is unchanged (snapshot_cache.h): the due
  // worklist of an agency (every item, in page order) paged from memory, and standards reports.
  SnapshotCache<std::vector<v1::DueItem>> due_cache_{4, std::chrono::seconds(300)};
  SnapshotCache<v1::GetStandardsReportResponse> report_cache_{16, std::chrono::seconds(300)};
};

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_CADRES_H_
