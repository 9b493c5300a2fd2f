#pragma once
// Evaluates a scenario's expectations against a run result into verdicts, the run
// result's `expectations` array (docs/reports.md): {text, metric, measured, op, threshold,
// unit, pass} and, when nothing could be measured, `note`. A metric absent from the result
// (a service that is not there, no `checks`, a failover that never happened) is a failed
// verdict with measured = null and a note saying why: never a crash.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/config/expectation.hpp"

namespace mailsim::reports {

nlohmann::json evaluate_expectations(const std::vector<config::Expectation>& expectations, const nlohmann::json& run);

// How many verdicts failed (0 when the result has none).
size_t failed_expectations(const nlohmann::json& run);

// A value in a verdict's unit, for people: "99.9958%", "2.609s", "812ms", "0".
std::string format_measure(const nlohmann::json& value, const std::string& unit);
// "measured 99.87%" or "not measured: no service 'smtpp' in the run result".
std::string measured_text(const nlohmann::json& verdict);

}  // namespace mailsim::reports
