#include "reports/capacity_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "reports/check_report.hpp"
#include "reports/quantity_text.hpp"

namespace mailsim::reports {

namespace {

using json = nlohmann::json;

std::string si(double v) { return si_text(v); }

std::string pct(const json& v) { return v.is_number() ? fmt::format("{:.1f}%", 100 * v.get<double>()) : "-"; }

// "628k mailboxes (9.42k requests/s)", with the bound's meaning.
std::string knee_text(const json& k) {
  if (k["bound"] == "below")
    return fmt::format("below {} (the smallest point simulated fails)", mailboxes_text(k["first_failure"].get<double>()));
  std::string t = fmt::format("{} ({})", mailboxes_text(k["mailboxes"].get<double>()), rps_text(k["rps"].get<double>()));
  if (k["bound"] == "at_least") t = "at least " + t + " (every point simulated passes)";
  return t;
}

std::string bottleneck_text(const json& b) {
  if (b.is_null()) return "-";
  std::string t = b.value("name", std::string("?"));
  if (b.contains("peak_utilisation") && b["peak_utilisation"].is_number())
    t += fmt::format(", peak {:.0f}%", 100 * b["peak_utilisation"].get<double>());
  return t + " (" + b.value("source", std::string()) + ")";
}

std::string headroom_text(const json& h) {
  if (!h.contains("extra_fraction")) return "unknown (no passing point)";
  const double f = h["extra_fraction"].get<double>();
  return fmt::format("{}{:+.0f}% ({:+} mailboxes) at {}", h.value("bound", "") == "at_least" ? "at least " : "", 100 * f,
                     std::llround(h["extra_mailboxes"].get<double>()), mailboxes_text(h["at_mailboxes"].get<double>()));
}

}  // namespace

std::string capacity_text(const json& doc) {
  std::string out;
  for (const auto& t : doc["topologies"]) {
    const auto& p = t["prediction"];
    out += fmt::format("{}  ({})\n", t["topology"].get<std::string>(), t["file"].get<std::string>());
    out += fmt::format("  knee (simulated):   {}\n", knee_text(t["knee"]));
    out += fmt::format("  predicted (laws):   {} ({}), bottleneck {}\n", mailboxes_text(p["saturation_mailboxes"].get<double>()),
                       rps_text(p["saturation_rps"].get<double>()), p["bottleneck"].is_null() ? "-" : p["bottleneck"].get<std::string>());
    out += fmt::format("  limited by:         {}\n", bottleneck_text(t["bottleneck"]));
    out += fmt::format("  headroom:           {}\n", headroom_text(t["headroom"]));
    out += fmt::format("  standard load:      {} ({}){}\n", mailboxes_text(t["standard"]["mailboxes"].get<double>()),
                       rps_text(t["standard"]["rps"].get<double>()),
                       t["standard"].contains("slo") && !t["standard"]["slo"].get<bool>()
                           ? ": SLO FAILS: " + t["standard"].value("why", std::string()) : "");
    std::string tiers;
    for (const auto& row : t["tiers"]) {
      std::string comps;
      for (const auto& c : row["components"]) comps += (comps.empty() ? "" : "+") + c.get<std::string>();
      tiers += fmt::format("    {:<16} {:<28} cpu {:>6} predicted, {:>6} simulated\n", row["node"].get<std::string>(), comps,
                           pct(row["predicted"]), pct(row["simulated"]));
    }
    if (!tiers.empty()) out += "  utilisation at the standard load:\n" + tiers;
    for (const auto& pt : t["points"])
      out += fmt::format("    point {:>18}: {}{}\n", mailboxes_text(pt["mailboxes"].get<double>()),
                         pt["slo"].get<bool>() ? "ok" : (pt.contains("overloaded") ? "OVERLOADED" : "FAIL"),
                         pt["slo"].get<bool>() ? "" : ": " + pt.value("why", std::string()));
  }
  return out;
}

std::string capacity_markdown(const json& doc) {
  std::string out = "# Capacity\n\n";
  out += fmt::format("Scenario `{}`, SLO: the scenario's `expect:` and `{}`; points of {:g} s of simulated time.\n\n",
                     doc["scenario"].get<std::string>(), doc["slo"].get<std::string>(), doc["point_duration_s"].get<double>());
  out += "| topology | knee (simulated) | predicted by operational laws | limited by | headroom |\n|---|---|---|---|---|\n";
  for (const auto& t : doc["topologies"])
    out += fmt::format("| {} | {} | {} ({}) | {} | {} |\n", t["topology"].get<std::string>(), knee_text(t["knee"]),
                       mailboxes_text(t["prediction"]["saturation_mailboxes"].get<double>()),
                       t["prediction"]["bottleneck"].is_null() ? "-" : t["prediction"]["bottleneck"].get<std::string>(),
                       bottleneck_text(t["bottleneck"]), headroom_text(t["headroom"]));
  for (const auto& t : doc["topologies"]) {
    out += fmt::format("\n## {}\n\nUtilisation at the standard load ({}, {}):\n\n| node | components | CPU predicted | CPU simulated |\n|---|---|---|---|\n",
                       t["topology"].get<std::string>(), mailboxes_text(t["standard"]["mailboxes"].get<double>()),
                       rps_text(t["standard"]["rps"].get<double>()));
    for (const auto& row : t["tiers"]) {
      std::string comps;
      for (const auto& c : row["components"]) comps += (comps.empty() ? "" : ", ") + c.get<std::string>();
      out += fmt::format("| {} | {} | {} | {} |\n", row["node"].get<std::string>(), comps, pct(row["predicted"]), pct(row["simulated"]));
    }
    out += "\nSimulated points:\n\n| mailboxes | requests/s | verdict |\n|---|---|---|\n";
    for (const auto& pt : t["points"])
      out += fmt::format("| {} | {} | {} |\n", si(pt["mailboxes"].get<double>()), si(pt["rps"].get<double>()),
                         pt["slo"].get<bool>() ? "ok" : (pt.contains("overloaded") ? "overloaded" : "FAIL: " + pt.value("why", std::string())));
  }
  return out;
}

namespace {

// Horizontal bars: per resource, predicted (outline) and simulated (filled) utilisation.
std::string utilisation_chart(const json& rows) {
  const size_t n = std::min<size_t>(rows.size(), 10);
  if (n == 0) return "<p>No resource is loaded.</p>\n";
  const double w = 700, left = 180, bar = 22, gap = 8, h = 30 + static_cast<double>(n) * (bar + gap);
  // 30 px past the scale's end, so that the last tick's "100%" is not clipped.
  std::string s = fmt::format("<svg width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"utilisation\">\n", w + 30, h);
  for (int t = 0; t <= 4; ++t) {
    const double x = left + (w - left - 20) * t / 4.0;
    s += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"10\" y2=\"{1:.1f}\" class=\"grid\"/><text x=\"{0:.1f}\" y=\"{2:.1f}\" "
                     "class=\"tick\">{3}%</text>\n", x, h - 15, h - 2, t * 25);
  }
  for (size_t i = 0; i < n; ++i) {
    const auto& r = rows[i];
    const double y = 10 + static_cast<double>(i) * (bar + gap);
    const double pw = (w - left - 20) * std::min(1.0, r["predicted"].get<double>());
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"label\">{}</text>\n", left - 6, y + bar * 0.7,
                     xml_escape(r["name"].get<std::string>()));
    if (r["simulated"].is_number())
      s += fmt::format("<rect class=\"sim\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"/>\n", left, y,
                       (w - left - 20) * std::min(1.0, r["simulated"].get<double>()), bar);
    s += fmt::format("<rect class=\"pred\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"/>\n", left, y, pw, bar);
  }
  return s + "</svg>\n";
}

// p99 (the worst service) against the population, the knee marked.
std::string points_chart(const json& t) {
  const auto& pts = t["points"];
  if (pts.empty()) return "";
  double x1 = 0, y1 = 1;
  // The worst service's p99 of a point (0 when none answered).
  auto worst_p99 = [](const json& p) {
    double worst = 0;
    const json p99 = p.value("p99_ms", json::object());
    for (const auto& [svc, v] : p99.items()) worst = std::max(worst, v.get<double>());
    return worst;
  };
  for (const auto& p : pts) {
    x1 = std::max(x1, p["mailboxes"].get<double>());
    y1 = std::max(y1, worst_p99(p));
  }
  const double w = 700, h = 260, left = 60, bottom = 30;
  auto X = [&](double v) { return left + (w - left - 20) * v / (x1 * 1.05); };
  auto Y = [&](double v) { return (h - bottom) - (h - bottom - 10) * v / (y1 * 1.1); };
  std::string s = fmt::format("<svg width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"p99 against mailboxes\">\n", w, h);
  s += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" class=\"axis\"/><line x1=\"{0}\" x2=\"{0}\" y1=\"10\" "
                   "y2=\"{2}\" class=\"axis\"/>\n", left, w - 20, h - bottom);
  s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\">{}</text><text x=\"{}\" y=\"{}\" class=\"tick\">{}</text>\n", left,
                   h - 8, "0", w - 90, h - 8, mailboxes_text(x1));
  s += fmt::format("<text x=\"4\" y=\"16\" class=\"tick\">p99 {:.0f} ms</text>\n", y1);
  for (const auto& p : pts) {
    const double worst = worst_p99(p);
    s += fmt::format("<circle class=\"pt {}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\"><title>{}: {}</title></circle>\n",
                     p["slo"].get<bool>() ? "pass" : "fail", X(p["mailboxes"].get<double>()), Y(worst),
                     mailboxes_text(p["mailboxes"].get<double>()), p["slo"].get<bool>() ? "ok" : xml_escape(p.value("why", std::string())));
  }
  if (t["knee"]["mailboxes"].is_number())
    s += fmt::format("<line class=\"knee\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"10\" y2=\"{1}\"/>\n",
                     X(t["knee"]["mailboxes"].get<double>()), h - bottom);
  s += fmt::format("<line class=\"pred\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"10\" y2=\"{1}\"/>\n",
                   X(std::min(x1 * 1.05, t["prediction"]["saturation_mailboxes"].get<double>())), h - bottom);
  return s + "</svg>\n";
}

}  // namespace

std::string capacity_html(const json& doc) {
  std::string out = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>mailsim capacity</title>
<style>
body{font-family:sans-serif;max-width:60em;margin:1em auto;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}
.grid{stroke:#eee}.axis{stroke:#888}.tick,.label{font-size:11px;fill:#555}.label{text-anchor:end}
rect.sim{fill:#4a7ab5}rect.pred{fill:none;stroke:#d0802a;stroke-width:2}
circle.pass{fill:#3a3}circle.fail{fill:#c33}line.knee{stroke:#3a3;stroke-dasharray:4}line.pred{stroke:#d0802a;stroke-dasharray:2}
</style></head><body>
<h1>Capacity</h1>
)";
  // The Markdown's summary table, as HTML.
  out += fmt::format("<p>Scenario <code>{}</code>; SLO: the scenario's <code>expect:</code> and <code>{}</code>; simulated points of {:g} s.</p>\n",
                     xml_escape(doc["scenario"].get<std::string>()), xml_escape(doc["slo"].get<std::string>()),
                     doc["point_duration_s"].get<double>());
  out += "<table><tr><th>topology</th><th>knee (simulated)</th><th>predicted</th><th>limited by</th><th>headroom</th></tr>\n";
  for (const auto& t : doc["topologies"])
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", xml_escape(t["topology"].get<std::string>()),
                       xml_escape(knee_text(t["knee"])), mailboxes_text(t["prediction"]["saturation_mailboxes"].get<double>()),
                       xml_escape(bottleneck_text(t["bottleneck"])), xml_escape(headroom_text(t["headroom"])));
  out += "</table>\n";
  for (const auto& t : doc["topologies"]) {
    out += fmt::format("<h2>{}</h2>\n<h3>Utilisation at the standard load</h3>\n<p>Orange outline: predicted by operational "
                       "laws; blue: simulated (where the run accounts for the resource).</p>\n",
                       xml_escape(t["topology"].get<std::string>()));
    out += utilisation_chart(t["utilisation"]);
    out += "<h3>Worst p99 against the population</h3>\n<p>Green: the SLO holds; red: it fails; dashed green: the knee; "
           "dotted orange: the predicted saturation.</p>\n";
    out += points_chart(t);
  }
  return out + "</body></html>\n";
}

}  // namespace mailsim::reports
