#pragma once
// Renders a run result (schema mailsim.run/1) as a compact terminal table.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

std::string summary_table(const nlohmann::json& run);

}  // namespace mailsim::reports
