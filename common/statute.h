#ifndef LOCALGOV_COMMON_STATUTE_H_
#define LOCALGOV_COMMON_STATUTE_H_

#include <string>
#include <vector>

namespace localgov {

// One statutory number (or settled reading) as a rule set states it, for the generated page
// docs/rules.md (tools/rules_page): a lawyer reviews the system's law there, and a test keeps
// the page equal to what the rule sets say.
struct StatuteEntry {
  std::string rule_set;       // e.g. "Labour Code 2019", "Decree 118/2025/ND-CP"
  std::string in_force_from;  // YYYY-MM-DD
  std::string key;            // the rule's name in the code or setting
  std::string value;          // e.g. "3", "15:00", "not counted"
  std::string unit;           // e.g. "working days", "days", "time of day", "reading"
  std::string basis;          // the legal text, article, and any DOMAIN.md reading
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_STATUTE_H_
