#ifndef LOCALGOV_SERVICES_PETITION_RECEPTIONS_H_
#define LOCALGOV_SERVICES_PETITION_RECEPTIONS_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/audit.h"
#include "common/db/pool.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "common/rpc.h"
#include "localgov/petition/v1/reception_service.pb.h"
#include "services/petition/petitions.h"

namespace localgov::petition {

// Reception use cases (no gRPC; all SQL in ReceptionStore): the register and the leaders'
// days (receptions_register.cc), voters' recommendations (receptions_voters.cc). Every write
// is one transaction with its idempotency key or expected version and its audit record.
class Receptions final {
 public:
  Receptions(PgPool& db, Petitions& petitions) : db_(db), petitions_(petitions) {}

  absl::StatusOr<v1::ReceptionSession> CreateSession(
      const CallContext& call, const v1::CreateReceptionSessionRequest& request);
  // The visit's line in the register and its petitions (through the petition intake), in one
  // transaction.
  absl::StatusOr<v1::RecordVisitResponse> RecordVisit(const CallContext& call,
                                                      const v1::RecordVisitRequest& request);
  absl::StatusOr<v1::ReceptionVisit> GetVisit(const CallContext& call,
                                              const std::string& register_number);
  // The register by period, paged (receptions_reads.cc).
  absl::StatusOr<v1::ListVisitsResponse> ListVisits(const CallContext& call,
                                                    const v1::ListVisitsRequest& request);
  // A denunciation visit's sealed visitors, through the petitions' one reveal path
  // (Petitions::RevealSealed: the same rule, reason, record and audit).
  absl::StatusOr<v1::RevealVisitorsResponse> RevealVisitors(
      const CallContext& call, const v1::RevealVisitorsRequest& request);
  absl::StatusOr<v1::GetReceptionDaysResponse> ReceptionDays(
      const CallContext& call, const v1::GetReceptionDaysRequest& request);

  absl::StatusOr<v1::VoterSession> CreateVoterSession(const CallContext& call,
                                                      const v1::CreateVoterSessionRequest& r);
  absl::StatusOr<v1::VoterRecommendation> AddRecommendation(
      const CallContext& call, const v1::AddVoterRecommendationRequest& r);
  absl::StatusOr<v1::VoterRecommendation> Assign(const CallContext& call,
                                                 const v1::AssignVoterRecommendationRequest& r);
  absl::StatusOr<v1::VoterRecommendation> Answer(const CallContext& call,
                                                 const v1::AnswerVoterRecommendationRequest& r);
  absl::StatusOr<v1::VoterRecommendation> ReportBack(
      const CallContext& call, const v1::ReportBackVoterRecommendationRequest& r);
  absl::StatusOr<v1::GetVoterReportResponse> VoterReport(const CallContext& call,
                                                         const v1::GetVoterReportRequest& r);

 private:
  PgPool& db_;
  Petitions& petitions_;
};

// The audit record of a reception write, in `tx`.
absl::Status AuditReception(pqxx::work& tx, const CallContext& call, const std::string& type,
                            const std::string& id, const std::string& change, absl::Time now);

// One idempotent create in its own transaction: the request_id claimed (its stored response
// returned when the create happened before; ALREADY_EXISTS with another body), else
// `create(tx, out)` fills `out` (its id) and the record is audited under `type` and the response
// stored, all in that transaction.
template <typename Message, typename Create>
absl::StatusOr<Message> CreateOnce(PgPool& db, const CallContext& call,
                                   const std::string& request_id, const std::string& digest,
                                   const std::string& type, absl::Time now, Create create) {
  Message out;
  auto st = RunInTransaction(db, type, [&](pqxx::work& tx) -> absl::Status {
    out.Clear();
    auto claimed = ClaimIdempotencyKey(tx, call.access.subject, call.method, request_id, digest);
    if (!claimed.ok()) return claimed.status();
    if (claimed->has_value()) {
      out.ParseFromString(**claimed);
      return absl::OkStatus();
    }
    if (auto c = create(tx, out); !c.ok()) return c;
    if (auto a = AuditReception(tx, call, type, out.id(), digest, now); !a.ok()) return a;
    StoreIdempotentResponse(tx, call.access.subject, call.method, request_id,
                            out.SerializeAsString());
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

// Whether `call` acts for `agency`: its officers and leaders, or the system.
bool ActsFor(const CallContext& call, const std::string& agency);
// Whether `call` may read `agency`'s register: those, and its inspectors and auditors.
bool ReadsFor(const CallContext& call, const std::string& agency);

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_RECEPTIONS_H_
