#pragma once
// The compare document (schema mailsim.compare/1, analysis/compare.hpp) as the terminal
// table `mailsim compare` prints and as Markdown (`--markdown`): the header, one row per
// topology and service, the longest failover per component, where analyze and the runs
// disagree, the commands that reproduce the runs, and, with extra scenarios, the
// availability under each. The HTML page is reports/compare_html.hpp; the pieces all
// three show are reports/compare_parts.hpp.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

std::string compare_table(const nlohmann::json& result);
std::string compare_markdown(const nlohmann::json& result);

}  // namespace mailsim::reports
