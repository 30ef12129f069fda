// The SQL of recruitment rounds and the standards report (issue 23, items 4–5), in the
// caller's transaction.
#ifndef LOCALGOV_SERVICES_CADRE_CADRE_STORE_PLAN_H_
#define LOCALGOV_SERVICES_CADRE_CADRE_STORE_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/db/query.h"
#include "localgov/cadre/v1/cadre_service.pb.h"
#include "pqxx/pqxx"
#include "services/cadre/cadre_rules.h"

namespace localgov::cadre {

class PlanStore final {
 public:
  // Recruitment rounds and candidates (citizen IDs as stored: the caller masks them).
  static int64_t InsertRound(pqxx::work& tx, const v1::RecruitmentRound& r, absl::Time now);
  static std::optional<v1::RecruitmentRound> FindRound(pqxx::transaction_base& tx, int64_t id,
                                                       bool lock);
  static void BumpRound(pqxx::work& tx, int64_t id);
  static std::optional<int64_t> CandidateByCitizen(pqxx::transaction_base& tx, int64_t round,
                                                   const std::string& citizen_id);
  static int64_t InsertCandidate(pqxx::work& tx, const v1::Candidate& c, absl::Time now);
  static std::optional<v1::Candidate> FindCandidate(pqxx::transaction_base& tx, int64_t id,
                                                    bool lock);
  static void UpdateScores(pqxx::work& tx, const v1::Candidate& c);
  static std::vector<v1::Candidate> Candidates(pqxx::transaction_base& tx, int64_t round);

  // The standards report: one line per person holding a position in one of `units` on `day`
  // (as known now), with the standards of the position and the qualifications held that day.
  struct StandardsRow {
    std::string unit_code;
    int64_t person_id = 0;
    bool contracted = false;
    Standards required;
    // Each professional qualification held: level and field.
    std::vector<std::pair<int, std::string>> professional;
    int political_theory = 0;
    bool state_management = false;
  };
  static SqlQuery StandardsQuery(const std::vector<std::string>& units, absl::CivilDay day);
  static std::vector<StandardsRow> Standards(pqxx::transaction_base& tx, const SqlQuery& q);
};

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_CADRE_STORE_PLAN_H_
