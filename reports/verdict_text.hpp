#pragma once
// A verdict of the run result's `expectations` array (app/verdicts.hpp), for people.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

// A value in a verdict's unit, for people: "99.9958%", "2.609s", "812ms", "0".
std::string format_measure(const nlohmann::json& value, const std::string& unit);
// "measured 99.87%" or "not measured: no service 'smtpp' in the run result".
std::string measured_text(const nlohmann::json& verdict);

}  // namespace mailsim::reports
