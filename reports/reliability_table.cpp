#include "reports/reliability_table.hpp"

#include <fmt/format.h>

#include "runset/reliability.hpp"

namespace mailsim::reports {

std::string reliability_table(const nlohmann::json& r) {
  std::string out = fmt::format("{} batches x {} replications x {:.4g} years = {:.4g} cluster-years ({}; {} events)\n",
                                r["batches"].get<int>(), r["reps"].get<int>(), r["horizon_s"].get<double>() / runset::kYear,
                                r["cluster_years"].get<double>(), r["stopped_by"].get<std::string>(),
                                r["events"].get<uint64_t>());
  out += fmt::format("{:<12} {:>14} {:>29} {:>12} {:>14} {:>14}\n", "service", "availability", "95% CI", "min/year",
                     "structural", "failover tax");
  for (const auto& [name, s] : r["services"].items())
    out += fmt::format("{:<12} {:>13.7f}% [{:.7f}%, {:.7f}%] {:>12.2f} {:>13.7f}% {:>13.7f}%\n", name,
                       100 * s["availability"].get<double>(), 100 * s["ci95"][0].get<double>(),
                       100 * s["ci95"][1].get<double>(), s["downtime_min_per_year"].get<double>(),
                       100 * s["structural_availability"].get<double>(), 100 * s["failover_tax"].get<double>());
  return out;
}

}  // namespace mailsim::reports
