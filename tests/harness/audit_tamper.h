#ifndef LOCALGOV_TESTS_HARNESS_AUDIT_TAMPER_H_
#define LOCALGOV_TESTS_HARNESS_AUDIT_TAMPER_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/audit.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"

namespace localgov::testing {

// `n` audit records appended to the database's chain as a service's writes leave them
// (entity "<what>-i", request "<what>-req-i").
inline void AppendTestAudits(const std::string& database_url, int n, const std::string& what) {
  pqxx::connection conn(database_url);
  pqxx::work tx(conn);
  for (int i = 1; i <= n; ++i) {
    ASSERT_TRUE(AppendAudit(tx,
                            {"officer-1", "officer", "000.00.31.H41", "test.Write", "thing",
                             absl::StrCat(what, "-", i), absl::StrCat(what, "-req-", i),
                             absl::StrCat(what, " change ", i)},
                            absl::FromUnixSeconds(1767225600 + i))
                    .ok());
  }
  tx.commit();
}

// Runs `sql` as a database superuser would: the append-only triggers bypassed.
inline void TamperAsSuperuser(const std::string& database_url, const std::string& sql) {
  pqxx::connection conn(database_url);
  pqxx::work tx(conn);
  tx.exec("SET LOCAL session_replication_role = replica");
  tx.exec(sql);
  tx.commit();
}

}  // namespace localgov::testing

#endif  // LOCALGOV_TESTS_HARNESS_AUDIT_TAMPER_H_
