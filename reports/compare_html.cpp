#include "reports/compare_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "reports/axis_ticks.hpp"
#include "reports/check_report.hpp"
#include "reports/compare_parts.hpp"

namespace mailsim::reports {

namespace {

using json = nlohmann::json;

std::string esc(const std::string& s) { return xml_escape(s); }

struct Bar {
  std::string topology, node, label;
  double lost_pct;  // availability lost in the worst crash run, percent of requests
  bool down;
};

const double kLabelW = 170, kWidth = 1000, kPlotW = kWidth - kLabelW - 230, kBarH = 20, kGap = 8, kAxisH = 44;

// One horizontal bar per topology on the shared scale [0, max_pct], with its axis below.
std::string loss_chart(const std::string& service, const std::vector<Bar>& bars, double max_pct) {
  const double bars_h = 6 + static_cast<double>(bars.size()) * (kBarH + kGap);
  const double height = bars_h + kAxisH;
  std::string out = fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\" aria-label=\"{2}\">\n",
      kWidth, height, esc(service + ": availability lost to the worst single-node crash"));
  auto x_of = [&](double pct) { return kLabelW + pct / max_pct * kPlotW; };
  double y = 6;
  for (const auto& b : bars) {
    const double w = std::max(1.0, x_of(b.lost_pct) - kLabelW);
    out += fmt::format("<text class=\"lane\" x=\"4\" y=\"{:.1f}\">{}</text>\n", y + kBarH * 0.72, esc(b.topology));
    out += fmt::format("<rect class=\"bar{}\" x=\"{}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\"><title>{}: {}</title></rect>\n",
                       b.down ? " down" : "", kLabelW, y, w, kBarH, esc(b.topology), esc(b.label));
    out += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\">{:.3g}% lost · {}</text>\n", kLabelW + w + 6,
                       y + kBarH * 0.72, b.lost_pct, esc(b.label));
    y += kBarH + kGap;
  }
  out += fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\"/>\n", kLabelW, bars_h,
                     kLabelW + kPlotW);
  const double step = nice_step(max_pct, 5);
  for (double v = 0; v <= max_pct + step * 1e-6; v += step)
    out += fmt::format("<line class=\"axis\" x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>"
                       "<text class=\"tick\" x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4:g}%</text>\n",
                       x_of(v), bars_h, bars_h + 4, bars_h + 16, v);
  out += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">% of the run's requests "
                     "lost (one scale for every chart)</text>\n",
                     kLabelW + kPlotW / 2, bars_h + 32);
  return out + "</svg>\n";
}

std::string html_table(const TextTable& t, const std::vector<std::string>& fail_cells = {}) {
  std::string out = "<table>\n<tr>";
  for (const auto& h : t.header) out += "<th>" + esc(h) + "</th>";
  out += "</tr>\n";
  for (const auto& r : t.rows) {
    out += "<tr>";
    for (const auto& c : r) {
      const bool fail = std::any_of(fail_cells.begin(), fail_cells.end(),
                                    [&](const std::string& f) { return c.find(f) != std::string::npos; });
      out += (fail ? "<td class=\"fail\">" : "<td>") + esc(c) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

const char* kStyle = R"(
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:24px 32px;color:#1d2330;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d5d9e0;padding-bottom:4px}
h3{font-size:14px;margin:14px 0 2px;color:#3a4356}
table{border-collapse:collapse;font-size:12.5px;margin:4px 0 8px}
th,td{border:1px solid #d5d9e0;padding:3px 8px;text-align:left}th{background:#f1f3f6}
td.fail{color:#9b1c1c;font-weight:bold}
.note{color:#5b6476;font-size:13px}code{font-size:12px;background:#f1f3f6;padding:1px 3px}li{font-size:13px;margin:2px 0}
svg.chart{display:block;margin:2px 0 6px;font-size:11px}
svg .lane{fill:#1d2330;font-size:11.5px}svg .tick{fill:#5b6476}svg .axis{stroke:#8a93a6;stroke-width:1}
svg .bar{fill:#2f6fd6}svg .bar.down{fill:#d0021b}
)";

}  // namespace

std::string compare_html(const json& compare) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>mailsim compare</title>\n";
  out += fmt::format("<style>{}</style>\n</head>\n<body>\n<h1>mailsim compare</h1>\n", kStyle);
  out += "<p class=\"note\" id=\"header\">" + esc(compare_header(compare)) + "</p>\n";
  if (!compare_command(compare).empty()) out += "<p><code>" + esc(compare_command(compare)) + "</code></p>\n";
  const json topologies = compare.value("topologies", json::array());
  out += "<h2 id=\"table\">Side by side</h2>\n" + html_table(compare_rows(compare), {"DOWN"});
  out += "<p class=\"note\">" + esc(kCompareLegend) + "</p>\n";

  std::map<std::string, std::vector<Bar>> bars;  // service -> one bar per topology
  double max_pct = 0;
  for (const auto& t : topologies)
    for (const auto& s : t.value("services", json::array())) {
      const json wc = s.value("worst_crash", json());
      if (!wc.is_object() || !wc.contains("node")) continue;
      const double pct = 100 * (1 - wc.value("availability", 1.0));
      max_pct = std::max(max_pct, pct);
      bars[s.value("name", "")].push_back({t.value("topology", ""), wc.value("node", ""), worst_crash_text(s), pct,
                                           wc.value("down", false)});
    }
  // One scale for every chart: the largest loss, rounded up to a tick.
  const double step = nice_step(std::max(max_pct, 1e-3), 5);
  max_pct = std::max(step, std::ceil(max_pct / step - 1e-9) * step);
  out += "<h2 id=\"crashes\">Availability lost to the worst single-node crash</h2>\n";
  for (const auto& [service, list] : bars) out += fmt::format("<h3>{}</h3>\n", esc(service)) + loss_chart(service, list, max_pct);

  out += "<h2 id=\"failovers\">Longest failover per component</h2>\n<table>\n<tr><th>topology</th><th>component</th>"
         "<th>longest failover s</th><th>crashed node</th></tr>\n";
  for (const auto& t : topologies)
    for (const auto& f : t.value("failovers", json::array()))
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{:.3f}</td><td>{}</td></tr>\n", esc(t.value("topology", "")),
                         esc(f.value("component", "")), f.value("max_s", 0.0), esc(f.value("node", "")));
  out += "</table>\n";
  for (const auto& t : topologies) {
    std::string notes;
    for (const auto& x : t.value("unused_nodes", json::array())) notes += (notes.empty() ? "" : ", ") + x.get<std::string>();
    if (!notes.empty()) out += "<p class=\"note\">" + esc(t.value("topology", "") + ": no service depends on " + notes) + "</p>\n";
    for (const auto& f : t.value("failed_runs", json::array()))
      out += "<p class=\"note\">" + esc(t.value("topology", "") + ": failed run: " + f.get<std::string>()) + "</p>\n";
    if (t.contains("overloaded"))
      out += "<p class=\"note fail\">" +
             esc(fmt::format("{}: OVERLOADED: the baseline could not keep up with the load ({} {} at {:g} s); lower --rate",
                             t.value("topology", ""), t["overloaded"].value("service", ""), t["overloaded"].value("measure", ""),
                             t["overloaded"].value("at_s", 0.0))) +
             "</p>\n";
  }

  std::string dis;
  for (const auto& t : topologies)
    for (const auto& l : disagreement_lines(t)) dis += "<li><b>" + esc(t.value("topology", "")) + "</b> " + esc(l) + "</li>\n";
  if (!dis.empty()) out += "<h2 id=\"disagreements\">Where analyze and the crash runs disagree</h2>\n<ul>\n" + dis + "</ul>\n";

  std::string notes;
  for (const auto& t : topologies)
    for (const auto& l : assumption_lines(t)) notes += "<li><b>" + esc(t.value("topology", "")) + "</b> " + esc(l) + "</li>\n";
  if (!notes.empty()) out += "<h2 id=\"assumptions\">Assumptions behind the figures</h2>\n<ul>\n" + notes + "</ul>\n";

  const TextTable scen = scenario_rows(compare);
  if (!scen.rows.empty())
    out += "<h2 id=\"scenarios\">Availability under each scenario</h2>\n" + html_table(scen, {"mail lost"}) +
           "<p class=\"note\">- means the scenario does not fit that topology (see the failed runs above) or the "
           "service had no load in it.</p>\n";

  out += "<h2 id=\"reproduce\">Reproduce</h2>\n<ul>\n";
  for (const auto& t : topologies)
    for (const auto& [what, command] : reproduce_commands(t))
      out += "<li>" + esc(t.value("topology", "") + " " + what) + ": <code>" + esc(command) + "</code></li>\n";
  return out + "</ul>\n</body>\n</html>\n";
}

}  // namespace mailsim::reports
