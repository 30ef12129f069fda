// The SQL of what falls due (issue 23, part 1): discipline decisions, annual evaluations and
// the history read for the worklist. In the caller's transaction.
#ifndef LOCALGOV_SERVICES_CADRE_CADRE_STORE_DUE_H_
#define LOCALGOV_SERVICES_CADRE_CADRE_STORE_DUE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "localgov/cadre/v1/cadre_service.pb.h"
#include "pqxx/pqxx"
#include "services/cadre/cadre_due_rules.h"
#include "services/cadre/demo_due.h"

namespace localgov::cadre {

class CadreDueStore final {
 public:
  static int64_t InsertDiscipline(pqxx::work& tx, const v1::Discipline& d, absl::Time now);
  static std::optional<v1::Discipline> FindDiscipline(pqxx::transaction_base& tx, int64_t id);
  // The current decisions of `people`, by person then effect_from.
  static std::vector<v1::Discipline> Disciplines(pqxx::transaction_base& tx,
                                                 const std::vector<int64_t>& people);
  // A decision of the person in effect on `day`, if any.
  static std::optional<v1::Discipline> InEffect(pqxx::transaction_base& tx, int64_t person,
                                                absl::CivilDay day);

  static int64_t InsertEvaluation(pqxx::work& tx, const v1::Evaluation& e, absl::Time now);
  static std::optional<v1::Evaluation> FindEvaluation(pqxx::transaction_base& tx, int64_t id);
  // The current evaluation of the person for `year`; `lock`: FOR UPDATE.
  static std::optional<v1::Evaluation> CurrentEvaluation(pqxx::transaction_base& tx, int64_t person,
                                                         int year, bool lock);
  static void SupersedeEvaluation(pqxx::work& tx, int64_t id, absl::Time now);
  // The current evaluations of `people`, by person then year.
  static std::vector<v1::Evaluation> Evaluations(pqxx::transaction_base& tx,
                                                 const std::vector<int64_t>& people);
  // The agency's paid staff today (its people, contracted staff left out).
  static int PaidStaff(pqxx::transaction_base& tx, const std::string& agency);
  // The agency's current evaluations of `year` rated excellent, and with an early raise,
  // other than the person's.
  struct Shares {
    int excellent = 0;
    int early_raises = 0;
  };
  static Shares CountShares(pqxx::work& tx, const std::string& agency, int year,
                            int64_t except_person);

  // The rank records (as known now) of `people` that start on or before `day`, by person and
  // valid_from.
  static std::map<int64_t, std::vector<RankSpan>> RankSpans(pqxx::transaction_base& tx,
                                                            const std::vector<int64_t>& people,
                                                            absl::CivilDay day);

  // The demo province's evaluations and decisions (demo_due.h), in bulk, each recorded on
  // its day.
  static void LoadDemo(pqxx::work& tx, const DemoDue& demo);
};

RankLevel ToRankLevel(v1::Rank rank);
PersonGroup ToGroup(v1::PersonKind kind);
Sanction ToSanction(v1::DisciplineForm form);

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_CADRE_STORE_DUE_H_
