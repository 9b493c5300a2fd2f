#include "reports/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "reports/axis_ticks.hpp"
#include "reports/check_report.hpp"
#include "reports/durability_rows.hpp"
#include "reports/resource_lines.hpp"
#include "app/verdicts.hpp"
#include "reports/verdict_text.hpp"
#include "engine/event_catalogue.hpp"

namespace mailsim::reports {

namespace {

using nlohmann::json;

std::string esc(const std::string& s) { return xml_escape(s); }

std::string str(const json& obj, const char* key, const std::string& fallback = "") {
  if (obj.is_object() && obj.contains(key) && obj.at(key).is_string()) return obj.at(key).get<std::string>();
  return fallback;
}
double num(const json& obj, const char* key, double fallback = 0) {
  if (obj.is_object() && obj.contains(key) && obj.at(key).is_number()) return obj.at(key).get<double>();
  return fallback;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// ---- Fault windows, from the fault injector's events ---------------------------------

struct Window {
  double start = 0, end = 0;
  std::string label;
  bool open = true;  // not closed by the end of the run
};

std::string groups_text(const json& g) {
  std::string out;
  if (!g.is_array()) return out;
  for (const auto& side : g) {
    std::string s;
    if (side.is_array())
      for (const auto& n : side) s += (s.empty() ? "" : ",") + (n.is_string() ? n.get<std::string>() : n.dump());
    out += (out.empty() ? "" : " | ") + s;
  }
  return out;
}

// The catalogue's declaration of a run result's event, or nullptr (a kind this build does
// not know, e.g. from a newer mailsim: it is left out of the charts).
const engine::EventSpec* spec_of(const json& e) { return engine::find_event(str(e, "kind")); }

// Identifies one fault: its kind and the values of its scope fields (the end carries them).
std::string fault_key(const engine::EventSpec& fault, const json& e) {
  std::string key(fault.name);
  for (auto f : fault.scope) key += "/" + (e.contains(f) ? e.at(f).dump() : "");
  return key;
}

// What a fault hit, for its label: the partition's groups, or component@node.
std::string fault_target(const json& e) {
  if (e.contains("groups")) return groups_text(e.at("groups"));
  return (str(e, "component").empty() ? "" : str(e, "component") + "@") + str(e, "node");
}

// Pairs each fault's start event with the end event the catalogue names for it (crash and
// restart, stop and start, partition and heal, slowed and restored disk, degraded and
// restored link); a fault never ended lasts until the end of the run.
std::vector<Window> fault_windows(const json& run, double end) {
  std::vector<Window> out;
  std::map<std::string, size_t> open;  // fault_key -> index in out
  if (!run.contains("events") || !run.at("events").is_array()) return out;
  for (const auto& e : run.at("events")) {
    const engine::EventSpec* s = spec_of(e);
    if (s == nullptr) continue;
    if (s->cls == engine::EventClass::kFault) {
      std::string key = fault_key(*s, e);
      if (open.count(key)) continue;
      open[key] = out.size();
      out.push_back({num(e, "t_s"), end, std::string(s->label) + " " + fault_target(e), true});
    } else if (s->cls == engine::EventClass::kFaultEnd) {
      for (const auto& f : engine::event_catalogue()) {
        if (f.ends != s->kind) continue;
        if (auto it = open.find(fault_key(f, e)); it != open.end()) {
          out[it->second].end = num(e, "t_s");
          out[it->second].open = false;
          open.erase(it);
        }
      }
    }
  }
  return out;
}

// ---- Role holdings (VIP, leaders, writable primary, leases, serving store) -------------

struct Holding {
  std::string lane;  // "front_lb VIP @ lb-1"
  std::string holder;  // "front_lb VIP": the component and its role, one colour each
  double start, end;
  bool open;
};

// One lane per (component, role, node), from the catalogue's role kinds. A node holds a
// role while it holds it in at least one group (a Raft group, a range): a CockroachDB
// node's leases make one lane, not one per range. Overlapping bars on two lanes of one
// role are a split brain. A fault that drops roles (a node crash) ends whatever that node
// held; a role taken from a previous holder (a lease transfer) ends the previous holder's.
std::vector<Holding> holdings(const json& run, double end, std::vector<std::string>& lanes) {
  std::vector<Holding> out;
  std::map<std::string, std::set<std::string>> groups;  // lane -> groups held
  std::map<std::string, size_t> open;                   // lane -> index in out
  if (!run.contains("events") || !run.at("events").is_array()) return out;
  auto lose = [&](const std::string& lane, const std::string* group, double t) {
    auto g = groups.find(lane);
    if (g == groups.end()) return;
    if (group) g->second.erase(*group);
    else g->second.clear();
    if (!g->second.empty()) return;
    if (auto it = open.find(lane); it != open.end()) {
      out[it->second].end = t;
      out[it->second].open = false;
      open.erase(it);
    }
  };
  for (const auto& e : run.at("events")) {
    const engine::EventSpec* s = spec_of(e);
    if (s == nullptr) continue;
    const double t = num(e, "t_s");
    if (s->cls == engine::EventClass::kFault && s->drops_roles) {
      const std::string suffix = " @ " + str(e, "node");
      for (const auto& [lane, held] : groups)
        if (ends_with(lane, suffix)) lose(lane, nullptr, t);
      continue;
    }
    const bool taken = s->cls == engine::EventClass::kRoleTaken;
    if (!taken && s->cls != engine::EventClass::kRoleLost) continue;
    const std::string node = str(e, std::string(s->holder).c_str());
    if (node.empty()) continue;
    const std::string holder = str(e, "component") + " " + std::string(s->role);
    const std::string group = s->group.empty() ? "" : str(e, std::string(s->group).c_str());
    const std::string lane = holder + " @ " + node;
    if (!taken) {
      lose(lane, &group, t);
      continue;
    }
    if (!s->previous.empty()) {
      const std::string prev = str(e, std::string(s->previous).c_str());
      if (!prev.empty() && prev != node) lose(holder + " @ " + prev, &group, t);
    }
    if (std::find(lanes.begin(), lanes.end(), lane) == lanes.end()) lanes.push_back(lane);
    groups[lane].insert(group);
    if (!open.count(lane)) {
      open[lane] = out.size();
      out.push_back({lane, holder, t, end, true});
    }
  }
  // Lanes grouped by component and role, in order of first appearance.
  std::stable_sort(lanes.begin(), lanes.end(), [](const std::string& a, const std::string& b) {
    return a.substr(0, a.find(" @ ")) < b.substr(0, b.find(" @ "));
  });
  return out;
}

// ---- SVG charts -----------------------------------------------------------------------

constexpr double kWidth = 1040, kLeft = 64, kRight = 16, kTop = 26, kBottom = 34;

std::string fmt_num(double v) {
  if (v == 0) return "0";
  if (std::fabs(v) >= 1000 && std::fmod(v, 1000) == 0) return fmt::format("{}k", v / 1000);
  return fmt::format("{:g}", v);
}

struct Axes {
  double t0, t1, y0, y1;
  double height;
  bool log = false;
  double x(double t) const { return kLeft + (t - t0) / (t1 - t0) * (kWidth - kLeft - kRight); }
  double y(double v) const {
    double plot = height - kTop - kBottom;
    if (log) {
      double lv = std::log10(std::max(v, y0));
      return kTop + plot - (lv - std::log10(y0)) / (std::log10(y1) - std::log10(y0)) * plot;
    }
    return kTop + plot - (v - y0) / (y1 - y0) * plot;
  }
};

std::string svg_open(const Axes& a, const std::string& label) {
  return fmt::format("<svg class=\"chart\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\">\n",
                     kWidth, a.height, kWidth, a.height, esc(label));
}

// Shaded fault windows with their labels, drawn under the data.
std::string shade(const Axes& a, const std::vector<Window>& faults) {
  std::string out;
  double top = kTop, bottom = a.height - kBottom;
  int row = 0;
  for (const auto& f : faults) {
    double x0 = a.x(std::max(f.start, a.t0)), x1 = a.x(std::min(f.end, a.t1));
    if (x1 < x0) continue;
    out += fmt::format("<rect class=\"fault\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"><title>{} from {:g}s to {}</title></rect>\n",
                       x0, top, std::max(x1 - x0, 1.0), bottom - top, esc(f.label), f.start,
                       f.open ? std::string("the end") : fmt::format("{:g}s", f.end));
    out += fmt::format("<text class=\"fault-label\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", x0 + 3, top - 4 - 11.0 * (row % 2),
                       esc(f.label));
    ++row;
  }
  return out;
}

std::string x_axis(const Axes& a) {
  std::string out;
  double bottom = a.height - kBottom;
  double step = nice_step(a.t1 - a.t0, 10);
  for (double t = std::ceil(a.t0 / step) * step; t <= a.t1 + 1e-9; t += step) {
    double x = a.x(t);
    out += fmt::format("<line class=\"grid\" x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>\n", x, kTop, x, bottom);
    out += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", x, bottom + 14, fmt_num(t));
  }
  out += fmt::format("<text class=\"axis-label\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">simulated time (s)</text>\n",
                     kLeft + (kWidth - kLeft - kRight) / 2, a.height - 4);
  out += fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\"/>\n", kLeft, bottom, kWidth - kRight, bottom);
  return out;
}

std::string y_axis(const Axes& a, const std::string& label) {
  std::string out;
  std::vector<double> ticks;
  if (a.log) {
    for (double v = std::pow(10, std::ceil(std::log10(a.y0))); v <= a.y1 * 1.0001; v *= 10) ticks.push_back(v);
  } else {
    double step = nice_step(a.y1 - a.y0, 5);
    for (double v = a.y0; v <= a.y1 + 1e-9; v += step) ticks.push_back(v);
  }
  for (double v : ticks) {
    double y = a.y(v);
    out += fmt::format("<line class=\"grid\" x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\"/>\n", kLeft, y, kWidth - kRight, y);
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", kLeft - 6, y + 4, fmt_num(v));
  }
  out += fmt::format("<text class=\"axis-label\" transform=\"rotate(-90)\" x=\"{:.1f}\" y=\"14\" text-anchor=\"middle\">{}</text>\n",
                     -(kTop + (a.height - kTop - kBottom) / 2), esc(label));
  out += fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{:.1f}\"/>\n", kLeft, kTop, kLeft, a.height - kBottom);
  return out;
}

// A line through (t, v); points where `keep` is false break it (no data in that window).
std::string polyline(const Axes& a, const std::vector<double>& t, const std::vector<double>& v,
                     const std::vector<bool>& keep, const std::string& cls) {
  std::string out, pts;
  auto flush = [&] {
    if (!pts.empty()) out += fmt::format("<polyline class=\"{}\" points=\"{}\"/>\n", cls, pts);
    pts.clear();
  };
  for (size_t i = 0; i < t.size(); ++i) {
    if (!keep[i]) {
      flush();
      continue;
    }
    pts += fmt::format("{}{:.1f},{:.1f}", pts.empty() ? "" : " ", a.x(t[i]), a.y(v[i]));
  }
  flush();
  return out;
}

std::string legend(const std::vector<std::pair<std::string, std::string>>& items) {
  std::string out = "<p class=\"legend\">";
  for (const auto& [cls, label] : items) out += fmt::format("<span class=\"key {}\"></span>{} ", cls, esc(label));
  return out + "</p>\n";
}

std::vector<double> series(const json& s, const char* key) {
  std::vector<double> out;
  if (s.contains(key) && s.at(key).is_array())
    for (const auto& v : s.at(key)) out.push_back(v.is_number() ? v.get<double>() : 0);
  return out;
}

std::string rate_chart(const std::string& name, const json& svc, const std::vector<Window>& faults, double end) {
  const json& s = svc.at("series");
  double w = num(s, "window_s", 1);
  auto ok = series(s, "ok"), failed = series(s, "failed");
  failed.resize(ok.size(), 0);
  std::vector<double> t, okr, failr;
  double peak = 1;
  for (size_t i = 0; i < ok.size(); ++i) {
    t.push_back((static_cast<double>(i) + 0.5) * w);
    okr.push_back(ok[i] / w);
    failr.push_back(failed[i] / w);
    peak = std::max({peak, okr.back(), failr.back()});
  }
  Axes a{0, end, 0, 0, 240};
  double step = nice_step(peak * 1.1, 5);
  a.y1 = std::ceil(peak * 1.1 / step) * step;
  std::vector<bool> all(t.size(), true);
  std::string out = svg_open(a, name + ": ok and failed requests per second");
  out += shade(a, faults) + y_axis(a, "requests/s") + x_axis(a);
  out += polyline(a, t, okr, all, "ok-line") + polyline(a, t, failr, all, "err-line");
  return out + "</svg>\n";
}

std::string latency_chart(const std::string& name, const json& svc, const std::vector<Window>& faults, double end) {
  const json& s = svc.at("series");
  double w = num(s, "window_s", 1);
  auto mean = series(s, "latency_mean_ms"), mx = series(s, "latency_max_ms"), ok = series(s, "ok");
  mean.resize(ok.size(), 0);
  mx.resize(ok.size(), 0);
  std::vector<double> t;
  std::vector<bool> keep;
  double lo = 1e300, hi = 0;
  for (size_t i = 0; i < ok.size(); ++i) {
    t.push_back((static_cast<double>(i) + 0.5) * w);
    keep.push_back(ok[i] > 0 && mean[i] > 0);
    if (keep.back()) lo = std::min(lo, mean[i]), hi = std::max(hi, mx[i]);
  }
  if (hi <= 0) lo = 0.1, hi = 10;
  // Log scale: a failover's seconds-long SYN retransmissions and millisecond steady
  // state fit on one chart.
  Axes a{0, end, std::pow(10, std::floor(std::log10(lo))), std::pow(10, std::ceil(std::log10(hi * 1.01))), 240, true};
  if (a.y1 <= a.y0) a.y1 = a.y0 * 10;
  std::string out = svg_open(a, name + ": latency over time");
  out += shade(a, faults) + y_axis(a, "latency (ms, log)") + x_axis(a);
  out += polyline(a, t, mx, keep, "max-line") + polyline(a, t, mean, keep, "mean-line");
  return out + "</svg>\n";
}

std::string timeline_chart(const std::vector<Holding>& hs, const std::vector<std::string>& lanes,
                           const std::vector<Window>& faults, const json& run, double end) {
  const double lane_h = 26;
  Axes a{0, end, 0, 1, kTop + kBottom + lane_h * static_cast<double>(lanes.size()) + 8};
  std::string out = svg_open(a, "who held each role over time");
  out += shade(a, faults) + x_axis(a);
  std::vector<std::string> holders;  // "component role", one colour each
  for (const auto& l : lanes) {
    std::string c = l.substr(0, l.find(" @ "));
    if (std::find(holders.begin(), holders.end(), c) == holders.end()) holders.push_back(c);
  }
  for (size_t i = 0; i < lanes.size(); ++i) {
    double y = kTop + 4 + lane_h * static_cast<double>(i);
    out += fmt::format("<text class=\"lane\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", kLeft - 6,
                       y + lane_h / 2 + 1, esc(lanes[i].substr(lanes[i].find(" @ ") + 3)));
    out += fmt::format("<line class=\"grid\" x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\"/>\n", kLeft, y + lane_h - 2,
                       kWidth - kRight, y + lane_h - 2);
  }
  for (const auto& h : hs) {
    size_t i = static_cast<size_t>(std::find(lanes.begin(), lanes.end(), h.lane) - lanes.begin());
    size_t c = static_cast<size_t>(std::find(holders.begin(), holders.end(), h.holder) - holders.begin());
    double y = kTop + 4 + lane_h * static_cast<double>(i);
    double x0 = a.x(h.start), x1 = a.x(std::min(h.end, end));
    out += fmt::format("<rect class=\"hold c{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"><title>{} from {:g}s to {}</title></rect>\n",
                       c % 6, x0, y + 3, std::max(x1 - x0, 1.5), lane_h - 8, esc(h.lane), h.start,
                       h.open ? std::string("the end") : fmt::format("{:g}s", h.end));
    if (x1 - x0 > 60)
      out += fmt::format("<text class=\"hold-label\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", x0 + 4, y + lane_h / 2 + 1,
                         esc(h.holder));
  }
  // Failover intervals as brackets under the lanes of their component.
  if (run.contains("failovers") && run.at("failovers").is_array())
    for (const auto& f : run.at("failovers")) {
      double s = num(f, "start_s"), e = f.contains("end_s") && f.at("end_s").is_number() ? f.at("end_s").get<double>() : end;
      out += fmt::format("<rect class=\"failover\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{:.1f}\"><title>failover of {}: {:.3f}s</title></rect>\n",
                         a.x(s), kTop, std::max(a.x(e) - a.x(s), 1.5), lane_h * static_cast<double>(lanes.size()) + 4,
                         esc(str(f, "component")), e - s);
    }
  return out + "</svg>\n";
}

// ---- Tables ---------------------------------------------------------------------------

// ---- Topology diagram: one row per component, a box per node; nodes hit by a fault ----

std::string topology_svg(const json& layout, const std::vector<Window>& faults) {
  if (!layout.is_object() || !layout.contains("components")) return "";
  const json& comps = layout.at("components");
  const double row_h = 34, label_w = 230, box_w = 92, box_h = 22, gap = 8, top = 8;
  size_t widest = 1;
  for (const auto& c : comps) widest = std::max<size_t>(widest, c.value("nodes", json::array()).size());
  double width = std::max(kWidth, label_w + static_cast<double>(widest) * (box_w + gap) + 16);
  double height = top * 2 + row_h * static_cast<double>(comps.size());
  auto hit = [&faults](const std::string& node) {
    for (const auto& w : faults)
      if (w.label.find(" " + node + " ") != std::string::npos || ends_with(w.label, " " + node) ||
          w.label.find(" " + node + ",") != std::string::npos)
        return true;
    return false;
  };
  std::string out = fmt::format(
      "<svg class=\"chart topo\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\" aria-label=\"topology\">\n",
      width, height);
  double y = top;
  for (const auto& c : comps) {
    out += fmt::format("<text class=\"lane\" x=\"4\" y=\"{:.1f}\">{} <tspan class=\"tick\">({})</tspan></text>\n",
                       y + box_h * 0.72, esc(str(c, "name")), esc(str(c, "model")));
    double x = label_w;
    for (const auto& n : c.value("nodes", json::array())) {
      std::string name = n.is_string() ? n.get<std::string>() : n.dump();
      bool h = hit(name);
      out += fmt::format("<rect class=\"node{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{}\" height=\"{}\" rx=\"3\"><title>{}{}</title></rect>\n",
                         h ? " hit" : "", x, y, box_w, box_h, esc(name), h ? ": hit by a fault in this run" : "");
      out += fmt::format("<text class=\"node-label\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", x + box_w / 2, y + box_h * 0.7, esc(name));
      x += box_w + gap;
    }
    y += row_h;
  }
  return out + "</svg>\n";
}

std::string services_flow_html(const json& layout) {
  if (!layout.is_object() || !layout.contains("services")) return "";
  std::string out = "<p class=\"note\">";
  for (const auto& s : layout.at("services")) {
    std::string steps;
    for (const auto& st : s.value("steps", json::array())) steps += (steps.empty() ? "" : " → ") + esc(st.is_string() ? st.get<std::string>() : "");
    out += fmt::format("<b>{}</b>: clients → {}<br/>", esc(str(s, "name")), steps);
  }
  return out + "</p>\n";
}

std::string td(const std::string& s, const std::string& cls = "") {
  return cls.empty() ? "<td>" + esc(s) + "</td>" : "<td class=\"" + cls + "\">" + esc(s) + "</td>";
}

std::string summary_table_html(const json& run) {
  std::string out =
      "<table>\n<tr><th>service</th><th>requests</th><th>ok</th><th>failed</th><th>availability</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th><th>longest outage s</th><th>outages</th><th>failures</th></tr>\n";
  for (const auto& [name, s] : run.at("services").items()) {
    if (num(s, "requests") == 0) {  // no load, no figures: "100%" would read as a healthy service
      out += "<tr>" + td(name);
      for (int i = 0; i < 9; ++i) out += td("-", "n");
      out += td("no load") + "</tr>\n";
      continue;
    }
    json l = s.value("latency_ms", json::object());
    std::string causes;
    const json failures = s.value("failures", json::object());  // items() must not outlive it
    for (const auto& [c, n] : failures.items()) causes += fmt::format("{}{}={}", causes.empty() ? "" : " ", c, n.dump());
    double avail = num(s, "availability", 1);
    out += "<tr>" + td(name) + td(fmt::format("{}", num(s, "requests")), "n") + td(fmt::format("{}", num(s, "ok")), "n") +
           td(fmt::format("{}", num(s, "failed")), "n") +
           td(fmt::format("{:.4f}%", 100 * avail), avail < 1 ? "n warn" : "n") + td(fmt::format("{:.2f}", num(l, "p50")), "n") +
           td(fmt::format("{:.2f}", num(l, "p99")), "n") + td(fmt::format("{:.2f}", num(l, "max")), "n") +
           td(fmt::format("{:.3f}", num(s, "outage_max_s")), "n") +
           td(fmt::format("{}", s.contains("outages") ? s.at("outages").size() : 0), "n") + td(causes) + "</tr>\n";
  }
  return out + "</table>\n";
}

// Each service's incidents (docs/architecture.md#incidents): the bad stretches a reader
// must see first, where the outage list shows hundreds of fragments.
std::string incidents_html(const json& run) {
  std::string out =
      "<table>\n<tr><th>service</th><th>class</th><th>start s</th><th>end s</th><th>recovery</th><th>good</th><th>requests</th><th>failed</th><th>stalled</th></tr>\n";
  bool any = false;
  for (const auto& [name, s] : run.at("services").items())
    for (const auto& i : s.value("incidents", json::array())) {
      any = true;
      const std::string cls = str(i, "class");
      const std::string recovery = i.value("recovered", false) ? fmt::format("{:.1f} s", num(i, "time_to_recover_s"))
                                                                : std::string("not by the end");
      out += "<tr>" + td(name) + td(cls, cls == "down" ? "fail" : "warn") + td(fmt::format("{:.1f}", num(i, "start_s")), "n") +
             td(fmt::format("{:.1f}", num(i, "end_s")), "n") + td(recovery, "n") +
             td(fmt::format("{:.1f}%", 100 * num(i, "good_share")), "n") + td(fmt::format("{}", num(i, "requests")), "n") +
             td(fmt::format("{}", num(i, "failed")), "n") + td(fmt::format("{}", num(i, "stalled")), "n") + "</tr>\n";
    }
  if (!any) return "<p class=\"none\">No incident in this run.</p>\n";
  const json rules = run.at("manifest").value("incident_rules", json::object());
  return out + "</table>\n" +
         fmt::format("<p class=\"note\">An incident: windows with less than {:g}% good answers (ok and faster than {}), "
                     "joined across gaps under {}; <b>down</b> below {:g}% good, else degraded.</p>\n",
                     100 * num(rules, "min_success"), esc(str(rules, "stall")), esc(str(rules, "merge_gap")),
                     100 * num(rules, "down_below"));
}

// Mail per service with a message ledger: what was accepted, delayed, bounced, duplicated,
// still queued, and the acknowledged messages lost (the terminal summary's mail lines).
std::string mail_html(const json& run) {
  std::string out =
      "<table>\n<tr><th>service</th><th>accepted</th><th>after a retry</th><th>delayed</th><th>bounced</th><th>duplicates</th><th>queued at end</th><th>delivery p50 s</th><th>p99 s</th><th>max s</th><th>acknowledged lost</th></tr>\n";
  bool any = false;
  for (const auto& [name, s] : run.at("services").items()) {
    const double lost = num(s, "lost_acknowledged_messages");
    if (!s.contains("messages") && lost == 0) continue;
    any = true;
    const json m = s.value("messages", json::object());
    const json d = m.value("delivery_delay_s", json::object());
    const auto count = [&](const char* k) { return m.contains(k) ? td(fmt::format("{}", num(m, k)), "n") : td("-", "n"); };
    const auto secs = [&](const char* k) { return d.contains(k) ? td(fmt::format("{:.3f}", num(d, k)), "n") : td("-", "n"); };
    out += "<tr>" + td(name) + count("accepted") + count("accepted_after_retry") + count("deferred_messages") +
           count("bounced") + count("duplicates") + count("queued_at_end") + secs("p50") + secs("p99") + secs("max") +
           td(fmt::format("{}", lost), lost > 0 ? "n fail" : "n") + "</tr>\n";
  }
  if (!any) return "<p class=\"none\">No service in this run keeps a message ledger.</p>\n";
  return out + "</table>\n";
}

// The durability ledger per store (the terminal summary's durability lines).
std::string durability_html(const json& run) {
  const auto rows = durability_rows(run);
  if (rows.empty()) return "<p class=\"none\">No store in this run acknowledged a write.</p>\n";
  std::string out =
      "<table>\n<tr><th>store</th><th>holds</th><th>acknowledged</th><th>lost</th><th>lost ones acknowledged</th>"
      "<th>duplicated</th><th>still queued</th></tr>\n";
  for (const auto& r : rows)
    out += "<tr>" + td(r.store) + td(r.holds) + td(fmt::format("{}", r.acknowledged), "n") +
           td(fmt::format("{}", r.lost), r.lost > 0 ? "n fail" : "n") + td(r.lost_window) +
           td(fmt::format("{}", r.duplicated), "n") + td(fmt::format("{}", r.queued), "n") + "</tr>\n";
  return out + "</table>\n<p class=\"note\">Lost: acknowledged and on no surviving copy at the end of the run "
               "(a node down at the end counts as lost with its disk). The mail table's lost messages are the "
               "message stores' lost items.</p>\n";
}

std::string expectations_html(const json& run) {
  if (!run.contains("expectations") || run.at("expectations").empty())
    return "<p class=\"none\">The scenario has no expectations (add an <code>expect:</code> list).</p>\n";
  std::string out = "<table>\n<tr><th>verdict</th><th>expectation</th><th>measured</th></tr>\n";
  for (const auto& v : run.at("expectations")) {
    bool pass = v.value("pass", false);
    std::string measured = v.contains("measured") && v.at("measured").is_number()
                               ? format_measure(v.at("measured"), v.value("unit", ""))
                               : v.value("note", std::string("not measured"));
    out += "<tr>" + td(pass ? "PASS" : "FAIL", pass ? "pass" : "fail") + "<td><code>" + esc(v.value("text", "")) +
           "</code></td>" + td(measured) + "</tr>\n";
  }
  return out + "</table>\n";
}

std::string failovers_html(const json& run) {
  if (!run.contains("failovers") || run.at("failovers").empty()) return "<p class=\"none\">No failover in this run.</p>\n";
  std::string out = "<table>\n<tr><th>component</th><th>from</th><th>to</th><th>start s</th><th>end s</th><th>duration s</th><th>cause</th></tr>\n";
  for (const auto& f : run.at("failovers")) {
    bool done = f.contains("duration_s") && f.at("duration_s").is_number();
    out += "<tr>" + td(str(f, "component")) + td(str(f, "from")) + td(done ? str(f, "to") : "-") +
           td(fmt::format("{:.3f}", num(f, "start_s")), "n") + td(done ? fmt::format("{:.3f}", num(f, "end_s")) : "-", "n") +
           td(done ? fmt::format("{:.3f}", num(f, "duration_s")) : "not completed", done ? "n" : "n fail") + td(str(f, "cause")) +
           "</tr>\n";
  }
  return out + "</table>\n";
}

std::string outages_html(const json& run) {
  constexpr size_t kShown = 10;  // per service: the longest; the count says how many more
  std::string out = "<table>\n<tr><th>service</th><th>start s</th><th>end s</th><th>length s</th><th>failed requests</th></tr>\n";
  bool any = false;
  std::string notes;
  for (const auto& [name, s] : run.at("services").items()) {
    if (!s.contains("outages")) continue;
    std::vector<json> os(s.at("outages").begin(), s.at("outages").end());
    std::stable_sort(os.begin(), os.end(), [](const json& a, const json& b) {
      return num(a, "end_s") - num(a, "start_s") > num(b, "end_s") - num(b, "start_s");
    });
    for (size_t i = 0; i < os.size() && i < kShown; ++i) {
      any = true;
      out += "<tr>" + td(name) + td(fmt::format("{:.3f}", num(os[i], "start_s")), "n") +
             td(fmt::format("{:.3f}", num(os[i], "end_s")), "n") +
             td(fmt::format("{:.3f}", num(os[i], "end_s") - num(os[i], "start_s")), "n") +
             td(fmt::format("{}", num(os[i], "failed")), "n") + "</tr>\n";
    }
    size_t total = os.size() + static_cast<size_t>(num(s, "outages_dropped"));
    if (total > kShown)
      notes += fmt::format("<p class=\"note\">{}: the {} longest of {} outage intervals.</p>\n", esc(name), kShown, total);
  }
  if (!any) return "<p class=\"none\">No outage in this run.</p>\n";
  return out + "</table>\n" + notes;
}

// Invariant checks, when models report them (issue 3); their shapes are read leniently: a
// check is a count, a list, or an object with `violations`. Lost mail is shown once, in
// the Mail and Durability tables.
std::string checks_html(const json& run) {
  std::string out;
  if (!run.contains("checks")) return out;
  std::vector<std::pair<std::string, json>> checks;
  const json& c = run.at("checks");
  if (c.is_object())
    for (const auto& [name, v] : c.items()) checks.emplace_back(name, v);
  else if (c.is_array())
    for (const auto& v : c) checks.emplace_back(str(v, "name", str(v, "check")), v);
  out += "<table>\n<tr><th>check</th><th>violations</th></tr>\n";
  for (const auto& [name, v] : checks) {
    json n = v.is_object() && v.contains("violations") ? v.at("violations") : v;
    double count = n.is_number() ? n.get<double>() : n.is_array() ? static_cast<double>(n.size()) : -1;
    std::string text = count < 0 ? n.dump() : fmt::format("{}", count);
    out += "<tr>" + td(name) + td(text, count == 0 ? "n pass" : "n fail") + "</tr>\n";
  }
  return out + "</table>\n";
}

std::string faults_html(const std::vector<Window>& faults) {
  if (faults.empty()) return "<p class=\"none\">No fault was injected.</p>\n";
  std::string out = "<table>\n<tr><th>fault</th><th>from s</th><th>until s</th></tr>\n";
  for (const auto& f : faults)
    out += "<tr>" + td(f.label) + td(fmt::format("{:.3f}", f.start), "n") +
           td(f.open ? std::string("end of run") : fmt::format("{:.3f}", f.end), "n") + "</tr>\n";
  return out + "</table>\n";
}

std::string manifest_html(const json& run) {
  const json& m = run.at("manifest");
  json topo = m.value("topology", json::object()), scen = m.value("scenario", json::object()),
       eng = m.value("engine", json::object());
  std::string out = "<table class=\"kv\">\n";
  auto row = [&](const std::string& k, const std::string& v) { out += "<tr><th>" + esc(k) + "</th>" + td(v) + "</tr>\n"; };
  row("reproduce with", fmt::format("mailsim run {} {} --seed {}", str(topo, "file"), str(scen, "file"), m.value("seed", 0ull)));
  row("mailsim version", str(m, "version"));
  row("seed", fmt::format("{}", m.value("seed", 0ull)));
  row("topology", fmt::format("{} ({}, {} nodes)", str(topo, "name"), str(topo, "file"), num(topo, "nodes")));
  row("scenario", fmt::format("{} ({}, {:g}s)", str(scen, "name"), str(scen, "file"), num(scen, "duration_s")));
  row("engine", fmt::format("SimGrid {}, network model {}, stopped at {:g}s", str(eng, "simgrid"), str(eng, "network_model"),
                            num(eng, "end_s")));
  out += "</table>\n";
  if (m.contains("params") && m.at("params").is_object()) {
    out += "<table>\n<tr><th>component</th><th>param</th><th>value</th></tr>\n";
    for (const auto& [comp, params] : m.at("params").items()) {
      if (!params.is_object()) continue;
      for (const auto& [k, v] : params.items())
        out += "<tr>" + td(comp) + td(k) + "<td><code>" + esc(v.is_string() ? v.get<std::string>() : v.dump()) + "</code></td></tr>\n";
    }
    out += "</table>\n";
  }
  return out;
}

// ---- Resources (issue 15): the most loaded ones over time, and the bottleneck ----------

constexpr size_t kChartedResources = 5;  // lines on the utilisation chart (the palette's size)

std::string resources_chart(const std::vector<const json*>& top, const std::vector<Window>& faults, double end) {
  Axes a{0, end, 0, 100, 240};
  std::string out = svg_open(a, "utilisation of the most loaded resources");
  out += shade(a, faults) + y_axis(a, "utilisation (%)") + x_axis(a);
  for (size_t k = 0; k < top.size(); ++k) {
    const json& s = top[k]->at("series");
    const double w = num(s, "window_s", 1);
    auto util = series(s, "utilisation");
    std::vector<double> t, pct;
    for (size_t i = 0; i < util.size(); ++i) {
      t.push_back((static_cast<double>(i) + 0.5) * w);
      pct.push_back(100 * util[i]);
    }
    out += polyline(a, t, pct, std::vector<bool>(t.size(), true), fmt::format("r{}", k));
  }
  return out + "</svg>\n";
}

std::string resources_html(const json& run, const std::vector<Window>& faults, double end) {
  if (!run.contains("resources")) return "<p class=\"none\">This result has no resource accounting.</p>\n";
  const json& b = run.value("bottleneck", json());
  std::string out = b.is_null()
                        ? std::string("<p>Bottleneck: none (no resource reached 50% sustained utilisation).</p>\n")
                        : fmt::format("<p>Bottleneck: <b>{}</b> ({}) at {:.1f}% sustained ({:.1f}% peak), {:.1f}% mean "
                                      "utilisation.</p>\n",
                                      esc(str(b, "name")), esc(str(b, "kind")), 100 * sustained_of(b),
                                      100 * num(b, "peak_utilisation"), 100 * num(b, "utilisation"));
  std::vector<const json*> top;
  for (const auto& r : run.at("resources"))
    if (top.size() < kChartedResources && num(r, "peak_utilisation") > 0) top.push_back(&r);
  if (top.empty()) return out + "<p class=\"none\">No resource was used.</p>\n";
  std::vector<std::pair<std::string, std::string>> keys;
  for (size_t k = 0; k < top.size(); ++k) keys.emplace_back(fmt::format("r{}", k), str(*top[k], "name"));
  keys.emplace_back("fault", "fault window");
  out += legend(keys) + resources_chart(top, faults, end);
  out += "<table><tr><th>resource</th><th>kind</th><th>capacity</th><th>sustained</th><th>peak</th><th>mean</th>"
         "<th>mean queue</th>"
         "<th>max queue</th><th>mean wait</th><th>served</th></tr>\n";
  for (const json* r : top)
    out += "<tr>" + td(esc(str(*r, "name"))) + td(esc(str(*r, "kind"))) +
           td(fmt::format("{:g} {}", num(*r, "capacity"), esc(str(*r, "unit"))), "n") +
           td(fmt::format("{:.1f}%", 100 * sustained_of(*r)), "n") +
           td(fmt::format("{:.1f}%", 100 * num(*r, "peak_utilisation")), "n") +
           td(fmt::format("{:.1f}%", 100 * num(*r, "utilisation")), "n") + td(fmt::format("{:.2f}", num(*r, "mean_queue")), "n") +
           td(fmt::format("{:g}", num(*r, "max_queue")), "n") + td(fmt::format("{:.3f} ms", 1000 * num(*r, "mean_wait_s")), "n") +
           td(fmt::format("{:g}", num(*r, "served")), "n") + "</tr>\n";
  return out + "</table>\n";
}

const char* kStyle = R"(
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:24px 32px;color:#1d2330;background:#fff;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d5d9e0;padding-bottom:4px}
h3{font-size:14px;margin:14px 0 2px;color:#3a4356}
.sub{color:#5b6476;margin:0 0 8px;font-size:13px}
.verdict{display:inline-block;padding:3px 10px;border-radius:4px;font-weight:bold;font-size:13px}
.verdict.pass{background:#dff3e4;color:#17652f}.verdict.fail{background:#fbe0e0;color:#9b1c1c}.verdict.none{background:#eceff3;color:#3a4356}
table{border-collapse:collapse;font-size:12.5px;margin:4px 0 8px}
th,td{border:1px solid #d5d9e0;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f6;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.pass{color:#17652f;font-weight:bold}td.fail{color:#9b1c1c;font-weight:bold}td.warn{color:#8a5a00}
table.kv th{width:150px}
code{font-family:"DejaVu Sans Mono",monospace;font-size:12px}
.none,.note{color:#5b6476;font-size:13px}
svg.chart{display:block;margin:2px 0 6px;font-size:11px}
svg .grid{stroke:#e6e9ee;stroke-width:1}svg .axis{stroke:#8a93a3;stroke-width:1}
svg .tick{fill:#5b6476}svg .axis-label{fill:#3a4356;font-size:11px}
svg .fault{fill:#f5a623;fill-opacity:0.18;stroke:#e0901a;stroke-opacity:0.5}
svg .fault-label{fill:#a5650c;font-size:10.5px}
svg .failover{fill:#d0021b;fill-opacity:0.10;stroke:#d0021b;stroke-opacity:0.45;stroke-dasharray:3 2}
svg polyline{fill:none;stroke-width:1.6;stroke-linejoin:round}
svg .ok-line{stroke:#2e8b57}svg .err-line{stroke:#d0021b}
svg .mean-line{stroke:#2f6fd6}svg .max-line{stroke:#9b59b6;stroke-width:1.1;stroke-opacity:0.8}
svg .lane{fill:#1d2330;font-size:11.5px}svg .hold-label{fill:#fff;font-size:10.5px}
svg .hold{stroke:none}svg .c0{fill:#2f6fd6}svg .c1{fill:#2e8b57}svg .c2{fill:#8e44ad}svg .c3{fill:#c0392b}svg .c4{fill:#d68910}svg .c5{fill:#16a085}
svg .node{fill:#eef2f8;stroke:#8a93a3}svg .node.hit{fill:#fde8e8;stroke:#d0021b;stroke-width:1.6}
svg .node-label{fill:#1d2330;font-size:11px;text-anchor:middle}
.legend{font-size:12px;color:#3a4356;margin:2px 0}
.key{display:inline-block;width:18px;height:0;border-top:3px solid;margin:0 5px 3px 10px;vertical-align:middle}
.key.ok-line{border-color:#2e8b57}.key.err-line{border-color:#d0021b}.key.mean-line{border-color:#2f6fd6}.key.max-line{border-color:#9b59b6}
svg .r0{stroke:#2f6fd6}svg .r1{stroke:#2e8b57}svg .r2{stroke:#8e44ad}svg .r3{stroke:#c0392b}svg .r4{stroke:#d68910}
.key.r0{border-color:#2f6fd6}.key.r1{border-color:#2e8b57}.key.r2{border-color:#8e44ad}.key.r3{border-color:#c0392b}.key.r4{border-color:#d68910}
.key.fault{border:0;height:10px;background:#f5a623;opacity:0.45}.key.failover{border:1px dashed #d0021b;height:8px;background:#fbe6e8}
)";

}  // namespace

std::string html_report(const json& run) {
  const json& m = run.at("manifest");
  std::string topo = str(m.value("topology", json::object()), "name"), scen = str(m.value("scenario", json::object()), "name");
  double end = num(m.value("engine", json::object()), "end_s", num(m.value("scenario", json::object()), "duration_s", 1));
  if (end <= 0) end = 1;
  auto faults = fault_windows(run, end);
  std::vector<std::string> lanes;
  auto holds = holdings(run, end, lanes);

  size_t failed = app::failed_expectations(run), total = run.contains("expectations") ? run.at("expectations").size() : 0;
  std::string verdict = total == 0 ? "<span class=\"verdict none\">no expectations</span>"
                        : failed == 0 ? fmt::format("<span class=\"verdict pass\">all {} expectations passed</span>", total)
                                      : fmt::format("<span class=\"verdict fail\">{} of {} expectations failed</span>", failed, total);

  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  out += fmt::format("<title>mailsim: {} under {}</title>\n<style>{}</style>\n</head>\n<body>\n", esc(topo), esc(scen), kStyle);
  out += fmt::format("<h1>{} under {}</h1>\n", esc(topo), esc(scen));
  out += fmt::format("<p class=\"sub\">mailsim {} · seed {} · {:g}s simulated · <code>mailsim run {} {} --seed {}</code></p>\n",
                     esc(str(m, "version")), m.value("seed", 0ull), num(m.value("scenario", json::object()), "duration_s"),
                     esc(str(m.value("topology", json::object()), "file")), esc(str(m.value("scenario", json::object()), "file")),
                     m.value("seed", 0ull));
  out += "<p>" + verdict + "</p>\n";
  out += "<h2 id=\"summary\">Summary</h2>\n" + summary_table_html(run);
  const json layout = m.value("topology", json::object()).value("layout", json());
  if (std::string topo_svg = topology_svg(layout, faults); !topo_svg.empty())
    out += "<h2 id=\"topology\">Topology</h2>\n" + topo_svg + services_flow_html(layout);
  out += "<h2 id=\"expectations\">Expectations</h2>\n" + expectations_html(run);
  out += "<h2 id=\"incidents\">Incidents</h2>\n" + incidents_html(run);
  out += "<h2 id=\"mail\">Mail</h2>\n" + mail_html(run);
  out += "<h2 id=\"durability\">Durability</h2>\n" + durability_html(run);

  out += "<h2 id=\"rates\">Success and errors over time</h2>\n";
  out += legend({{"ok-line", "ok/s"}, {"err-line", "failed/s"}, {"fault", "fault window"}});
  for (const auto& [name, svc] : run.at("services").items()) {
    if (!svc.contains("series") || num(svc, "requests") == 0) continue;  // an idle service: no chart
    out += fmt::format("<h3>{}</h3>\n", esc(name)) + rate_chart(name, svc, faults, end);
  }
  out += "<h2 id=\"latency\">Latency over time</h2>\n";
  out += legend({{"mean-line", "mean (ok requests)"}, {"max-line", "max"}, {"fault", "fault window"}});
  for (const auto& [name, svc] : run.at("services").items()) {
    if (!svc.contains("series") || num(svc, "requests") == 0) continue;  // an idle service: no chart
    out += fmt::format("<h3>{}</h3>\n", esc(name)) + latency_chart(name, svc, faults, end);
  }
  out += "<h2 id=\"resources\">Resources</h2>\n" + resources_html(run, faults, end);
  out += "<h2 id=\"timeline\">Failover timeline</h2>\n";
  if (lanes.empty()) {
    out += "<p class=\"none\">No model reported a role holder (VIP, leader) in this run.</p>\n";
  } else {
    out += legend({{"fault", "fault window"}, {"failover", "failover in progress"}});
    out += "<p class=\"note\">One lane per component, role and node: a bar while that node holds the role (the VIP, a Raft leadership, the writable primary, CockroachDB range leases, the serving NFS store). Two bars of a one-holder role at once (a VIP, a writable primary) are a split brain; CockroachDB spreads the leases and leaderships of its ranges over its nodes.</p>\n";
    out += timeline_chart(holds, lanes, faults, run, end);
  }
  out += "<h2 id=\"failovers\">Failovers</h2>\n" + failovers_html(run);
  out += "<h2 id=\"outages\">Outages</h2>\n" + outages_html(run);
  out += "<h2 id=\"faults\">Faults</h2>\n" + faults_html(faults);
  if (std::string checks = checks_html(run); !checks.empty()) out += "<h2 id=\"checks\">Checks</h2>\n" + checks;
  out += "<h2 id=\"manifest\">Manifest</h2>\n" + manifest_html(run);
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace mailsim::reports
