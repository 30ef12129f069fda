// The SQL of recruitment rounds and the standards report (issue 23, items 4–5), in the
// caller's transaction.
#ifndef LOCALGOV_SERVICES_CADRE_CADRE_STORE_PLAN_H_
#define LOCALGOV_SERVICES_CADRE_CADRE_STORE_PLAN_H_

#include <cstdint>
#include <map>
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

  // What the standards report reads of a person holding a position on a day (as known now):
  // the position's standards and the qualifications awarded by then.
  struct Held {
    Standards required;
    // Each professional qualification held: level and field, lowest level first.
    std::vector<std::pair<int, std::string>> professional;
    int political_theory = 0;
    bool state_management = false;
  };
  // The report counted in SQL: one line per unit, kind of person and Held (people alike for
  // the rule), with how many people (a person holds one position at a time). Here Held.professional
  // is what the rule reads of the degrees, not each of them: the highest (under no field) and, when
  // the position requires a field, the highest in that field.
  struct StandardsGroup {
    std::string unit_code;
    bool contracted = false;
    Held held;
    int people = 0;
  };
  static const std::string& StandardsGroupsSql();  // $1 the units, $2 the day
  static std::vector<StandardsGroup> StandardsGroups(pqxx::transaction_base& tx,
                                                     const std::vector<std::string>& units,
                                                     absl::CivilDay day);
  // The same people of one unit, one by one in person id order after `after_person`, at most
  // `limit` (ListStandardsDetail).
  struct StandardsPerson {
    int64_t person_id = 0;
    std::string full_name;
    bool contracted = false;
    std::string position_code, position_name;
    Held held;
  };
  static std::vector<StandardsPerson> StandardsPeople(pqxx::transaction_base& tx,
                                                      const std::string& unit, absl::CivilDay day,
                                                      int64_t after_person, int limit);
  // The quotas of `units` for `year`, by unit (units without one left out).
  static std::map<std::string, int> Quotas(pqxx::transaction_base& tx,
                                           const std::vector<std::string>& units, int year);
};

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_CADRE_STORE_PLAN_H_
