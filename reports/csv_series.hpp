#pragma once
// The run result's time series as CSV (docs/reports.md): one row per window per service,
// services in name order, windows in time order. Numbers are printed in their shortest
// exact form, so the same result gives the same bytes.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

std::string csv_series(const nlohmann::json& run);

}  // namespace mailsim::reports
