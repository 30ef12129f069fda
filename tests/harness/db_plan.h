#ifndef LOCALGOV_TESTS_HARNESS_DB_PLAN_H_
#define LOCALGOV_TESTS_HARNESS_DB_PLAN_H_

#include <string>

#include "common/db/query.h"
#include "pqxx/pqxx"

namespace localgov::testing {

// PostgreSQL's plan for `q`, one line per plan node.
inline std::string ExplainPlan(pqxx::transaction_base& tx, const SqlQuery& q) {
  std::string plan;
  for (const auto& r :
       tx.exec_params("EXPLAIN " + q.sql, pqxx::prepare::make_dynamic_params(q.params))) {
    plan += r[0].c_str();
    plan += "\n";
  }
  return plan;
}

}  // namespace localgov::testing

#endif  // LOCALGOV_TESTS_HARNESS_DB_PLAN_H_
