#include "analysis/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "analysis/agreement.hpp"
#include "app/impact.hpp"

namespace mailsim::analysis {

namespace {

using J = nlohmann::ordered_json;

// A number field, or `dflt` when it is missing or null (an unfinished failover has a null duration).
double num(const nlohmann::json& j, const char* key, double dflt) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return dflt;
  return j[key].get<double>();
}

double duration_of(const nlohmann::json& run) { return num(run["manifest"]["scenario"], "duration_s", 0.0); }

// A service's figures in a run for analysis/agreement.hpp's crash_class.
std::optional<TailFigures> tail_figures(const std::optional<nlohmann::json>& run, const std::string& service,
                                        double tail_s) {
  if (!run || !(*run)["services"].contains(service)) return std::nullopt;
  const auto& js = (*run)["services"][service];
  const double duration = duration_of(*run);
  return TailFigures{window_availability(js, duration - tail_s, duration).value_or(1.0),
                     static_cast<int64_t>(num(js, "failed", 0.0))};
}

// The single-node crash that harmed `service` most, by app/impact.hpp's order, with the
// command that reproduces it; null when no crash run has the service.
J worst_crash(const CompareInput& in, const std::string& service) {
  const CrashRun* worst = nullptr;
  app::Impact worst_impact;
  for (const auto& c : in.crashes) {
    if (!c.run || !(*c.run)["services"].contains(service)) continue;
    const app::Impact impact = app::service_impact((*c.run)["services"][service]);
    if (!worst || app::more_harmful(impact, worst_impact)) {
      worst = &c;
      worst_impact = impact;
    }
  }
  if (!worst) return nullptr;
  const auto& js = (*worst->run)["services"][service];
  const auto tail = tail_figures(worst->run, service, in.tail_s);
  // Still failing at the end: most of the tail's requests fail, or the run ends inside a
  // down incident (half the requests failing to the end sits at the tail's 50% line).
  bool open_down = false;
  for (const auto& i : js.value("incidents", nlohmann::json::array()))
    open_down = open_down || (i.value("class", std::string()) == "down" && !i.value("recovered", true));
  return {{"node", worst->node},
          {"availability", worst_impact.availability},
          {"lost_availability", worst_impact.lost_availability()},
          {"incident_class", worst_impact.incident_class},
          {"incidents", js.value("incidents", nlohmann::json::array()).size()},
          {"lost_mail", worst_impact.lost_mail},
          {"outage_s", worst_impact.outage_max_s},
          {"failed", static_cast<int64_t>(num(js, "failed", 0.0))},
          {"down", (tail && tail->tail_availability < 0.5) || open_down},
          {"command", worst->command}};
}

// Where analyze's SPOFs and the single-node crash runs disagree for one service, each
// with why when the reason is known (`expected`: not a bug, as explore says it).
J disagreements(const CompareInput& in, const ServiceAnalysis& s) {
  J out = J::array();
  const auto base = tail_figures(in.baseline, s.name, in.tail_s);
  for (const auto& c : in.crashes) {
    const auto fig = tail_figures(c.run, s.name, in.tail_s);
    if (!fig) continue;
    const std::string measured = crash_class(*fig, base);
    const bool spof = std::find(s.spofs.begin(), s.spofs.end(), c.node) != s.spofs.end();
    if (spof == (measured == "down")) continue;
    J d = {{"node", c.node}, {"analyze", spof ? "SPOF" : "survives"}, {"measured", measured}, {"command", c.command}};
    if (spof && measured == "degraded") {
      d["expected"] = true;
      d["why"] = kPartialOutageWhy;
    } else if (!spof) {
      const double window = duration_of(*c.run) - in.crash_at_s - in.tail_s;
      const std::string hint = slow_failover_hint(num((*c.run)["services"][s.name], "outage_max_s", 0.0), window);
      d["expected"] = !hint.empty();
      d["why"] = hint.empty() ? "measured down after this crash; analyze says the service survives it" : hint;
    } else {
      d["expected"] = false;
      d["why"] = fmt::format("analyze calls {} a SPOF; its crash run measured {}", c.node, measured);
    }
    out.push_back(std::move(d));
  }
  return out;
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
      o["worst_crash"] = worst_crash(in, s.name);
      o["disagreements"] = disagreements(in, s);
      // Lost acknowledged mail: the most any one run lost (a crash or a library scenario).
      J lost = nullptr;
      auto count_lost = [&](const std::string& run_name, const std::optional<nlohmann::json>& run) {
        if (!run || !(*run)["services"].contains(s.name)) return;
        const auto n = static_cast<uint64_t>(num((*run)["services"][s.name], "lost_acknowledged_messages", 0.0));
        if (lost.is_null() || n > lost["count"].get<uint64_t>()) lost = {{"count", n}, {"run", run_name}};
      };
      count_lost("baseline", in.baseline);
      for (const auto& c : in.crashes) count_lost("crash " + c.node, c.run);
      for (const auto& [name, run] : in.scenarios) count_lost(name, run);
      o["lost_mail"] = lost;
      J extra = J::object(), extra_lost = J::object();
      for (size_t i = 0; i < in.scenarios.size(); ++i) {
        const auto& [name, run] = in.scenarios[i];
        // Only services the scenario loaded: no requests is no availability figure.
        if (run && (*run)["services"].contains(s.name) && num((*run)["services"][s.name], "requests", 0.0) > 0) {
          extra[name] = num((*run)["services"][s.name], "availability", 1.0);
          extra_lost[name] = static_cast<uint64_t>(num((*run)["services"][s.name], "lost_acknowledged_messages", 0.0));
        }
      }
      o["scenarios"] = extra;
      o["scenarios_lost_mail"] = extra_lost;
      svcs.push_back(std::move(o));
    }
    t["services"] = svcs;
    // Longest failover per component over the crash runs, and the crash that caused it.
    std::map<std::string, std::pair<double, std::string>> fo;
    for (const auto& [node, run, command] : in.crashes) {
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
    for (const auto& c : in.crashes)
      if (!c.run) failed.push_back("crash " + c.node);
    if (!in.baseline) failed.push_back("baseline");
    for (size_t i = 0; i < in.scenarios.size(); ++i)
      if (!in.scenarios[i].second)
        failed.push_back(in.scenarios[i].first + ": " +
                         (i < in.scenario_errors.size() ? in.scenario_errors[i] : std::string("failed")));
    t["failed_runs"] = failed;
    t["baseline_command"] = in.baseline_command;
    // A baseline that could not keep up with the generated load was ended early: its
    // figures, and every crash's against it, are not the topology's steady state.
    if (in.baseline && in.baseline->contains("overloaded")) t["overloaded"] = (*in.baseline)["overloaded"];
    tops.push_back(std::move(t));
  }
  out["topologies"] = tops;
  return nlohmann::json::parse(out.dump());
}

}  // namespace mailsim::analysis
