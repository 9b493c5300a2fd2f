#pragma once
// The terminal summary's resource section (issue 15): the most loaded resources of a run
// (sustained, peak and mean utilisation, mean queue and wait) and the bottleneck, from the run
// result's `resources` and `bottleneck` (engine/resources.hpp). Empty for a result
// without them (one written before they existed).
#include <nlohmann/json.hpp>
#include <string>

#include "reports/summary_table.hpp"

namespace mailsim::reports {

// At most this many resources are listed, the most loaded first (those with any use only).
inline constexpr size_t kTopResources = 5;

std::string resource_lines(const nlohmann::json& run, const TableStyle& style = {});
// A resource's (or the bottleneck's) sustained utilisation; its peak in a result written
// before sustained_utilisation existed.
double sustained_of(const nlohmann::json& r);

}  // namespace mailsim::reports
