#include "analysis/compare.hpp"

#include <fmt/format.h>

#include <map>

namespace mailsim::analysis {

namespace {

using J = nlohmann::ordered_json;

// A number field, or `dflt` when it is missing or null (an unfinished failover has a null duration).
double num(const nlohmann::json& j, const char* key, double dflt) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return dflt;
  return j[key].get<double>();
}

// Availability of a service over [from, to) from its per-window series (mailsim.run/1:
// services.S.series.{window_s, requests, ok}, window i starting at i * window_s); nullopt
// when there were no requests then.
std::optional<double> window_availability(const nlohmann::json& svc, double from, double to) {
  if (!svc.contains("series")) return std::nullopt;
  const auto& s = svc["series"];
  if (!s.contains("requests") || !s.contains("ok")) return std::nullopt;
  double w = num(s, "window_s", 1.0);
  double req = 0, ok = 0;
  for (size_t i = 0; i < s["requests"].size() && i < s["ok"].size(); ++i) {
    double t = static_cast<double>(i) * w;
    if (t + 1e-9 < from || t >= to - 1e-9) continue;
    req += s["requests"][i].get<double>();
    ok += s["ok"][i].get<double>();
  }
  if (req <= 0) return std::nullopt;
  return ok / req;
}

}  // namespace

nlohmann::json compare_result(const std::vector<CompareInput>& inputs) {
  J out;
  out["schema"] = "mailsim.compare/1";
  J tops = J::array();
  for (const auto& in : inputs) {
    const TopologyAnalysis& a = in.analysis;
    J t;
    t["topology"] = a.topology;
    t["file"] = a.file;
    t["nodes"] = static_cast<int>(a.nodes.size());
    t["node_availability"] = a.options.node_availability;
    t["unused_nodes"] = a.unused_nodes;
    J svcs = J::array();
    for (const auto& s : a.services) {
      J o;
      o["name"] = s.name;
      o["spofs"] = s.spofs;
      o["min_failures"] = s.min_failures_known ? J(s.min_failures) : J(nullptr);
      o["availability"] = s.availability ? J(*s.availability) : J(nullptr);
      o["availability_exact"] = s.availability_exact;
      o["p99_ms"] = nullptr;
      if (in.baseline && (*in.baseline)["services"].contains(s.name))
        o["p99_ms"] = num((*in.baseline)["services"][s.name]["latency_ms"], "p99", 0.0);
      // Worst single-node crash: the longest outage; a service still down over the tail
      // counts as worse than any outage it recovers from.
      J worst = nullptr;
      for (const auto& [node, run] : in.crashes) {
        if (!run || !(*run)["services"].contains(s.name)) continue;
        const auto& js = (*run)["services"][s.name];
        double duration = num((*run)["manifest"]["scenario"], "duration_s", 0.0);
        auto tail = window_availability(js, duration - in.tail_s, duration);
        bool down = tail && *tail < 0.5;
        double outage = num(js, "outage_max_s", 0.0);
        auto failed = static_cast<int64_t>(num(js, "failed", 0.0));
        bool worse = worst.is_null() || (down && !worst["down"].get<bool>()) ||
                     (down == worst["down"].get<bool>() &&
                      (outage > worst["outage_s"].get<double>() ||
                       (outage == worst["outage_s"].get<double>() && failed > worst["failed"].get<int64_t>())));
        if (worse) worst = {{"node", node}, {"outage_s", outage}, {"failed", failed}, {"down", down}};
      }
      o["worst_crash"] = worst;
      // Lost acknowledged mail: the most any one run lost (a crash or a library scenario).
      J lost = nullptr;
      auto count_lost = [&](const std::string& run_name, const std::optional<nlohmann::json>& run) {
        if (!run || !(*run)["services"].contains(s.name)) return;
        const auto n = static_cast<uint64_t>(num((*run)["services"][s.name], "lost_acknowledged_messages", 0.0));
        if (lost.is_null() || n > lost["count"].get<uint64_t>()) lost = {{"count", n}, {"run", run_name}};
      };
      count_lost("baseline", in.baseline);
      for (const auto& [node, run] : in.crashes) count_lost("crash " + node, run);
      for (const auto& [name, run] : in.scenarios) count_lost(name, run);
      o["lost_mail"] = lost;
      J extra = J::object();
      for (size_t i = 0; i < in.scenarios.size(); ++i) {
        const auto& [name, run] = in.scenarios[i];
        // Only services the scenario loaded: no requests is no availability figure.
        if (run && (*run)["services"].contains(s.name) && num((*run)["services"][s.name], "requests", 0.0) > 0)
          extra[name] = num((*run)["services"][s.name], "availability", 1.0);
      }
      o["scenarios"] = extra;
      svcs.push_back(std::move(o));
    }
    t["services"] = svcs;
    // Longest failover per component over the crash runs, and the crash that caused it.
    std::map<std::string, std::pair<double, std::string>> fo;
    for (const auto& [node, run] : in.crashes) {
      if (!run || !run->contains("failovers")) continue;
      for (const auto& f : (*run)["failovers"]) {
        std::string c = f.value("component", "");
        // An unfinished failover (null duration) lasted at least to the end of the run.
        double d = f.contains("duration_s") && f["duration_s"].is_number()
                       ? f["duration_s"].get<double>()
                       : num((*run)["manifest"]["scenario"], "duration_s", 0.0) - num(f, "start_s", 0.0);
        auto it = fo.find(c);
        if (it == fo.end() || d > it->second.first) fo[c] = {d, node};
      }
    }
    J fos = J::array();
    for (const auto& [c, v] : fo) fos.push_back({{"component", c}, {"max_s", v.first}, {"node", v.second}});
    t["failovers"] = fos;
    J failed = J::array();
    for (const auto& [node, run] : in.crashes)
      if (!run) failed.push_back("crash " + node);
    if (!in.baseline) failed.push_back("baseline");
    for (size_t i = 0; i < in.scenarios.size(); ++i)
      if (!in.scenarios[i].second)
        failed.push_back(in.scenarios[i].first + ": " +
                         (i < in.scenario_errors.size() ? in.scenario_errors[i] : std::string("failed")));
    t["failed_runs"] = failed;
    tops.push_back(std::move(t));
  }
  out["topologies"] = tops;
  return nlohmann::json::parse(out.dump());
}

}  // namespace mailsim::analysis
