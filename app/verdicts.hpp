#pragma once
// Evaluates a scenario's expectations against a run result into verdicts, the run
// result's `expectations` array (docs/reports.md): {text, metric, measured, op, threshold,
// unit, pass} and, when nothing could be measured, `note`. A metric absent from the result
// (a service that is not there, no `checks`, a failover that never happened) is a failed
// verdict with measured = null and a note saying why: never a crash.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/expectation.hpp"

namespace mailsim::app {

nlohmann::json evaluate_expectations(const std::vector<config::Expectation>& expectations, const nlohmann::json& run);

// How many verdicts failed (0 when the result has none).
size_t failed_expectations(const nlohmann::json& run);

}  // namespace mailsim::app
