#include "reports/sweep_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "reports/axis_ticks.hpp"
#include "reports/check_report.hpp"
#include "reports/sweep_table.hpp"
#include "runset/sweep.hpp"

namespace mailsim::reports {

namespace {

using json = nlohmann::json;

std::string esc(const std::string& s) { return xml_escape(s); }

constexpr double kW = 1000, kLeft = 70, kRight = 20, kTop = 20, kBottom = 40, kH = 300;
constexpr int kColours = 8;

// A tick label a reader takes in at a glance: 2.5, 400, 12k, 1.5M (never 1e+06).
std::string num_text(double v) {
  const double a = std::fabs(v);
  if (a >= 1e9) return fmt::format("{:g}G", v / 1e9);
  if (a >= 1e6) return fmt::format("{:g}M", v / 1e6);
  if (a >= 1e4) return fmt::format("{:g}k", v / 1e3);
  return fmt::format("{:g}", v);
}

// A linear or log scale from [d0, d1] onto [p0, p1].
struct Scale {
  double d0 = 0, d1 = 1, p0 = 0, p1 = 1;
  bool log = false;
  double operator()(double v) const {
    if (log) {
      double l0 = std::log10(d0), l1 = std::log10(d1);
      return p0 + (std::log10(std::max(v, d0)) - l0) / (l1 - l0) * (p1 - p0);
    }
    return p0 + (v - d0) / (d1 - d0) * (p1 - p0);
  }
  std::vector<double> ticks() const {
    std::vector<double> t;
    if (log) {
      for (double v = std::pow(10, std::floor(std::log10(d0))); v <= d1 * 1.0001; v *= 10)
        for (double m : {1.0, 2.0, 5.0})
          if (v * m >= d0 * 0.9999 && v * m <= d1 * 1.0001) t.push_back(v * m);
    } else {
      double step = nice_step(d1 - d0, 6);
      for (double v = std::ceil(d0 / step - 1e-9) * step; v <= d1 + step * 1e-9; v += step) t.push_back(std::fabs(v) < step * 1e-9 ? 0 : v);
    }
    return t;
  }
};

// The x axis: numeric when every value of the axis is a number with one unit, else the
// distinct values equally spaced in order of appearance.
struct XAxis {
  bool numeric = true;
  std::string unit;
  std::vector<std::string> categories;
  Scale s;
  double pos(const std::string& text) const {
    if (numeric) {
      double v;
      std::string u;
      runset::value_number(text, &v, &u);
      return s(v);
    }
    auto it = std::find(categories.begin(), categories.end(), text);
    return s(static_cast<double>(it - categories.begin()));
  }
};

XAxis make_x(const json& points, size_t axis, const json& axis_doc) {
  XAxis x;
  double lo = 0, hi = 0;
  bool first = true;
  for (const auto& pt : points) {
    std::string t = pt["values"][axis];
    if (std::find(x.categories.begin(), x.categories.end(), t) == x.categories.end()) x.categories.push_back(t);
    double v;
    std::string u;
    if (!runset::value_number(t, &v, &u) || (!first && u != x.unit)) {
      x.numeric = false;
      continue;
    }
    x.unit = u;
    lo = first ? v : std::min(lo, v);
    hi = first ? v : std::max(hi, v);
    first = false;
  }
  x.s.p0 = kLeft + 12;
  x.s.p1 = kW - kRight - 12;
  if (x.numeric && axis_doc.value("kind", "grid") == "lhs") {
    lo = axis_doc.value("lo", lo);
    hi = axis_doc.value("hi", hi);
    x.s.log = axis_doc.value("log", false);
  } else if (x.numeric && lo > 0 && hi / lo >= 20) {
    // Grid values over orders of magnitude (a geometric sweep, 1k..1M): a linear axis
    // would cram the low values, the knee often among them, into a sliver.
    x.s.log = true;
  }
  if (x.numeric) {
    if (hi <= lo) hi = lo + 1;
    x.s.d0 = lo;
    x.s.d1 = hi;
  } else {
    x.s.d0 = 0;
    x.s.d1 = std::max<double>(1, static_cast<double>(x.categories.size() - 1));
  }
  return x;
}

struct Series {
  std::string label;
  std::vector<size_t> points;  // indexes into the result's points, in order
};

const char* kStyle = R"(
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:24px 32px;color:#1d2330;background:#fff;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d5d9e0;padding-bottom:4px}
h3{font-size:14px;margin:14px 0 2px;color:#3a4356}
.sub{color:#5b6476;margin:0 0 8px;font-size:13px}
table{border-collapse:collapse;font-size:12.5px;margin:4px 0 8px}
th,td{border:1px solid #d5d9e0;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f6;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.pass{color:#17652f;font-weight:bold}td.fail{color:#9b1c1c;font-weight:bold}
code{font-family:"DejaVu Sans Mono",monospace;font-size:12px}
.note{color:#5b6476;font-size:13px}
svg.chart{display:block;margin:2px 0 6px;font-size:11px}
svg .grid{stroke:#e6e9ee;stroke-width:1}svg .axis{stroke:#8a93a3;stroke-width:1}
svg .tick{fill:#5b6476}svg .axis-label{fill:#3a4356;font-size:11px}
svg path.series{fill:none;stroke-width:1.8;stroke-linejoin:round}
svg circle.pt{stroke:#fff;stroke-width:1}svg circle.pt.fail{stroke:#d0021b;stroke-width:2.2}
svg circle.knee{fill:none;stroke:#1d2330;stroke-width:1.6}svg line.knee{stroke-width:1.4;stroke-dasharray:5 3}
svg .knee-label{fill:#1d2330;font-size:10.5px}
svg .s0{stroke:#2f6fd6}svg .s1{stroke:#2e8b57}svg .s2{stroke:#8e44ad}svg .s3{stroke:#d68910}
svg .s4{stroke:#16a085}svg .s5{stroke:#7f8c8d}svg .s6{stroke:#c2185b}svg .s7{stroke:#5d4037}
svg circle.s0{fill:#2f6fd6}svg circle.s1{fill:#2e8b57}svg circle.s2{fill:#8e44ad}svg circle.s3{fill:#d68910}
svg circle.s4{fill:#16a085}svg circle.s5{fill:#7f8c8d}svg circle.s6{fill:#c2185b}svg circle.s7{fill:#5d4037}
svg circle.pt.fail{fill:#fff}
.legend{font-size:12px;color:#3a4356;margin:2px 0}
.key{display:inline-block;width:18px;height:0;border-top:3px solid;margin:0 5px 3px 10px;vertical-align:middle}
.key.s0{border-color:#2f6fd6}.key.s1{border-color:#2e8b57}.key.s2{border-color:#8e44ad}.key.s3{border-color:#d68910}
.key.s4{border-color:#16a085}.key.s5{border-color:#7f8c8d}.key.s6{border-color:#c2185b}.key.s7{border-color:#5d4037}
.key.fail{width:8px;height:8px;border:2px solid #d0021b;border-radius:50%}
)";

struct Metric {
  const char* key;    // in points[].services.S
  const char* title;  // y label
  double factor;      // displayed = value * factor
};

// Whether a point meets the SLO as far as `service` goes: a point ringed red in every
// service's chart when only one service broke it would mislead.
bool slo_holds_for(const json& pt, const std::string& service) {
  if (pt.value("slo", true)) return true;
  if (pt.value("slo_other", false) || !pt.contains("slo_services")) return false;
  const json& s = pt["slo_services"];
  return std::find(s.begin(), s.end(), service) == s.end();
}

std::string chart(const json& r, const std::string& service, const Metric& m, const XAxis& x, const std::string& x_label,
                  const std::vector<Series>& series, bool lines, size_t x_axis, const std::vector<std::string>& marks,
                  const char* mark_word) {
  const json& points = r["points"];
  auto value = [&](size_t p, double* v) {
    const json& s = points[p]["services"];
    if (!s.contains(service) || !s[service].contains(m.key)) return false;
    *v = s[service][m.key].get<double>() * m.factor;
    return true;
  };
  // y range over every point of the chart.
  double lo = 0, hi = 0, min_pos = 0;
  bool first = true;
  for (const auto& se : series)
    for (size_t p : se.points) {
      double v;
      if (!value(p, &v)) continue;
      lo = first ? v : std::min(lo, v);
      hi = first ? v : std::max(hi, v);
      if (v > 0) min_pos = min_pos == 0 ? v : std::min(min_pos, v);
      first = false;
    }
  Scale y;
  y.p0 = kH - kBottom;
  y.p1 = kTop;
  if (std::string(m.key) == "availability_mean") {
    double step = nice_step(std::max(100 - lo, 0.01), 5);
    y.d0 = std::min(99.0, std::floor(lo / step) * step);
    y.d1 = 100;
  } else if (min_pos > 0 && hi / min_pos > 50) {  // latency over orders of magnitude: log
    y.log = true;
    y.d0 = std::pow(10, std::floor(std::log10(min_pos)));
    y.d1 = std::pow(10, std::ceil(std::log10(hi)));
  } else {
    double step = nice_step(std::max(hi, 1e-9) * 1.1, 5);
    y.d0 = 0;
    y.d1 = std::max(step, std::ceil(hi * 1.1 / step) * step);
  }
  std::string out = fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\" aria-label=\"{2}: {3}\">\n", kW,
      kH, esc(service), esc(m.title));
  for (double v : y.ticks()) {
    out += fmt::format("<line class=\"grid\" x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\"/>\n", kLeft, y(v), kW - kRight, y(v));
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", kLeft - 6, y(v) + 4, num_text(v));
  }
  if (x.numeric) {
    for (double v : x.s.ticks())
      out += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}{}</text>\n", x.s(v),
                         kH - kBottom + 15, num_text(v), esc(x.unit));
  } else {
    for (const auto& c : x.categories)
      out += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x.pos(c),
                         kH - kBottom + 15, esc(c));
  }
  out += fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", kLeft, kH - kBottom, kW - kRight, kH - kBottom);
  out += fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", kLeft, kTop, kLeft, kH - kBottom);
  out += fmt::format("<text class=\"axis-label\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                     kLeft + (kW - kLeft - kRight) / 2, kH - 6, esc(x_label));
  out += fmt::format("<text class=\"axis-label\" transform=\"rotate(-90)\" x=\"{:.1f}\" y=\"14\" text-anchor=\"middle\">{}{}</text>\n",
                     -(kTop + (kH - kTop - kBottom) / 2), esc(m.title), y.log ? " (log)" : "");
  for (size_t k = 0; k < series.size(); ++k) {
    const auto& se = series[k];
    const std::string cls = fmt::format("s{}", k % kColours);
    if (lines) {
      std::string d;
      for (size_t p : se.points) {
        double v;
        if (!value(p, &v)) continue;
        d += fmt::format("{}{:.1f},{:.1f}", d.empty() ? "M" : " L", x.pos(points[p]["values"][x_axis]), y(v));
      }
      if (!d.empty()) out += fmt::format("<path class=\"series {}\" d=\"{}\"><title>{}</title></path>\n", cls, d, esc(se.label));
    }
    for (size_t p : se.points) {
      double v;
      if (!value(p, &v)) continue;
      const bool ok = slo_holds_for(points[p], service);
      std::string vals;
      for (const auto& t : points[p]["values"]) vals += (vals.empty() ? "" : ", ") + t.get<std::string>();
      out += fmt::format("<circle class=\"pt {}{}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\"><title>{}: {} {} (SLO {})</title></circle>\n",
                         cls, ok ? "" : " fail", x.pos(points[p]["values"][x_axis]), y(v), lines ? 3.5 : 4, esc(vals),
                         esc(m.title), num_text(v), ok ? "ok" : "FAIL");
    }
    if (k >= marks.size() || marks[k].empty()) continue;
    // The knee (grid: circled on the line) or the safe limit (hypercube: a vertical line).
    const double mx = x.pos(marks[k]);
    if (lines) {
      for (size_t p : se.points) {
        double v;
        if (points[p]["values"][x_axis] != marks[k] || !value(p, &v)) continue;
        out += fmt::format("<circle class=\"knee\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"8\"><title>{} of {}: {}</title></circle>\n", mx,
                           y(v), mark_word, esc(se.label), esc(marks[k]));
        out += fmt::format("<text class=\"knee-label\" x=\"{:.1f}\" y=\"{:.1f}\">{} {}</text>\n", mx + 9, y(v) - 9,
                           mark_word, esc(marks[k]));
      }
    } else {
      out += fmt::format("<line class=\"knee {}\" x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\"><title>{} of {}: {}</title></line>\n",
                         cls, mx, kTop, mx, kH - kBottom, mark_word, esc(se.label), esc(marks[k]));
      out += fmt::format("<text class=\"knee-label\" x=\"{:.1f}\" y=\"{}\">{} {}</text>\n", mx + 4, kTop + 10 + 12.0 * static_cast<double>(k % 4),
                         mark_word, esc(marks[k]));
    }
  }
  return out + "</svg>\n";
}

// Every point as a row: its values, per service p99 and availability with a mark of its
// own verdict, and why the SLO failed.
std::string results_table(const json& r, const std::vector<std::string>& services) {
  std::string out = "<h2 id=\"results\">Results</h2>\n<table>\n<tr>";
  for (const auto& a : r["axes"]) out += "<th><code>" + esc(a["path"].get<std::string>()) + "</code></th>";
  for (const auto& s : services) out += "<th>" + esc(s) + " p99 ms</th><th>" + esc(s) + " avail.</th>";
  out += "<th>SLO</th></tr>\n";
  for (const auto& pt : r["points"]) {
    out += "<tr>";
    for (const auto& v : pt["values"]) out += "<td class=\"n\">" + esc(v.get<std::string>()) + "</td>";
    for (const auto& s : services) {
      const json m = pt["services"].value(s, json::object());
      const char* cls = slo_holds_for(pt, s) ? "n" : "n fail";
      out += m.empty() ? std::string("<td>-</td><td>-</td>")
                       : fmt::format("<td class=\"{0}\">{1:.1f}</td><td class=\"{0}\">{2:.3f}%</td>", cls,
                                     m.value("p99_ms_mean", 0.0), 100 * m.value("availability_mean", 0.0));
    }
    const bool ok = pt.value("slo", true);
    out += fmt::format("<td class=\"{}\">{}</td></tr>\n", ok ? "pass" : "fail",
                       ok ? std::string("pass") : esc("FAIL: " + pt.value("why", std::string())));
  }
  return out + "</table>\n<p class=\"note\">A cell in red: that service broke the SLO at that point.</p>\n";
}

}  // namespace

std::string sweep_html(const json& r) {
  const json& axes = r["axes"];
  const json& points = r["points"];
  const bool lhs = r.value("design", "grid") == "lhs";
  std::vector<size_t> grid_axes;
  size_t first_range = axes.size();
  for (size_t a = 0; a < axes.size(); ++a) {
    if (axes[a].value("kind", "grid") == "grid") grid_axes.push_back(a);
    else if (first_range == axes.size()) first_range = a;
  }
  const bool has_knee = !r["knee_axis"].is_null();
  const size_t x_axis = has_knee ? r["knee_axis"].get<size_t>() : (lhs ? first_range : 0);
  const std::string x_path = axes[x_axis]["path"];

  // Series: grid, one per combination of the other axes; hypercube, one per combination of
  // the grid axes (the other range axes are free). In order of first appearance.
  std::vector<Series> series;
  std::map<std::vector<std::string>, size_t> index;
  for (size_t p = 0; p < points.size(); ++p) {
    std::vector<std::string> key;
    std::string label;
    for (size_t a = 0; a < axes.size(); ++a) {
      if (a == x_axis) continue;
      if (lhs && axes[a].value("kind", "grid") != "grid") continue;
      key.push_back(points[p]["values"][a]);
      label += (label.empty() ? "" : ", ") + axes[a]["path"].get<std::string>() + "=" + key.back();
    }
    if (!index.count(key)) {
      index[key] = series.size();
      series.push_back({label.empty() ? (lhs ? "all points" : x_path) : label, {}});
    }
    series[index[key]].points.push_back(p);
  }
  // Marks per series: the knee (grid) or the safe limit (hypercube), from `knees` (same order).
  std::vector<std::string> marks(series.size());
  if (has_knee)
    for (const auto& k : r["knees"]) {
      auto it = index.find(k["others"].get<std::vector<std::string>>());
      if (it == index.end()) continue;
      const json& v = lhs ? k["safe_up_to"] : k["knee"];
      if (v.is_string() && k.value("reached", false)) marks[it->second] = v.get<std::string>();  // a limit was found
    }
  XAxis x = make_x(points, x_axis, axes[x_axis]);
  // Services with requests at some point (one without load has nothing to plot).
  std::vector<std::string> services;
  for (const auto& pt : points)
    for (const auto& [name, s] : pt["services"].items())
      if (s.value("requests_mean", 0.0) > 0 && std::find(services.begin(), services.end(), name) == services.end())
        services.push_back(name);

  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>mailsim sweep</title>\n";
  out += fmt::format("<style>{}</style>\n</head>\n<body>\n", kStyle);
  out += fmt::format("<h1>mailsim sweep: {} under {}</h1>\n", esc(r.value("topology", "")), esc(r.value("scenario", "")));
  std::string design = lhs ? fmt::format("Latin hypercube of {} points (seed {})", r["lhs"].value("points", 0),
                                         r["lhs"].value("seed", 0))
                           : "grid";
  out += fmt::format("<p class=\"sub\">mailsim {} · {}; {} point(s) × {} replication(s); SLO <code>{}</code></p>\n",
                     esc(r.value("version", "?")), esc(design), points.size(), r.value("reps", 1),
                     esc(r.value("slo", "").empty() ? "the scenario's expectations" : r.value("slo", "")));
  if (r.contains("command")) out += "<p><code>" + esc(r["command"].get<std::string>()) + "</code></p>\n";
  out += "<table>\n<tr><th>axis</th><th>document</th><th>values</th></tr>\n";
  for (const auto& a : axes) {
    std::string vals;
    if (a.value("kind", "grid") == "grid") {
      for (const auto& v : a["values"]) vals += (vals.empty() ? "" : ", ") + v.get<std::string>();
    } else {
      vals = fmt::format("{}{} .. {}{}{}{}", num_text(a["lo"].get<double>()), a.value("unit", ""), num_text(a["hi"].get<double>()),
                         a.value("unit", ""), a.value("log", false) ? ", log scale" : "", a.value("integer", false) ? ", integers" : "");
    }
    out += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n", esc(a["path"].get<std::string>()),
                       esc(a.value("document", "")), esc(vals));
  }
  out += "</table>\n";

  if (has_knee) {
    if (lhs) {
      out += fmt::format("<h2 id=\"knees\">Safe limit of <code>{}</code></h2>\n<p class=\"note\">The highest value such that every "
                         "sampled point at or below it holds the SLO, whatever the other range axes were (they are free over "
                         "their ranges). Sampled, not exhaustive: more points tighten it.</p>\n", esc(x_path));
      out += "<table>\n<tr><th>at</th><th>safe up to</th><th>first failure</th><th>highest passing point</th><th>passing</th></tr>\n";
      for (const auto& k : r["knees"]) {
        std::string at;
        for (const auto& o : k["others"]) at += (at.empty() ? "" : ", ") + o.get<std::string>();
        auto s = [](const json& v) { return v.is_string() ? v.get<std::string>() : std::string("-"); };
        out += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td>{}{}</td><td>{}</td><td class=\"n\">{} of {}</td></tr>\n",
                           esc(at.empty() ? "-" : at), esc(s(k["safe_up_to"])), esc(s(k["first_failure"])),
                           k.contains("why") ? esc(": " + k["why"].get<std::string>()) : "", esc(s(k["highest_pass"])),
                           k.value("passed", 0), k.value("points", 0));
      }
    } else {
      out += fmt::format("<h2 id=\"knees\">Knee of <code>{}</code></h2>\n<p class=\"note\">The last value before the first point "
                         "where the SLO fails, in the order given.</p>\n", esc(x_path));
      out += "<table>\n<tr><th>at</th><th>knee</th><th>throughput and what saturated</th><th>first failure</th></tr>\n";
      for (const auto& k : r["knees"]) {
        std::string at;
        for (const auto& o : k["others"]) at += (at.empty() ? "" : ", ") + o.get<std::string>();
        std::string knee = k["knee"].is_string() ? k["knee"].get<std::string>() : "none, the first value fails";
        if (!k["reached"].get<bool>()) knee = "not reached";
        const std::string detail = knee_detail(k, x_path);
        out += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>\n", esc(at.empty() ? "-" : at),
                           esc(knee), esc(detail.empty() ? "-" : detail),
                           k["first_failure"].is_string() ? esc(k["first_failure"].get<std::string>() + ": " + k.value("why", ""))
                                                          : "-");
      }
    }
    out += "</table>\n";
  }

  std::string legend = "<p class=\"legend\">";
  for (size_t k = 0; k < series.size(); ++k)
    legend += fmt::format("<span class=\"key s{}\"></span>{} ", k % kColours, esc(series[k].label));
  legend += "<span class=\"key fail\"></span>SLO fails</p>\n";
  const Metric metrics[] = {{"p99_ms_mean", "p99 latency (ms)", 1}, {"availability_mean", "availability (%)", 100}};
  for (const auto& svc : services) {
    out += fmt::format("<h2 id=\"svc-{0}\">{0}</h2>\n", esc(svc));
    for (const auto& m : metrics) {
      out += fmt::format("<h3>{}: {} against {}</h3>\n", esc(svc), esc(m.title), esc(x_path));
      out += chart(r, svc, m, x, x_path, series, !lhs, x_axis, marks, lhs ? "safe ≤" : "knee");
    }
    out += legend;
  }
  out += results_table(r, services);
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace mailsim::reports
