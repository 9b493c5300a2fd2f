#pragma once
// An explore result (schema mailsim.explore/1, runset/explore.hpp) as the text `mailsim
// explore` prints: the ranking per service (`top` rows), single-node loss, the minimal cut
// sets, the SLO when one was given, and the agreement with `mailsim analyze`.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

std::string explore_table(const nlohmann::json& result, int top);

}  // namespace mailsim::reports
