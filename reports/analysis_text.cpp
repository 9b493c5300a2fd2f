#include "reports/analysis_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace mailsim::reports {

namespace {

std::string fmt_availability(double a) { return fmt::format("{:.9f}", a); }

// Expected downtime per year of an availability, in minutes.
double downtime_min_per_year(double a) { return (1.0 - a) * 365.25 * 24 * 60; }

}  // namespace

std::string analysis_text(const analysis::TopologyAnalysis& a) {
  std::string out;
  bool uniform = true;
  for (const auto& [n, v] : a.node_availability) uniform = uniform && v == a.options.node_availability;
  out += fmt::format("topology {}: {} nodes, {} components, {} services; node availability {}{}\n\n", a.topology,
                     a.nodes.size(), a.components.size(), a.services.size(), a.options.node_availability,
                     uniform ? "" : " (some nodes overridden)");
  size_t wn = 9, wm = 5;
  for (const auto& c : a.components) {
    wn = std::max(wn, c.name.size());
    wm = std::max(wm, c.model.size());
  }
  out += fmt::format("{:<{}}  {:<{}}  {}\n", "component", wn, "model", wm, "available when");
  for (const auto& c : a.components)
    out += fmt::format("{:<{}}  {:<{}}  {}\n{:<{}}  {}\n", c.name, wn, c.model, wm, c.rule, "", wn + wm + 2,
                       "  " + c.summary);
  out += "\n";
  size_t ws = 7;
  for (const auto& s : a.services) ws = std::max(ws, s.name.size());
  out += fmt::format("{:<{}}  {:>5}  {:<24}  {:>12}  {:>13}  {:>14}\n", "service", ws, "nodes", "SPOFs", "min failures",
                     "availability", "downtime/year");
  for (const auto& s : a.services) {
    std::string spofs = s.spofs.empty() ? "-" : fmt::format("{}", fmt::join(s.spofs, ", "));
    std::string minf = s.min_failures_known ? std::to_string(s.min_failures)
                                            : fmt::format("> {}", a.options.max_cut_size);
    std::string av = s.availability ? fmt_availability(*s.availability) + (s.availability_exact ? "" : "~") : "n/a";
    std::string dt = s.availability ? fmt::format("{:.1f} min", downtime_min_per_year(*s.availability)) : "n/a";
    out += fmt::format("{:<{}}  {:>5}  {:<24}  {:>12}  {:>13}  {:>14}\n", s.name, ws, s.nodes.size(), spofs, minf, av,
                       dt);
  }
  out += fmt::format("\nminimal cut sets (node sets whose loss stops the service, up to {} nodes):\n",
                     a.options.max_cut_size);
  for (const auto& s : a.services) {
    std::vector<std::string> sets;
    for (const auto& c : s.min_cut_sets) sets.push_back(fmt::format("{{{}}}", fmt::join(c, ", ")));
    out += fmt::format("  {}: {}\n", s.name, sets.empty() ? std::string("none") : fmt::format("{}", fmt::join(sets, " ")));
    if (!s.skipped.empty())
      out += fmt::format("    not needed (fallback steps): {}\n", fmt::join(s.skipped, ", "));
    if (!s.note.empty()) out += fmt::format("    note: {}\n", s.note);
  }
  if (!a.unused_nodes.empty())
    out += fmt::format("\nnodes no service depends on (their loss stops no service): {}\n", fmt::join(a.unused_nodes, ", "));
  return out;
}

std::string analysis_json(const analysis::TopologyAnalysis& a) {
  using J = nlohmann::ordered_json;
  J j;
  j["schema"] = "mailsim.analysis/1";
  j["topology"] = a.topology;
  j["file"] = a.file;
  j["options"] = {{"node_availability", a.options.node_availability},
                  {"max_cut_size", a.options.max_cut_size},
                  {"max_exact_nodes", a.options.max_exact_nodes},
                  {"samples", a.options.samples},
                  {"seed", a.options.seed}};
  J nodes = J::array();
  for (const auto& n : a.nodes) nodes.push_back({{"name", n}, {"availability", a.node_availability.at(n)}});
  j["nodes"] = nodes;
  J comps = J::array();
  for (const auto& c : a.components)
    comps.push_back({{"name", c.name},
                     {"model", c.model},
                     {"nodes", c.nodes},
                     {"rule_nodes", c.rule_nodes},
                     {"depends_on", c.depends_on},
                     {"rule", c.rule},
                     {"summary", c.summary}});
  j["components"] = comps;
  J svcs = J::array();
  for (const auto& s : a.services) {
    J o = {{"name", s.name},  {"components", s.components}, {"not_needed", s.skipped},
           {"nodes", s.nodes}, {"spofs", s.spofs},          {"min_cut_sets", s.min_cut_sets}};
    o["min_failures"] = s.min_failures_known ? J(s.min_failures) : J(nullptr);
    o["availability"] = s.availability ? J(*s.availability) : J(nullptr);
    o["availability_exact"] = s.availability_exact;
    o["downtime_min_per_year"] = s.availability ? J(downtime_min_per_year(*s.availability)) : J(nullptr);
    o["states"] = s.states;
    if (!s.note.empty()) o["note"] = s.note;
    svcs.push_back(std::move(o));
  }
  j["services"] = svcs;
  j["unused_nodes"] = a.unused_nodes;
  return j.dump(2) + "\n";
}

}  // namespace mailsim::reports
