#ifndef LOCALGOV_COMMON_DB_QUERY_H_
#define LOCALGOV_COMMON_DB_QUERY_H_

#include <string>
#include <utility>
#include <vector>

#include "pqxx/pqxx"

namespace localgov {

// A statement built at run time from fixed fragments, with every value a parameter. Stores
// expose the statements their list RPCs run so tests can EXPLAIN them.
struct SqlQuery {
  std::string sql;
  std::vector<std::string> params;
};

// A PostgreSQL array literal of `values` for one `$n::text[]` parameter: each element quoted,
// with `"` and `\` escaped.
inline std::string TextArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

// Runs `sql` as a statement prepared on the transaction's connection under `name`: parsed and
// planned once per connection instead of on every call (hot paths: intake, the audit chain).
// `name` must be unique to `sql` across the program.
template <typename... Args>
pqxx::result ExecPrepared(pqxx::transaction_base& tx, const std::string& name,
                          const std::string& sql, Args&&... args) {
  tx.conn().prepare(name, sql);  // a no-op once defined on this connection
  return tx.exec_prepared(name, std::forward<Args>(args)...);
}

}  // namespace localgov

#endif  // LOCALGOV_COMMON_DB_QUERY_H_
