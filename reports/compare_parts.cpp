#include "reports/compare_parts.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mailsim::reports {

namespace {

using J = nlohmann::json;

std::string join(const J& arr, const char* sep) {
  std::string out;
  for (const auto& x : arr) out += (out.empty() ? "" : sep) + x.get<std::string>();
  return out.empty() ? "-" : out;
}

std::string cell_availability(const J& s) {
  if (s["availability"].is_null()) return "n/a";
  return fmt::format("{:.6f}%", s["availability"].get<double>() * 100);
}

std::string cell_lost(const J& s) {
  const J& l = s["lost_mail"];
  if (l.is_null()) return "n/a";
  const auto n = l["count"].get<uint64_t>();
  return n == 0 ? "0" : fmt::format("{} ({})", n, l["run"].get<std::string>());
}

}  // namespace

const char* const kCompareLegend =
    "worst single-node crash: the crash that cost the service most, ranked by lost availability over the run, then "
    "by incident class, then by lost mail; shown as the service's availability in that run, its worst incident "
    "(DOWN: still failing at the end of the run; outage: an incident in which most requests failed, recovered; "
    "degraded: one in which fewer did; ok: none) and the crashed node. lost mail: the most acknowledged messages any "
    "one run lost (and that run). exact avail.: steady-state availability from the per-node availability (static "
    "analysis).";

std::string compare_header(const J& result) {
  std::string out = "mailsim " + result.value("version", std::string("?"));
  if (result.contains("load")) {
    const J& l = result["load"];
    out += fmt::format(" · generated runs: every service at {}/s for {} s, one per single-node crash at {} s; node "
                       "availability {}",
                       l.value("rate_per_s", 0.0), l.value("duration_s", 0.0), l.value("crash_at_s", 0.0),
                       l.value("node_availability", 0.0));
  }
  std::vector<std::string> topologies;
  for (const auto& t : result.value("topologies", J::array()))
    topologies.push_back(fmt::format("{} ({})", t.value("topology", std::string()), t.value("file", std::string())));
  if (!topologies.empty()) out += fmt::format(" · topologies: {}", fmt::join(topologies, ", "));
  return out;
}

std::string compare_command(const J& result) { return result.value("command", std::string()); }

std::string worst_crash_text(const J& s) {
  const J w = s.value("worst_crash", J());
  if (!w.is_object() || !w.contains("node")) return "-";
  const std::string cls = w.value("incident_class", std::string("none"));
  const std::string label = w.value("down", false) ? "DOWN"
                            : cls == "down"        ? "outage"
                            : cls == "degraded"    ? "degraded"
                                                   : "ok";
  return fmt::format("{:.3f}% {} ({})", 100 * w.value("availability", 1.0), label, w["node"].get<std::string>());
}

TextTable compare_rows(const J& result) {
  TextTable t{{"topology", "nodes", "service", "SPOFs", "min fail", "exact avail.", "p99 ms", "worst single-node crash",
               "lost mail"},
              {}};
  for (const auto& top : result["topologies"])
    for (const auto& s : top["services"])
      t.rows.push_back({top["topology"].get<std::string>(), std::to_string(top["nodes"].get<int>()),
                        s["name"].get<std::string>(), join(s["spofs"], ", "),
                        s["min_failures"].is_null() ? "?" : std::to_string(s["min_failures"].get<int>()),
                        cell_availability(s),
                        s["p99_ms"].is_null() ? "n/a" : fmt::format("{:.1f}", s["p99_ms"].get<double>()),
                        worst_crash_text(s), cell_lost(s)});
  return t;
}

TextTable scenario_rows(const J& result) {
  std::vector<std::string> names;
  for (const auto& t : result["topologies"])
    for (const auto& s : t["services"])
      for (const auto& [name, v] : s["scenarios"].items())
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  TextTable out{{"topology", "service"}, {}};
  if (names.empty()) return out;
  for (const auto& n : names) out.header.push_back(n);
  for (const auto& t : result["topologies"])
    for (const auto& s : t["services"]) {
      std::vector<std::string> row = {t["topology"].get<std::string>(), s["name"].get<std::string>()};
      const J lost = s.value("scenarios_lost_mail", J::object());
      for (const auto& n : names) {
        if (!s["scenarios"].contains(n)) {
          row.push_back("-");
          continue;
        }
        const uint64_t l = lost.value(n, uint64_t{0});
        row.push_back(fmt::format("{:.3f}%{}", 100 * s["scenarios"][n].get<double>(),
                                  l ? fmt::format(", {} mail lost", l) : std::string()));
      }
      out.rows.push_back(std::move(row));
    }
  return out;
}

std::string failover_line(const J& t) {
  std::vector<std::string> parts;
  for (const auto& f : t["failovers"])
    parts.push_back(fmt::format("{} {:.1f}s ({})", f["component"].get<std::string>(), f["max_s"].get<double>(),
                                f["node"].get<std::string>()));
  return parts.empty() ? "none measured" : fmt::format("{}", fmt::join(parts, ", "));
}

std::vector<std::string> disagreement_lines(const J& t) {
  std::vector<std::string> out;
  for (const auto& s : t.value("services", J::array()))
    for (const auto& d : s.value("disagreements", J::array()))
      out.push_back(fmt::format("{}: crash of {}: analyze says {}, the run measured {}{}: {}",
                                s["name"].get<std::string>(), d["node"].get<std::string>(),
                                d["analyze"].get<std::string>() == "SPOF" ? "SPOF" : "the service survives",
                                d["measured"].get<std::string>(), d.value("expected", false) ? " (expected)" : "",
                                d["why"].get<std::string>()));
  return out;
}

std::vector<std::string> assumption_lines(const J& t) {
  std::vector<std::pair<std::string, std::vector<std::string>>> notes;  // note -> figures, in first-seen order
  for (const auto& s : t.value("services", J::array())) {
    const J assumptions = s.value("assumptions", J::object());
    for (const auto& [figure, list] : assumptions.items())
      for (const auto& n : list) {
        const std::string what = s["name"].get<std::string>() + "'s " + (figure == "lost_mail" ? "lost mail" : "worst crash");
        auto it = std::find_if(notes.begin(), notes.end(), [&](const auto& x) { return x.first == n.get<std::string>(); });
        if (it == notes.end()) notes.push_back({n.get<std::string>(), {what}});
        else it->second.push_back(what);
      }
  }
  std::vector<std::string> out;
  for (const auto& [note, figures] : notes) out.push_back(fmt::format("{} (behind: {})", note, fmt::join(figures, ", ")));
  return out;
}

std::vector<std::pair<std::string, std::string>> reproduce_commands(const J& t) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!t.value("baseline_command", std::string()).empty()) out.emplace_back("baseline", t["baseline_command"]);
  for (const auto& s : t.value("services", J::array())) {
    const J w = s.value("worst_crash", J());
    if (!w.is_object() || w.value("command", std::string()).empty()) continue;
    const std::string what = "crash " + w["node"].get<std::string>();
    if (std::none_of(out.begin(), out.end(), [&](const auto& p) { return p.first == what; }))
      out.emplace_back(what, w["command"]);
  }
  return out;
}

}  // namespace mailsim::reports
