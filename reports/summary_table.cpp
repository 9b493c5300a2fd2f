#include "reports/summary_table.hpp"

#include "reports/durability_rows.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include "app/verdicts.hpp"
#include "reports/resource_lines.hpp"
#include "reports/verdict_text.hpp"

namespace mailsim::reports {

std::string TableStyle::paint(const char* code, const std::string& s) const {
  return color ? fmt::format("\033[{}m{}\033[0m", code, s) : s;
}

bool color_wanted(int fd) {
  auto set = [](const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0';
  };
  if (set("NO_COLOR")) return false;  // no-color.org: any non-empty value
  if (set("FORCE_COLOR")) return std::string(std::getenv("FORCE_COLOR")) != "0";
  return isatty(fd) == 1;
}

namespace {

// Mail a reader must not miss: per service with a message ledger, accepted, delayed
// (deferred and retried), bounced, duplicated, still queued, the delivery delay, and the
// acknowledged messages lost.
std::string mail_lines(const nlohmann::json& run, const TableStyle& style) {
  std::string out;
  for (const auto& [name, s] : run.at("services").items()) {
    const uint64_t lost = s.value("lost_acknowledged_messages", uint64_t{0});
    if (!s.contains("messages") && lost == 0) continue;
    if (out.empty()) out = "mail:\n";
    std::string line = fmt::format("  {:<10}", name);
    if (s.contains("messages")) {
      const auto& m = s.at("messages");
      const auto& d = m.at("delivery_delay_s");
      line += fmt::format(" {} accepted ({} after a retry), {} delayed ({} deferred attempts), {} bounced, {} duplicates, "
                          "{} queued at the end; delivery delay p50 {:.3f} s, p99 {:.3f} s, max {:.3f} s;",
                          m.at("accepted").get<uint64_t>(), m.at("accepted_after_retry").get<uint64_t>(),
                          m.at("deferred_messages").get<uint64_t>(), m.at("deferred_attempts").get<uint64_t>(),
                          m.at("bounced").get<uint64_t>(), m.at("duplicates").get<uint64_t>(),
                          m.at("queued_at_end").get<uint64_t>(), d.at("p50").get<double>(), d.at("p99").get<double>(),
                          d.at("max").get<double>());
    }
    const std::string lost_text = fmt::format("{} acknowledged lost", lost);
    out += line + " " + (lost ? style.paint(kRed, lost_text) : lost_text) + "\n";
  }
  return out;
}

// The durability ledger, one line per store: what it acknowledged, and what of that is on no
// surviving copy at the end (with when it was acknowledged).
std::string durability_lines(const nlohmann::json& run, const TableStyle& style) {
  std::string out;
  for (const auto& r : durability_rows(run)) {
    if (out.empty()) out = "durability:\n";
    std::string lost = fmt::format("{} lost", r.lost);
    if (r.lost) lost = style.paint(kRed, lost + " (acknowledged " + r.lost_window + ")");
    std::string extra;
    if (r.duplicated) extra += fmt::format(", {} duplicated", r.duplicated);
    if (r.queued) extra += fmt::format(", {} still queued", r.queued);
    out += fmt::format("  {:<12} {} {} acknowledged, {}{}\n", r.store, r.holds, r.acknowledged, lost, extra);
  }
  return out;
}

// Each service's incidents (docs/architecture.md#incidents), one line each.
std::string incident_lines(const nlohmann::json& run, const TableStyle& style) {
  std::string out;
  for (const auto& [name, s] : run.at("services").items())
    for (const auto& i : s.value("incidents", nlohmann::json::array())) {
      if (out.empty()) out = "incidents:\n";
      const std::string cls = i.at("class").get<std::string>();
      const std::string recovery = i.at("recovered").get<bool>()
                                       ? fmt::format("recovered in {:.1f} s", i.at("time_to_recover_s").get<double>())
                                       : std::string("not recovered by the end");
      out += fmt::format("  {:<10} {:>8.1f}-{:.1f} s  {}  {:.1f}% good of {} requests ({} failed, {} stalled); {}\n", name,
                         i.at("start_s").get<double>(), i.at("end_s").get<double>(),
                         style.paint(cls == "down" ? kRed : kYellow, fmt::format("{:<8}", cls)),
                         100 * i.at("good_share").get<double>(), i.at("requests").get<uint64_t>(),
                         i.at("failed").get<uint64_t>(), i.at("stalled").get<uint64_t>(), recovery);
    }
  return out;
}

}  // namespace

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
    if (s.at("requests").get<uint64_t>() == 0) {
      // No load, no figures: "0 requests 100%" would read as a healthy service.
      out += fmt::format("{:<10} {:>9} {:>9} {:>9} {:>10} {:>9} {:>9} {:>9} {:>10} {:>8}  (no load)\n", name, "-", "-",
                         "-", "-", "-", "-", "-", "-", "-");
      continue;
    }
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
  out += mail_lines(run, style);
  out += durability_lines(run, style);
  out += incident_lines(run, style);
  out += resource_lines(run, style);
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
