#pragma once
// Renders a compare document (schema mailsim.compare/1, analysis/compare.hpp) as one
// self-contained HTML page with every table of the Markdown (reports/compare_parts.hpp):
// a header (version, load, topologies, the command), the side-by-side table, a bar chart
// per service of the availability each topology's worst single-node crash lost (one
// scale and axis for all the charts, so equal lengths are equal losses), the longest
// failover per component, where analyze and the runs disagree, the availability under
// each extra scenario, and the commands that reproduce the runs.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

std::string compare_html(const nlohmann::json& compare);

}  // namespace mailsim::reports
