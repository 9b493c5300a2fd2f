#include "reports/summary_table.hpp"

#include <fmt/format.h>

namespace mailsim::reports {

std::string summary_table(const nlohmann::json& run) {
  const auto& m = run.at("manifest");
  std::string out = fmt::format("mailsim {} | topology {} | scenario {} | seed {} | {}s simulated\n",
                                m.at("version").get<std::string>(), m.at("topology").at("name").get<std::string>(),
                                m.at("scenario").at("name").get<std::string>(), m.at("seed").get<uint64_t>(),
                                m.at("scenario").at("duration_s").get<double>());
  out += fmt::format("{:<10} {:>9} {:>9} {:>9} {:>10} {:>9} {:>9} {:>9} {:>10} {:>8}\n", "service", "requests", "ok",
                     "failed", "avail", "p50 ms", "p99 ms", "max ms", "outage s", "outages");
  for (const auto& [name, s] : run.at("services").items()) {
    const auto& l = s.at("latency_ms");
    out += fmt::format("{:<10} {:>9} {:>9} {:>9} {:>9.4f}% {:>9.2f} {:>9.2f} {:>9.2f} {:>10.2f} {:>8}\n", name,
                       s.at("requests").get<uint64_t>(), s.at("ok").get<uint64_t>(), s.at("failed").get<uint64_t>(),
                       100 * s.at("availability").get<double>(), l.at("p50").get<double>(), l.at("p99").get<double>(),
                       l.at("max").get<double>(), s.at("outage_max_s").get<double>(), s.at("outages").size());
    if (!s.at("failures").empty()) {
      std::string causes;
      for (const auto& [cause, n] : s.at("failures").items()) causes += fmt::format(" {}={}", cause, n.get<uint64_t>());
      out += fmt::format("{:<10} failures:{}\n", "", causes);
    }
  }
  if (run.contains("failovers") && !run.at("failovers").empty()) {
    out += "failovers:\n";
    for (const auto& f : run.at("failovers")) {
      std::string dur = f.at("duration_s").is_null() ? "not completed" : fmt::format("{:.3f}s", f.at("duration_s").get<double>());
      std::string to = f.at("to").is_null() ? "-" : f.at("to").get<std::string>();
      out += fmt::format("  {:<12} {} -> {} at {:.3f}s: {} ({})\n", f.at("component").get<std::string>(),
                         f.at("from").get<std::string>(), to, f.at("start_s").get<double>(), dur,
                         f.at("cause").get<std::string>());
    }
  }
  return out;
}

}  // namespace mailsim::reports
