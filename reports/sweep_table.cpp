#include "reports/sweep_table.hpp"

#include <fmt/format.h>

#include "reports/quantity_text.hpp"

namespace mailsim::reports {

namespace {
}  // namespace

std::string knee_detail(const nlohmann::json& k, const std::string& axis) {
  std::string d;
  double v = 0;
  if (axis.size() >= 9 && axis.compare(axis.size() - 9, 9, "mailboxes") == 0 && k["knee"].is_string() &&
      sscanf(k["knee"].get<std::string>().c_str(), "%lf", &v) == 1)
    d = mailboxes_text(v);
  if (k.value("knee_rps", nlohmann::json()).is_number()) d += (d.empty() ? "" : ", ") + rps_text(k["knee_rps"].get<double>());
  const auto b = k.value("bottleneck", nlohmann::json());
  if (b.is_object())
    d += fmt::format("{}{} saturated ({} peak {:.0f}%)", d.empty() ? "" : "; ", b.value("name", std::string("?")),
                     b.value("kind", std::string()), 100 * b.value("peak_utilisation", 0.0));
  return d;
}

namespace {

// A point's verdict: ok, FAIL, or OVERLOADED (ended early: it could not keep up).
std::string verdict(const nlohmann::json& pt) {
  if (pt.contains("overloaded")) return "OVERLOADED";
  return pt["slo"].get<bool>() ? "ok" : "FAIL";
}
}  // namespace

std::string sweep_table(const nlohmann::json& r) {
  std::string out;
  const auto& axes = r["axes"];
  for (const auto& a : axes) out += fmt::format("{:>16} ", a["path"].get<std::string>());
  out += fmt::format("{:>8} {:>11} {:>11} {:>10} {:>10} {:>10}  {}\n", "service", "requests", "avail", "p50 ms",
                     "p99 ms", "outage s", "slo");
  for (const auto& pt : r["points"]) {
    bool first = true;
    for (const auto& [name, s] : pt["services"].items()) {
      for (const auto& v : pt["values"]) out += fmt::format("{:>16} ", first ? v.get<std::string>() : "");
      out += fmt::format("{:>8} {:>11.0f} {:>10.4f}% {:>10.2f} {:>10.2f} {:>10.3f}  {}\n", name,
                         s["requests_mean"].get<double>(), 100 * s["availability_mean"].get<double>(),
                         s["p50_ms_mean"].get<double>(), s["p99_ms_mean"].get<double>(), s["outage_max_s"].get<double>(),
                         first ? verdict(pt) : "");
      first = false;
    }
    if (first) {  // no service had load (a run that only measures failovers): the point's values alone
      for (const auto& v : pt["values"]) out += fmt::format("{:>16} ", v.get<std::string>());
      out += fmt::format("{:>66}  {}\n", "(no load)", verdict(pt));
    }
    if (pt.contains("overloaded")) {
      const auto& o = pt["overloaded"];
      out += fmt::format("{:>{}}ended early at {:g} s: {} could not keep up ({} since {:g} s)\n", "", 17 * axes.size(),
                         o["at_s"].get<double>(), o["service"].get<std::string>(), o["measure"].get<std::string>(),
                         o["since_s"].get<double>());
    }
    const auto failovers = pt.value("failovers", nlohmann::json::object());
    for (const auto& [name, f] : failovers.items())
      out += fmt::format("{:>{}}failovers of {}: {:.3g} per run, {}longest {}{}\n", "", 17 * axes.size(), name,
                         f["count_mean"].get<double>(),
                         f.value("mean_s", nlohmann::json()).is_number() ? fmt::format("mean {:.3f} s, ", f["mean_s"].get<double>()) : "",
                         f["max_s"].is_null() ? "not completed within the run" : fmt::format("{:.3f} s", f["max_s"].get<double>()),
                         f.value("elections_mean", nlohmann::json()).is_number()
                             ? fmt::format(", {:.2f} elections each", f["elections_mean"].get<double>()) : "");
    // The durability ledger's stores that lost acknowledged items in some replication.
    const auto lost = pt.value("lost_acknowledged_max", nlohmann::json::object());
    for (const auto& [store, n] : lost.items())
      if (n.get<uint64_t>() > 0)
        out += fmt::format("{:>{}}lost acknowledged in {}: up to {} per run\n", "", 17 * axes.size(), store,
                           n.get<uint64_t>());
    if (pt.contains("errors"))
      for (const auto& e : pt["errors"]) out += "  failed run: " + e.get<std::string>() + "\n";
  }
  if (r["knee_axis"].is_null()) {
    if (r.value("design", "grid") == "lhs") {
      size_t pass = 0;
      for (const auto& pt : r["points"]) pass += pt["slo"].get<bool>() ? 1 : 0;
      out += fmt::format("latin hypercube: the SLO holds at {} of {} points (name a --range with --knee for the "
                         "safe limit along it)\n", pass, r["points"].size());
    }
    return out;
  }
  const std::string axis = axes[r["knee_axis"].get<size_t>()]["path"];
  if (r.value("design", "grid") == "lhs") {
    std::string free;
    for (const auto& a : axes)
      if (a["path"] != axis && a.value("kind", "grid") == "lhs") free += (free.empty() ? "" : ", ") + a["path"].get<std::string>();
    for (const auto& k : r["knees"]) {
      std::string others;
      for (const auto& o : k["others"]) others += (others.empty() ? " at " : ", ") + o.get<std::string>();
      out += fmt::format("safe limit of {}{} ({} free over their ranges; {} of {} points pass): ", axis, others,
                         free.empty() ? "no other range axis" : free, k["passed"].get<int>(), k["points"].get<int>());
      if (!k["reached"].get<bool>())
        out += fmt::format("not reached (the SLO holds at every point, up to {})\n",
                           k["highest_pass"].is_null() ? "?" : k["highest_pass"].get<std::string>());
      else
        out += fmt::format("{} (every point at or below it passes; first failure at {}: {}){}\n",
                           k["safe_up_to"].is_null() ? "none, the lowest point fails" : k["safe_up_to"].get<std::string>(),
                           k["first_failure"].get<std::string>(), k.value("why", std::string()),
                           k["highest_pass"].is_null() ? ""
                                                       : fmt::format("; highest passing point {}", k["highest_pass"].get<std::string>()));
    }
    return out;
  }
  for (const auto& k : r["knees"]) {
    std::string others;
    for (const auto& o : k["others"]) others += (others.empty() ? " at " : ", ") + o.get<std::string>();
    if (!k["reached"].get<bool>())
      out += fmt::format("knee of {}{}: not reached (the SLO holds up to {})\n", axis, others,
                         k["knee"].is_null() ? "?" : k["knee"].get<std::string>());
    else
      out += fmt::format("knee of {}{}: {}{} (first failure at {}: {})\n", axis, others,
                         k["knee"].is_null() ? "none, the first value fails" : k["knee"].get<std::string>(),
                         knee_detail(k, axis).empty() ? "" : " [" + knee_detail(k, axis) + "]", k["first_failure"].get<std::string>(), k.value("why", std::string()));
  }
  return out;
}

std::string sweep_csv(const nlohmann::json& r) {
  std::string out;
  for (const auto& a : r["axes"]) out += a["path"].get<std::string>() + ",";
  out += "service,requests_mean,availability_mean,p50_ms_mean,p99_ms_mean,outage_max_s,slo\n";
  for (const auto& pt : r["points"])
    for (const auto& [name, s] : pt["services"].items()) {
      for (const auto& v : pt["values"]) out += "\"" + v.get<std::string>() + "\",";
      out += fmt::format("{},{},{},{},{},{},{}\n", name, s["requests_mean"].get<double>(),
                         s["availability_mean"].get<double>(), s["p50_ms_mean"].get<double>(),
                         s["p99_ms_mean"].get<double>(), s["outage_max_s"].get<double>(),
                         pt.contains("overloaded") ? "overloaded" : pt["slo"].get<bool>() ? "ok" : "fail");
    }
  return out;
}

}  // namespace mailsim::reports
