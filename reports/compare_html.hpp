#pragma once
// Renders a compare document (schema mailsim.compare/1, analysis/compare.hpp) as one
// self-contained HTML page: the side-by-side table, a bar chart per service of the worst
// single-node crash per topology, and the longest failover per component.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

std::string compare_html(const nlohmann::json& compare);

}  // namespace mailsim::reports
