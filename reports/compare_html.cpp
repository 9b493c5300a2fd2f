#include "reports/compare_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

#include "reports/check_report.hpp"

namespace mailsim::reports {

namespace {

using json = nlohmann::json;

std::string esc(const std::string& s) { return xml_escape(s); }
std::string text(const json& j, const char* key) { return j.contains(key) && j.at(key).is_string() ? j.at(key).get<std::string>() : ""; }
double number(const json& j, const char* key) { return j.contains(key) && j.at(key).is_number() ? j.at(key).get<double>() : 0; }

std::string join(const json& list) {
  std::string out;
  if (list.is_array())
    for (const auto& x : list) out += (out.empty() ? "" : ", ") + (x.is_string() ? x.get<std::string>() : x.dump());
  return out.empty() ? "-" : out;
}

struct Bar {
  std::string topology, node;
  double outage_s;
  bool down;
};

// One horizontal bar per topology: the longest outage any single-node crash caused.
std::string outage_chart(const std::string& service, const std::vector<Bar>& bars) {
  const double label_w = 170, width = 1000, bar_h = 20, gap = 8, top = 6;
  double max_s = 1;
  for (const auto& b : bars) max_s = std::max(max_s, b.outage_s);
  const double plot_w = width - label_w - 190;
  const double height = top * 2 + static_cast<double>(bars.size()) * (bar_h + gap);
  std::string out = fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\" aria-label=\"{2}\">\n", width,
      height, esc(service));
  double y = top;
  for (const auto& b : bars) {
    double w = std::max(1.0, b.outage_s / max_s * plot_w);
    out += fmt::format("<text class=\"lane\" x=\"4\" y=\"{:.1f}\">{}</text>\n", y + bar_h * 0.72, esc(b.topology));
    out += fmt::format("<rect class=\"bar{}\" x=\"{}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\"><title>{}: {:.1f} s ({}){}</title></rect>\n",
                       b.down ? " down" : "", label_w, y, w, bar_h, esc(b.topology), b.outage_s, esc(b.node),
                       b.down ? ", still down at the end" : "");
    out += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\">{:.1f} s · {}{}</text>\n", label_w + w + 6,
                       y + bar_h * 0.72, b.outage_s, esc(b.node), b.down ? " · DOWN" : "");
    y += bar_h + gap;
  }
  return out + "</svg>\n";
}

const char* kStyle = R"(
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:24px 32px;color:#1d2330;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d5d9e0;padding-bottom:4px}
h3{font-size:14px;margin:14px 0 2px;color:#3a4356}
table{border-collapse:collapse;font-size:12.5px;margin:4px 0 8px}
th,td{border:1px solid #d5d9e0;padding:3px 8px;text-align:left}th{background:#f1f3f6}
td.n{text-align:right;font-variant-numeric:tabular-nums}td.fail{color:#9b1c1c;font-weight:bold}
.note{color:#5b6476;font-size:13px}
svg.chart{display:block;margin:2px 0 6px;font-size:11px}
svg .lane{fill:#1d2330;font-size:11.5px}svg .tick{fill:#5b6476}
svg .bar{fill:#2f6fd6}svg .bar.down{fill:#d0021b}
)";

}  // namespace

std::string compare_html(const json& compare) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>mailsim compare</title>\n";
  out += fmt::format("<style>{}</style>\n</head>\n<body>\n<h1>mailsim compare</h1>\n", kStyle);
  const json topologies = compare.value("topologies", json::array());
  out += "<h2 id=\"table\">Side by side</h2>\n<table>\n<tr><th>topology</th><th>nodes</th><th>service</th><th>SPOFs</th>"
         "<th>min failures</th><th>availability</th><th>p99 ms</th><th>worst single-node crash</th><th>lost mail</th></tr>\n";
  std::map<std::string, std::vector<Bar>> bars;  // service -> one bar per topology
  for (const auto& t : topologies) {
    for (const auto& s : t.value("services", json::array())) {
      const json wc = s.value("worst_crash", json::object());
      bool down = wc.value("down", false);
      std::string worst = wc.contains("node") ? fmt::format("{:.1f} s ({}){}", number(wc, "outage_s"), text(wc, "node"), down ? " DOWN" : "")
                                              : "-";
      const json lm = s.value("lost_mail", json());
      const uint64_t lost = lm.is_object() ? lm.value("count", uint64_t{0}) : 0;
      const std::string lost_cell = !lm.is_object() ? "n/a" : lost == 0 ? "0" : fmt::format("{} ({})", lost, text(lm, "run"));
      out += fmt::format(
          "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td{}>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.6f}%</td>"
          "<td class=\"n\">{:.1f}</td><td{}>{}</td><td{}>{}</td></tr>\n",
          esc(text(t, "topology")), t.value("nodes", 0), esc(text(s, "name")), s.value("spofs", json::array()).empty() ? "" : " class=\"fail\"",
          esc(join(s.value("spofs", json::array()))), s.value("min_failures", 0), 100 * number(s, "availability"),
          number(s, "p99_ms"), down ? " class=\"fail\"" : "", esc(worst), lost > 0 ? " class=\"fail\"" : "", esc(lost_cell));
      if (wc.contains("node"))
        bars[text(s, "name")].push_back({text(t, "topology"), text(wc, "node"), number(wc, "outage_s"), down});
    }
  }
  out += "</table>\n<p class=\"note\">availability: exact steady-state availability from the per-node availability "
         "(static analysis); worst single-node crash: the longest outage any one node's crash caused under load, DOWN "
         "when the service was still failing at the end of the run; lost mail: the most acknowledged messages any one run "
         "lost, and that run.</p>\n";
  out += "<h2 id=\"crashes\">Worst single-node crash per service</h2>\n";
  for (const auto& [service, list] : bars) out += fmt::format("<h3>{}</h3>\n", esc(service)) + outage_chart(service, list);
  out += "<h2 id=\"failovers\">Longest failover per component</h2>\n<table>\n<tr><th>topology</th><th>component</th>"
         "<th>longest failover s</th><th>crashed node</th></tr>\n";
  for (const auto& t : topologies)
    for (const auto& f : t.value("failovers", json::array()))
      out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"n\">{:.3f}</td><td>{}</td></tr>\n", esc(text(t, "topology")),
                         esc(text(f, "component")), number(f, "max_s"), esc(text(f, "node")));
  out += "</table>\n</body>\n</html>\n";
  return out;
}

}  // namespace mailsim::reports
