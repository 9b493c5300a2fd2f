#include "reports/compare_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace mailsim::reports {

namespace {

using J = nlohmann::json;

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

}  // namespace mailsim::reports
