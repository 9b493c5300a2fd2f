#include "reports/summary_table.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include "app/verdicts.hpp"
#include "reports/verdict_text.hpp"

namespace mailsim::reports {

std::string TableStyle::paint(const char* code, const std::string& s) const {
  return color ? fmt::format("\033[{}m{}\033[0m", code, s) : s;
}

bool color_wanted(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(fd) == 1 && (no_color == nullptr || *no_color == '\0');
}

std::string summary_table(const nlohmann::json& run, const TableStyle& style) {
  const auto& m = run.at("manifest");
  std::string out = style.paint(kDim,
                          fmt::format("mailsim {} | topology {} | scenario {} | seed {} | {}s simulated",
                                      m.at("version").get<std::string>(), m.at("topology").at("name").get<std::string>(),
                                      m.at("scenario").at("name").get<std::string>(), m.at("seed").get<uint64_t>(),
                                      m.at("scenario").at("duration_s").get<double>())) +
                    "\n";
  out += fmt::format("{:<10} {:>9} {:>9} {:>9} {:>10} {:>9} {:>9} {:>9} {:>10} {:>8}\n", "service", "requests", "ok",
                     "failed", "avail", "p50 ms", "p99 ms", "max ms", "outage s", "outages");
  for (const auto& [name, s] : run.at("services").items()) {
    const auto& l = s.at("latency_ms");
    double avail = s.at("availability").get<double>();
    // Padded before painting, so escape codes do not break the columns.
    std::string avail_text = fmt::format("{:>9.4f}%", 100 * avail);
    std::string failed = fmt::format("{:>9}", s.at("failed").get<uint64_t>());
    out += fmt::format("{:<10} {:>9} {:>9} {} {} {:>9.2f} {:>9.2f} {:>9.2f} {:>10.2f} {:>8}\n", name,
                       s.at("requests").get<uint64_t>(), s.at("ok").get<uint64_t>(),
                       s.at("failed").get<uint64_t>() ? style.paint(kYellow, failed) : failed,
                       avail < 1 ? style.paint(kYellow, avail_text) : avail_text, l.at("p50").get<double>(),
                       l.at("p99").get<double>(), l.at("max").get<double>(), s.at("outage_max_s").get<double>(),
                       s.at("outages").size());
    if (!s.at("failures").empty()) {
      std::string causes;
      for (const auto& [cause, n] : s.at("failures").items()) causes += fmt::format(" {}={}", cause, n.get<uint64_t>());
      out += fmt::format("{:<10} failures:{}\n", "", causes);
    }
  }
  if (run.contains("failovers") && !run.at("failovers").empty()) {
    out += "failovers:\n";
    for (const auto& f : run.at("failovers")) {
      std::string dur = f.at("duration_s").is_null() ? style.paint(kRed, "not completed")
                                                     : fmt::format("{:.3f}s", f.at("duration_s").get<double>());
      std::string to = f.at("to").is_null() ? "-" : f.at("to").get<std::string>();
      out += fmt::format("  {:<12} {} -> {} at {:.3f}s: {} ({})\n", f.at("component").get<std::string>(),
                         f.at("from").get<std::string>(), to, f.at("start_s").get<double>(), dur,
                         f.at("cause").get<std::string>());
    }
  }
  if (run.contains("expectations") && !run.at("expectations").empty()) {
    const auto& vs = run.at("expectations");
    size_t failed = app::failed_expectations(run);
    out += fmt::format("expectations: {} of {} passed\n", vs.size() - failed, vs.size());
    size_t width = 0;
    for (const auto& v : vs) width = std::max(width, v.value("text", std::string()).size());
    for (const auto& v : vs) {
      bool pass = v.value("pass", false);
      out += fmt::format("  {} {:<{}}  {}\n", pass ? style.paint(kGreen, "PASS") : style.paint(kRed, "FAIL"),
                         v.value("text", std::string()), width, measured_text(v));
    }
  }
  return out;
}

}  // namespace mailsim::reports
