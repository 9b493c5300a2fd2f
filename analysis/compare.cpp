#include "analysis/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
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

std::string cell_availability(const J& s) {
  if (s["availability"].is_null()) return "n/a";
  return fmt::format("{:.6f}%", s["availability"].get<double>() * 100);
}

std::string cell_worst(const J& s) {
  const J& w = s["worst_crash"];
  if (w.is_null()) return "-";
  if (w["outage_s"].get<double>() <= 0 && w["failed"].get<int64_t>() == 0) return "none";
  return fmt::format("{:.1f}s{} ({})", w["outage_s"].get<double>(), w["down"].get<bool>() ? " DOWN" : "",
                     w["node"].get<std::string>());
}

std::string cell_lost(const J& s) {
  const J& l = s["lost_mail"];
  if (l.is_null()) return "n/a";
  const auto n = l["count"].get<uint64_t>();
  return n == 0 ? "0" : fmt::format("{} ({})", n, l["run"].get<std::string>());
}

std::string join(const J& arr, const char* sep) {
  std::string out;
  for (const auto& x : arr) out += (out.empty() ? "" : sep) + x.get<std::string>();
  return out.empty() ? "-" : out;
}

struct Row {
  std::vector<std::string> cells;
};

std::vector<std::string> kHeader = {"topology", "nodes", "service", "SPOFs", "min fail", "exact avail.",
                                    "p99 ms", "worst single-node crash", "lost mail"};

std::vector<Row> rows_of(const nlohmann::json& result) {
  std::vector<Row> rows;
  for (const auto& t : result["topologies"]) {
    for (const auto& s : t["services"]) {
      Row r;
      r.cells = {t["topology"].get<std::string>(),
                 std::to_string(t["nodes"].get<int>()),
                 s["name"].get<std::string>(),
                 join(s["spofs"], ", "),
                 s["min_failures"].is_null() ? "?" : std::to_string(s["min_failures"].get<int>()),
                 cell_availability(s),
                 s["p99_ms"].is_null() ? "n/a" : fmt::format("{:.1f}", s["p99_ms"].get<double>()),
                 cell_worst(s),
                 cell_lost(s)};
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

std::string failover_line(const nlohmann::json& t) {
  std::vector<std::string> parts;
  for (const auto& f : t["failovers"])
    parts.push_back(fmt::format("{} {:.1f}s ({})", f["component"].get<std::string>(), f["max_s"].get<double>(),
                                f["node"].get<std::string>()));
  return parts.empty() ? "none measured" : fmt::format("{}", fmt::join(parts, ", "));
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

std::string compare_table(const nlohmann::json& result) {
  auto rows = rows_of(result);
  std::vector<size_t> w;
  for (const auto& h : kHeader) w.push_back(h.size());
  for (const auto& r : rows)
    for (size_t i = 0; i < r.cells.size(); ++i) w[i] = std::max(w[i], r.cells[i].size());
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i) s += fmt::format("{:<{}}{}", cells[i], w[i], i + 1 < cells.size() ? "  " : "");
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  std::string out = line(kHeader);
  std::string prev;
  for (const auto& r : rows) {
    if (!prev.empty() && r.cells[0] != prev) out += "\n";
    prev = r.cells[0];
    out += line(r.cells);
  }
  out += "\nlongest failover per component under single-node crashes (the crashed node):\n";
  for (const auto& t : result["topologies"]) {
    out += fmt::format("  {}: {}\n", t["topology"].get<std::string>(), failover_line(t));
    if (!t["unused_nodes"].empty())
      out += fmt::format("    no service depends on: {}\n", join(t["unused_nodes"], ", "));
    if (!t["failed_runs"].empty()) out += fmt::format("    failed runs: {}\n", join(t["failed_runs"], "; "));
  }
  out += "\nworst single-node crash: the longest outage of the service and the node whose crash caused it; DOWN: "
         "still failing at the end of the run.\nlost mail: the most acknowledged messages any one run lost (and that "
         "run).\n";
  return out;
}

std::string compare_markdown(const nlohmann::json& result) {
  std::string out = "# mailsim compare\n\n";
  auto esc = [](std::string s) {
    std::string o;
    for (char c : s) o += c == '|' ? std::string("\\|") : std::string(1, c);
    return o;
  };
  out += "| " + fmt::format("{}", fmt::join(kHeader, " | ")) + " |\n|";
  for (size_t i = 0; i < kHeader.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& r : rows_of(result)) {
    std::vector<std::string> cells;
    for (const auto& c : r.cells) cells.push_back(esc(c));
    out += "| " + fmt::format("{}", fmt::join(cells, " | ")) + " |\n";
  }
  out += "\n## Longest failover per component (single-node crashes)\n\n";
  for (const auto& t : result["topologies"]) {
    out += fmt::format("- **{}**: {}\n", t["topology"].get<std::string>(), esc(failover_line(t)));
    if (!t["unused_nodes"].empty())
      out += fmt::format("  - no service depends on: {}\n", esc(join(t["unused_nodes"], ", ")));
    if (!t["failed_runs"].empty()) out += fmt::format("  - failed runs: {}\n", esc(join(t["failed_runs"], "; ")));
  }
  // Extra scenarios (the demo passes the scenario library): availability per service.
  std::vector<std::string> names;
  for (const auto& t : result["topologies"])
    for (const auto& s : t["services"])
      for (const auto& [name, v] : s["scenarios"].items())
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  if (names.empty()) return out;
  out += "\n## Availability under each scenario\n\n| topology | service | " + fmt::format("{}", fmt::join(names, " | ")) + " |\n|---|---|";
  for (size_t i = 0; i < names.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& t : result["topologies"])
    for (const auto& s : t["services"]) {
      out += fmt::format("| {} | {} |", esc(t["topology"].get<std::string>()), esc(s["name"].get<std::string>()));
      for (const auto& n : names)
        out += s["scenarios"].contains(n) ? fmt::format(" {:.3f}% |", 100 * s["scenarios"][n].get<double>()) : std::string(" - |");
      out += "\n";
    }
  out += "\n- means the scenario does not fit that topology (see failed runs above) or the service had no load in it.\n";
  return out;
}

}  // namespace mailsim::analysis
