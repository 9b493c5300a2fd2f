#include "reports/compare_table.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "reports/compare_parts.hpp"

namespace mailsim::reports {

namespace {

using J = nlohmann::json;

std::string names(const J& arr, const char* sep) {
  std::string out;
  for (const auto& x : arr) out += (out.empty() ? "" : sep) + x.get<std::string>();
  return out;
}

// Columns padded to their widest cell; a blank line where the first column changes.
std::string aligned(const TextTable& t) {
  std::vector<size_t> w;
  for (const auto& h : t.header) w.push_back(h.size());
  for (const auto& r : t.rows)
    for (size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], r[i].size());
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i) s += fmt::format("{:<{}}{}", cells[i], w[i], i + 1 < cells.size() ? "  " : "");
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  std::string out = line(t.header);
  std::string prev;
  for (const auto& r : t.rows) {
    if (!prev.empty() && r[0] != prev) out += "\n";
    prev = r[0];
    out += line(r);
  }
  return out;
}

std::string md_escape(const std::string& s) {
  std::string o;
  for (char c : s) o += c == '|' ? std::string("\\|") : std::string(1, c);
  return o;
}

std::string markdown_table(const TextTable& t) {
  std::string out = "| " + fmt::format("{}", fmt::join(t.header, " | ")) + " |\n|";
  for (size_t i = 0; i < t.header.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& r : t.rows) {
    std::vector<std::string> cells;
    for (const auto& c : r) cells.push_back(md_escape(c));
    out += "| " + fmt::format("{}", fmt::join(cells, " | ")) + " |\n";
  }
  return out;
}

}  // namespace

std::string compare_table(const J& result) {
  std::string out = aligned(compare_rows(result));
  out += "\nlongest failover per component under single-node crashes (the crashed node):\n";
  for (const auto& t : result["topologies"]) {
    out += fmt::format("  {}: {}\n", t["topology"].get<std::string>(), failover_line(t));
    if (!t["unused_nodes"].empty()) out += fmt::format("    no service depends on: {}\n", names(t["unused_nodes"], ", "));
    if (!t["failed_runs"].empty()) out += fmt::format("    failed runs: {}\n", names(t["failed_runs"], "; "));
    if (t.contains("overloaded"))
      out += fmt::format("    OVERLOADED: the baseline could not keep up with the load ({} {} at {:g} s); lower --rate\n",
                         t["overloaded"]["service"].get<std::string>(), t["overloaded"]["measure"].get<std::string>(),
                         t["overloaded"]["at_s"].get<double>());
  }
  for (const auto& t : result["topologies"]) {
    const auto lines = disagreement_lines(t);
    if (lines.empty()) continue;
    out += fmt::format("\nanalyze and the crash runs disagree on {}:\n", t["topology"].get<std::string>());
    for (const auto& l : lines) out += "  " + l + "\n";
  }
  for (const auto& t : result["topologies"]) {
    const auto lines = assumption_lines(t);
    if (lines.empty()) continue;
    out += fmt::format("\nassumptions behind {}'s figures:\n", t["topology"].get<std::string>());
    for (const auto& l : lines) out += "  " + l + "\n";
  }
  const TextTable scen = scenario_rows(result);
  if (!scen.rows.empty()) out += "\navailability under each scenario (- : does not fit, or no load):\n" + aligned(scen);
  out += "\nreproduce:\n";
  for (const auto& t : result["topologies"])
    for (const auto& [what, command] : reproduce_commands(t))
      out += fmt::format("  {} {}: {}\n", t["topology"].get<std::string>(), what, command);
  return out + "\n" + kCompareLegend + "\n";
}

std::string compare_markdown(const J& result) {
  std::string out = "# mailsim compare\n\n" + md_escape(compare_header(result)) + "\n\n";
  if (!compare_command(result).empty()) out += "`" + compare_command(result) + "`\n\n";
  out += markdown_table(compare_rows(result));
  out += "\n" + std::string(kCompareLegend) + "\n";
  out += "\n## Longest failover per component (single-node crashes)\n\n";
  for (const auto& t : result["topologies"]) {
    out += fmt::format("- **{}**: {}\n", t["topology"].get<std::string>(), md_escape(failover_line(t)));
    if (!t["unused_nodes"].empty())
      out += fmt::format("  - no service depends on: {}\n", md_escape(names(t["unused_nodes"], ", ")));
    if (!t["failed_runs"].empty()) out += fmt::format("  - failed runs: {}\n", md_escape(names(t["failed_runs"], "; ")));
    if (t.contains("overloaded"))
      out += fmt::format("  - **overloaded**: the baseline could not keep up with the load ({} {} at {:g} s)\n",
                         md_escape(t["overloaded"]["service"].get<std::string>()),
                         t["overloaded"]["measure"].get<std::string>(), t["overloaded"]["at_s"].get<double>());
  }
  bool any = false;
  for (const auto& t : result["topologies"])
    for (const auto& l : disagreement_lines(t)) {
      if (!any) out += "\n## Where analyze and the crash runs disagree\n\n";
      any = true;
      out += fmt::format("- **{}** {}\n", t["topology"].get<std::string>(), md_escape(l));
    }
  any = false;
  for (const auto& t : result["topologies"])
    for (const auto& l : assumption_lines(t)) {
      if (!any) out += "\n## Assumptions behind the figures\n\n";
      any = true;
      out += fmt::format("- **{}** {}\n", t["topology"].get<std::string>(), md_escape(l));
    }
  const TextTable scen = scenario_rows(result);
  if (!scen.rows.empty())
    out += "\n## Availability under each scenario\n\n" + markdown_table(scen) +
           "\n- means the scenario does not fit that topology (see failed runs above) or the service had no load in it.\n";
  out += "\n## Reproduce\n\n";
  for (const auto& t : result["topologies"])
    for (const auto& [what, command] : reproduce_commands(t))
      out += fmt::format("- {} {}: `{}`\n", t["topology"].get<std::string>(), what, command);
  return out;
}

}  // namespace mailsim::reports
