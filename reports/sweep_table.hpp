#pragma once
// A sweep result (schema mailsim.sweep/1, runset/sweep.hpp) as the table `mailsim sweep`
// prints (one row per point and service, then the knees or the hypercube's safe limits)
// and as CSV (`--csv`: the same rows). The plots are reports/sweep_html.hpp.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

std::string sweep_table(const nlohmann::json& result);
std::string sweep_csv(const nlohmann::json& result);

// A grid knee's units and cause, "" when unknown: "160k mailboxes, 2.4k requests/s;
// mail-1.cpu saturated (cpu peak 98%)" (the population when the knee axis counts
// mailboxes, the knee point's measured throughput, the runs' bottleneck there).
std::string knee_detail(const nlohmann::json& knee, const std::string& axis);

}  // namespace mailsim::reports
