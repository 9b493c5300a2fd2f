#pragma once
// The renderings of `mailsim capacity`'s document (schema mailsim.capacity/1,
// runset/capacity.hpp): a terminal summary, Markdown an architect can paste into a
// document, and a self-contained HTML page (inline SVG, nothing fetched) with per topology
// the utilisation chart (predicted beside simulated) and p99 against the population.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

std::string capacity_text(const nlohmann::json& doc);
std::string capacity_markdown(const nlohmann::json& doc);
std::string capacity_html(const nlohmann::json& doc);

}  // namespace mailsim::reports
