#include "reports/run_set_table.hpp"

#include "core/error.hpp"
#include "reports/explore_table.hpp"
#include "reports/reliability_table.hpp"
#include "reports/sweep_table.hpp"

namespace mailsim::reports {

std::string run_set_table(const nlohmann::json& set, const nlohmann::json& result) {
  const std::string kind = set.value("kind", "");
  if (kind == "explore") return explore_table(result, set.value("top", 10));
  if (kind == "reliability") return reliability_table(result);
  if (kind == "sweep") return sweep_table(result);
  MAILSIM_ASSERT(false, "no table for a run set of kind '" + kind + "'");
  return "";
}

}  // namespace mailsim::reports
