#ifndef LOCALGOV_SERVICES_PETITION_RECEPTION_STORE_H_
#define LOCALGOV_SERVICES_PETITION_RECEPTION_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "localgov/petition/v1/reception.pb.h"
#include "pqxx/pqxx"
#include "services/petition/identity_vault.h"

namespace localgov::petition {

// All SQL of the reception register and voters' recommendations (migration 0003). Functions
// run in the caller's transaction.
class ReceptionStore final {
 public:
  // The next number of `series` for `agency` (row locked until commit: gapless).
  static int NextNumber(pqxx::work& tx, const std::string& agency, const std::string& series);

  static void InsertSession(pqxx::work& tx, const v1::ReceptionSession& s, absl::Time now);
  static std::optional<v1::ReceptionSession> FindSession(pqxx::transaction_base& tx,
                                                         const std::string& id);
  // Regular sessions of `agency` between two days (inclusive), by day.
  static std::vector<v1::ReceptionSession> RegularSessions(pqxx::transaction_base& tx,
                                                           const std::string& agency,
                                                           absl::CivilDay first,
                                                           absl::CivilDay last);

  static void InsertVisit(pqxx::work& tx, const v1::ReceptionVisit& v, absl::Time now);
  static void InsertVisitIdentity(pqxx::work& tx, const std::string& register_number,
                                  const SealedValue& sealed, absl::Time now);
  static std::optional<SealedValue> FindVisitIdentity(pqxx::transaction_base& tx,
                                                      const std::string& register_number);
  static void LinkPetition(pqxx::work& tx, const std::string& register_number,
                           const std::string& petition_code);
  static std::optional<v1::ReceptionVisit> FindVisit(pqxx::transaction_base& tx,
                                                     const std::string& register_number);

  // ListVisits: an agency's visits between two days (inclusive), by day and register number,
  // after a page's last (day, register number) when given; at most `limit`.
  struct VisitFilter {
    std::string agency;
    std::string from_day, to_day;
    std::string session_id;
    std::string leader_id;
    bool crowd_cases_only = false;
    std::string after_day, after_number;
    int limit = 0;
  };
  static std::vector<v1::ReceptionVisit> ListVisits(pqxx::transaction_base& tx,
                                                    const VisitFilter& f);

  static void InsertVoterSession(pqxx::work& tx, const v1::VoterSession& s, absl::Time now);
  static std::optional<v1::VoterSession> FindVoterSession(pqxx::transaction_base& tx,
                                                          const std::string& id);
  static void InsertRecommendation(pqxx::work& tx, const v1::VoterRecommendation& r, int seq,
                                   absl::Time now);
  static std::optional<v1::VoterRecommendation> FindRecommendation(pqxx::transaction_base& tx,
                                                                   const std::string& id);
  // Stores `r` when its version is still `expected_version` (ABORTED otherwise).
  static absl::Status UpdateRecommendation(pqxx::work& tx, const v1::VoterRecommendation& r,
                                           int64_t expected_version, absl::Time now);
  static std::vector<v1::VoterRecommendation> Recommendations(pqxx::transaction_base& tx,
                                                              const std::string& session_id);
};

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_RECEPTION_STORE_H_
