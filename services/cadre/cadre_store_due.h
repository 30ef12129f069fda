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
  // The current decisions of `people` as the raise rule reads them, by person then
  // effect_from.
  static std::map<int64_t, std::vector<DisciplineSpan>> DisciplineSpans(
      pqxx::transaction_base& tx, const std::vector<int64_t>& people);
  // `many`: the statements below are given a whole agency's people (tens of thousands) rather
  // than a chunk: planned and prepared apart, and written for a scan rather than look-ups.
  // A decision of the person in effect on `day`, if any.
  static std::optional<v1::Discipline> InEffect(pqxx::transaction_base& tx, int64_t person,
                                                absl::CivilDay day);

  static int64_t InsertEvaluation(pqxx::work& tx, const v1::Evaluation& e, absl::Time now);
  static std::optional<v1::Evaluation> FindEvaluation(pqxx::transaction_base& tx, int64_t id);
  // The current evaluation of the person for `year`; `lock`: FOR UPDATE.
  static std::optional<v1::Evaluation> CurrentEvaluation(pqxx::transaction_base& tx, int64_t person,
                                                         int year, bool lock);
  static void SupersedeEvaluation(pqxx::work& tx, int64_t id, absl::Time now);
  // The current evaluations of `people` that the worklist reads, by person then year: those
  // rated "did not complete" or granting an early raise (the raise rule reads no other), and
  // those of `year` (whether the year's evaluation is done).
  static std::map<int64_t, std::vector<RatedYear>> RatedYears(pqxx::transaction_base& tx,
                                                              const std::vector<int64_t>& people,
                                                              int year, bool many = false);
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

  // A post held on a day, as the worklist reads it: the assignment's few columns and its
  // person's kind and name.
  struct Post {
    int64_t person_id = 0;
    v1::PersonKind kind = v1::PERSON_KIND_UNSPECIFIED;
    std::string full_name;
    std::string position_code;
    std::string unit_code;
    absl::CivilDay valid_from;
    std::optional<absl::CivilDay> valid_until;
    std::optional<absl::CivilDay> term_end;
    v1::Movement movement = v1::MOVEMENT_UNSPECIFIED;
  };
  // The posts in force on `day` (as known now) in `units`, by unit code (bytewise) and person,
  // after (`after_unit`, `after_person`), at most `limit`: read in that order from the index
  // cadre_history_unit_person_now, so a page reads only the rows it shows.
  static std::vector<Post> PostsAfter(pqxx::transaction_base& tx,
                                      const std::vector<std::string>& units, absl::CivilDay day,
                                      const std::string& after_unit, int64_t after_person,
                                      int limit);
  // Every post in force on `day` (as known now) in `units`, in no order: the people joined
  // by a hash of their kind and name, not one look-up each (a whole agency at once).
  static std::vector<Post> PostsOfUnits(pqxx::transaction_base& tx,
                                        const std::vector<std::string>& units, absl::CivilDay day);

  // The rank records (as known now) of `people` that start on or before `day` and that the
  // raise rule (NextRaise) reads as of `as_of`: the last one by `as_of`, the first of the run
  // of its coefficient, and those after `as_of`; by person and valid_from (an index-only scan
  // of cadre_history_rank_now).
  static std::map<int64_t, std::vector<RankSpan>> RankSpans(pqxx::transaction_base& tx,
                                                            const std::vector<int64_t>& people,
                                                            absl::CivilDay as_of,
                                                            absl::CivilDay day, bool many = false);

  // The demo province's evaluations and decisions (demo_due.h), in bulk, each recorded on
  // its day.
  static void LoadDemo(pqxx::work& tx, const DemoDue& demo);
};

RankLevel ToRankLevel(v1::Rank rank);
PersonGroup ToGroup(v1::PersonKind kind);
Sanction ToSanction(v1::DisciplineForm form);

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_CADRE_STORE_DUE_H_
