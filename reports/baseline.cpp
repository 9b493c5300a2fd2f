#include "reports/baseline.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "config/yaml_reader.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

namespace mailsim::reports {

namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& msg) { throw core::InputError({"<command line>", 0, 0}, msg); }

std::string secs(double s) { return s < 1 ? fmt::format("{:.6g}ms", s * 1000) : fmt::format("{:.6g}s", s); }

Rise parse_rise(const std::string& key, const std::string& value) {
  if (!value.empty() && value.back() == '%') {
    // A relative rise may exceed 100% (p99=150%: up to 2.5 times the baseline).
    double pct = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size() - 1, pct);
    if (ec != std::errc() || p != value.data() + value.size() - 1 || !std::isfinite(pct) || pct < 0)
      bad(fmt::format("--tolerance {}={}: give a relative rise like 10% or a duration like 50ms", key, value));
    return {pct / 100, 0};
  }
  try {
    return {0, core::parse_duration(value).seconds};
  } catch (const core::UnitError&) {
    bad(fmt::format("--tolerance {}={}: give a relative rise like 10% or a duration like 50ms", key, value));
  }
}

std::optional<double> num(const json& obj, const char* key) {
  if (obj.is_object() && obj.contains(key) && obj.at(key).is_number()) return obj.at(key).get<double>();
  return std::nullopt;
}

double allowed(const Rise& r, double old) { return std::max(old * r.relative, r.absolute_s); }

// The longest completed failover per component, and whether one did not complete.
struct FailoverSummary {
  double longest = 0;
  bool incomplete = false;
  int count = 0;
};
std::map<std::string, FailoverSummary> failovers(const json& run) {
  std::map<std::string, FailoverSummary> out;
  if (!run.contains("failovers") || !run.at("failovers").is_array()) return out;
  for (const auto& f : run.at("failovers")) {
    auto& s = out[f.value("component", "")];
    ++s.count;
    if (f.contains("duration_s") && f.at("duration_s").is_number())
      s.longest = std::max(s.longest, f.at("duration_s").get<double>());
    else
      s.incomplete = true;
  }
  return out;
}

std::optional<double> lost(const json& obj) {
  if (!obj.is_object() || !obj.contains("lost_acknowledged_messages")) return std::nullopt;
  const json& v = obj.at("lost_acknowledged_messages");
  if (v.is_number()) return v.get<double>();
  if (v.is_object()) return num(v, "total");
  return std::nullopt;
}

}  // namespace

void set_tolerance(Tolerances& t, const std::string& spec) {
  auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    bad(fmt::format("--tolerance '{}': write KEY=VALUE, e.g. p99=10% or availability=0.1%", spec));
  std::string key = spec.substr(0, eq), value = spec.substr(eq + 1);
  if (key == "availability") {
    try {
      // Percentage points: "0.1%" is a drop from 99.9% to 99.8%.
      t.availability_drop = core::parse_fraction(value).value;
    } catch (const core::UnitError& e) {
      bad(fmt::format("--tolerance availability: {}", e.message));
    }
  } else if (key == "p99") {
    t.p99 = parse_rise(key, value);
  } else if (key == "outage_max") {
    t.outage_max = parse_rise(key, value);
  } else if (key == "failover_time") {
    t.failover_time = parse_rise(key, value);
  } else if (key == "lost_acknowledged_messages") {
    try {
      t.lost_messages = std::stod(value);
    } catch (const std::exception&) {
      bad(fmt::format("--tolerance lost_acknowledged_messages={}: give a count", value));
    }
  } else {
    bad(fmt::format("--tolerance: unknown key '{}'{}", key,
                    core::did_you_mean(key, {"availability", "p99", "outage_max", "failover_time",
                                             "lost_acknowledged_messages"})));
  }
}

std::vector<Regression> compare_with_baseline(const json& old_run, const json& new_run, const Tolerances& t) {
  std::vector<Regression> out;
  const json empty = json::object();
  const json& old_s = old_run.contains("services") ? old_run.at("services") : empty;
  const json& new_s = new_run.contains("services") ? new_run.at("services") : empty;
  for (const auto& [name, o] : old_s.items()) {
    if (!new_s.contains(name)) {
      out.push_back({fmt::format("service {}", name), "in the baseline, not in this run"});
      continue;
    }
    const json& n = new_s.at(name);
    auto oa = num(o, "availability"), na = num(n, "availability");
    if (oa && na && *oa - *na > t.availability_drop + 1e-12)
      out.push_back({fmt::format("availability({})", name),
                     fmt::format("{:.4f}% -> {:.4f}% (down {:.4f} points; tolerance {:.4f})", 100 * *oa, 100 * *na,
                                 100 * (*oa - *na), 100 * t.availability_drop)});
    // p99 is compared only where both runs had ok requests (a latency exists).
    if (o.contains("latency_ms") && n.contains("latency_ms") && num(o, "ok").value_or(0) > 0 && num(n, "ok").value_or(0) > 0) {
      auto op = num(o.at("latency_ms"), "p99"), np = num(n.at("latency_ms"), "p99");
      if (op && np && (*np - *op) / 1000 > allowed(t.p99, *op / 1000))
        out.push_back({fmt::format("p99({})", name),
                       fmt::format("{} -> {} (tolerance +{})", secs(*op / 1000), secs(*np / 1000),
                                   secs(allowed(t.p99, *op / 1000)))});
    }
    auto oo = num(o, "outage_max_s"), no = num(n, "outage_max_s");
    if (oo && no && *no - *oo > allowed(t.outage_max, *oo))
      out.push_back({fmt::format("outage_max({})", name),
                     fmt::format("{} -> {} (tolerance +{})", secs(*oo), secs(*no), secs(allowed(t.outage_max, *oo)))});
    auto ol = lost(o), nl = lost(n);
    if (nl && *nl - ol.value_or(0) > t.lost_messages)
      out.push_back({fmt::format("lost_acknowledged_messages({})", name), fmt::format("{} -> {}", ol.value_or(0), *nl)});
  }
  auto ol = lost(old_run), nl = lost(new_run);
  if (nl && *nl - ol.value_or(0) > t.lost_messages)
    out.push_back({"lost_acknowledged_messages", fmt::format("{} -> {}", ol.value_or(0), *nl)});
  auto of = failovers(old_run), nf = failovers(new_run);
  for (const auto& [comp, o] : of) {
    auto it = nf.find(comp);
    if (it == nf.end()) {
      out.push_back({fmt::format("failovers({})", comp), fmt::format("{} in the baseline, none in this run", o.count)});
      continue;
    }
    const auto& n = it->second;
    if (n.incomplete && !o.incomplete)
      out.push_back({fmt::format("failover_time({})", comp), "a failover no longer completes by the end of the run"});
    else if (n.longest - o.longest > allowed(t.failover_time, o.longest))
      out.push_back({fmt::format("failover_time({})", comp),
                     fmt::format("{} -> {} (tolerance +{})", secs(o.longest), secs(n.longest),
                                 secs(allowed(t.failover_time, o.longest)))});
  }
  return out;
}

nlohmann::json read_baseline(const std::string& file) {
  nlohmann::json baseline = nlohmann::json::parse(config::read_text_file(file), nullptr, false);
  if (baseline.is_discarded() || !baseline.is_object() || !baseline.contains("services"))
    throw core::InputError({file, 0, 0}, "not a mailsim run result (JSON with 'services')");
  return baseline;
}

std::string regressions_text(const std::vector<Regression>& regressions, const std::string& file, bool quiet) {
  if (regressions.empty()) return quiet ? "" : fmt::format("no regression against {}\n", file);
  std::string out = fmt::format("regressions against {}:\n", file);
  for (const auto& r : regressions) out += fmt::format("  {:<28} {}\n", r.what, r.detail);
  return out;
}

}  // namespace mailsim::reports
