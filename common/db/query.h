#ifndef LOCALGOV_COMMON_DB_QUERY_H_
#define LOCALGOV_COMMON_DB_QUERY_H_

#include <string>
#include <vector>

namespace localgov {

// A statement built at run time from fixed fragments, with every value a parameter. Stores
// expose the statements their list RPCs run so tests can EXPLAIN them.
struct SqlQuery {
  std::string sql;
  std::vector<std::string> params;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_DB_QUERY_H_
