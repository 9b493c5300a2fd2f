#include "app/verdicts.hpp"

#include <fmt/format.h>

#include <optional>
#include <set>

namespace mailsim::app {

namespace {

using nlohmann::json;

std::string unit_name(config::MetricUnit u) {
  switch (u) {
    case config::MetricUnit::kFraction: return "fraction";
    case config::MetricUnit::kSeconds: return "s";
    case config::MetricUnit::kCount: return "count";
  }
  return "";
}

struct Measure {
  std::optional<double> value;
  std::string note;  // why there is no value
};

Measure missing(std::string why) { return {std::nullopt, std::move(why)}; }

// A number, or the length of a list, or the `violations`/`count`/`total` of an object:
// the shapes a count may take in results written by other models' checkers.
std::optional<double> count_of(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_array()) return static_cast<double>(v.size());
  if (v.is_object())
    for (const char* k : {"violations", "count", "total"})
      if (v.contains(k)) return count_of(v.at(k));
  return std::nullopt;
}

// The value of `e`'s metric in `run`, for the service or component `s` (its subject, or,
// for an expectation over every service, one service at a time).
Measure measure(const config::Expectation& e, const std::string& s, const json& run) {
  const std::string& m = e.metric;
  auto service = [&]() -> const json* {
    if (!run.contains("services") || !run.at("services").contains(s)) return nullptr;
    return &run.at("services").at(s);
  };
  auto number = [](const json& obj, const char* key) -> std::optional<double> {
    if (obj.is_object() && obj.contains(key) && obj.at(key).is_number()) return obj.at(key).get<double>();
    return std::nullopt;
  };
  if (m == "availability" || m == "error_rate" || m == "requests" || m == "ok" || m == "failed" ||
      m == "outage_max" || m == "outages" || m[0] == 'p' || m == "latency_mean" || m == "latency_max") {
    const json* svc = service();
    if (!svc) return missing(fmt::format("no service '{}' in the run result", s));
    if (m == "availability" || m == "error_rate") {
      auto a = number(*svc, "availability");
      if (!a) return missing("the result has no availability");
      return {m == "availability" ? *a : 1.0 - *a, ""};
    }
    if (m == "requests" || m == "ok" || m == "failed") {
      auto v = number(*svc, m.c_str());
      if (!v) return missing(fmt::format("the result has no '{}' count", m));
      return {*v, ""};
    }
    if (m == "outage_max") {
      auto v = number(*svc, "outage_max_s");
      if (!v) return missing("the result has no outage_max_s");
      return {*v, ""};
    }
    if (m == "outages") {
      if (!svc->contains("outages") || !svc->at("outages").is_array()) return missing("the result has no outages");
      double n = static_cast<double>(svc->at("outages").size()) + number(*svc, "outages_dropped").value_or(0);
      return {n, ""};
    }
    // Latency: only ok requests have one.
    if (number(*svc, "ok").value_or(0) == 0) return missing(fmt::format("service '{}' had no ok request", s));
    std::string key = m == "latency_mean" ? "mean" : m == "latency_max" ? "max" : m;
    if (!svc->contains("latency_ms")) return missing("the result has no latency_ms");
    auto v = number(svc->at("latency_ms"), key.c_str());
    if (!v) return missing(fmt::format("the result has no latency_ms.{}", key));
    return {*v / 1000.0, ""};
  }
  if (m == "failover_time" || m == "failovers") {
    if (!run.contains("failovers") || !run.at("failovers").is_array()) return missing("the result has no failovers");
    double n = 0, longest = 0;
    bool incomplete = false;
    for (const auto& f : run.at("failovers")) {
      if (f.value("component", "") != s) continue;
      ++n;
      if (!f.contains("duration_s") || !f.at("duration_s").is_number()) incomplete = true;
      else longest = std::max(longest, f.at("duration_s").get<double>());
    }
    if (m == "failovers") return {n, ""};
    if (n == 0) return missing(fmt::format("no failover of '{}' in this run", s));
    if (incomplete) return missing(fmt::format("a failover of '{}' did not complete by the end of the run", s));
    return {longest, ""};
  }
  if (m == "lost_acknowledged_messages") {
    const json* where = &run;
    if (!s.empty()) {
      const json* svc = service();
      if (!svc) return missing(fmt::format("no service '{}' in the run result", s));
      where = svc;
    }
    if (!where->contains(m)) return missing("this run does not count lost acknowledged messages (no model keeps a ledger)");
    auto v = count_of(where->at(m));
    if (!v) return missing("lost_acknowledged_messages has an unknown shape");
    return {*v, ""};
  }
  if (m == "lost_acknowledged") {
    const json* store = run.contains("durability") && run.at("durability").contains(s) ? &run.at("durability").at(s) : nullptr;
    if (!store) return missing(fmt::format("store '{}' reports nothing to the durability ledger in this run", s));
    return {store->value("lost", 0.0), ""};
  }
  if (m == "violations") {
    if (!run.contains("checks")) return missing("the result has no checks");
    const json& checks = run.at("checks");
    const json* c = nullptr;
    if (checks.is_object() && checks.contains(s)) c = &checks.at(s);
    if (checks.is_array())
      for (const auto& x : checks)
        if (x.is_object() && (x.value("name", "") == s || x.value("check", "") == s)) c = &x;
    if (!c) return missing(fmt::format("check '{}' did not run", s));
    auto v = count_of(*c);
    if (!v) return missing(fmt::format("check '{}' has no violation count", s));
    return {*v, ""};
  }
  if (m == "events") {
    if (!run.contains("events") || !run.at("events").is_array()) return missing("the result has no events");
    double n = 0;
    for (const auto& ev : run.at("events"))
      if (ev.value("kind", "") == s) ++n;
    return {n, ""};
  }
  return missing(fmt::format("metric '{}' is not measured by this version", m));
}

// The service an expectation over every service reports: the first that fails, else the
// one nearest the threshold.
bool reported_instead(const config::Expectation& e, const Verdict& candidate, const Verdict& current) {
  if (!current.pass) return false;
  if (!candidate.pass) return true;
  switch (e.op) {
    case config::CompareOp::kGe:
    case config::CompareOp::kGt: return *candidate.measured < *current.measured;
    case config::CompareOp::kLe:
    case config::CompareOp::kLt: return *candidate.measured > *current.measured;
    case config::CompareOp::kEq:
    case config::CompareOp::kNe: break;
  }
  return false;
}

Verdict verdict_of(const config::Expectation& e, const std::string& subject, const json& run) {
  Verdict v;
  v.expectation = e;
  Measure got = measure(e, subject, run);
  v.measured = got.value;
  v.note = got.note;
  v.pass = got.value && config::compare(*got.value, e.op, e.threshold);
  return v;
}

Verdict judge_one(const config::Expectation& e, const json& run) {
  if (!e.every_service()) return verdict_of(e, e.subject, run);
  std::optional<Verdict> reported;
  if (run.contains("services") && run.at("services").is_object())
    for (const auto& [name, svc] : run.at("services").items()) {
      if (!(svc.is_object() && svc.contains("requests") && svc.at("requests").is_number() &&
            svc.at("requests").get<double>() > 0))
        continue;
      Verdict v = verdict_of(e, name, run);
      v.service = name;
      if (!reported || reported_instead(e, v, *reported)) reported = v;
    }
  if (reported) return *reported;
  Verdict none;
  none.expectation = e;
  none.note = "no service received requests";
  return none;
}

}  // namespace

json Verdict::to_json() const {
  const config::Expectation& e = expectation;
  json v = {{"text", e.text},
            {"metric", service.empty() ? e.metric_text() : e.metric + "(" + service + ")"},
            {"op", config::op_text(e.op)},
            {"threshold", e.threshold},
            {"unit", unit_name(e.unit)}};
  v["measured"] = measured ? json(*measured) : json(nullptr);
  v["pass"] = pass;
  if (!measured) v["note"] = "not measured: " + note;
  return v;
}

std::string measure_text(double value, const std::string& unit) {
  if (unit == "fraction") return fmt::format("{:.4f}%", 100 * value);
  if (unit == "s") {
    if (value != 0 && value < 1) return fmt::format("{:.6g}ms", value * 1000);
    return fmt::format("{:.6g}s", value);
  }
  return fmt::format("{:.10g}", value);
}

std::string Verdict::why() const {
  std::string what = service.empty() ? expectation.text : service + ": " + expectation.text;
  return measured ? fmt::format("{} (measured {})", what, measure_text(*measured, unit_name(expectation.unit)))
                  : fmt::format("{} (not measured: {})", what, note);
}

std::vector<Verdict> judge(const std::vector<config::Expectation>& expectations, const json& run) {
  std::vector<Verdict> out;
  for (const auto& e : expectations) out.push_back(judge_one(e, run));
  return out;
}

json evaluate_expectations(const std::vector<config::Expectation>& expectations, const json& run) {
  json out = json::array();
  for (const auto& v : judge(expectations, run)) out.push_back(v.to_json());
  return out;
}

size_t failed_expectations(const json& run) {
  size_t n = 0;
  if (run.contains("expectations") && run.at("expectations").is_array())
    for (const auto& v : run.at("expectations"))
      if (!v.value("pass", false)) ++n;
  return n;
}

bool slo_holds(const std::vector<config::Expectation>& slo, const json& run, std::string* why) {
  if (slo.empty()) {
    if (run.contains("expectations") && run.at("expectations").is_array())
      for (const auto& v : run.at("expectations"))
        if (!v.value("pass", false)) {
          if (why) *why = v.value("text", std::string("an expectation failed"));
          return false;
        }
    return true;
  }
  for (const auto& v : judge(slo, run))
    if (!v.pass) {
      if (why) *why = v.why();
      return false;
    }
  return true;
}

std::vector<std::string> services_breaking(const std::vector<config::Expectation>& slo, const json& run, bool* other) {
  std::set<std::string> out;
  *other = false;
  const json services = run.value("services", json::object());
  auto blame = [&](const std::string& subject) {
    if (services.contains(subject)) out.insert(subject);
    else *other = true;
  };
  if (slo.empty()) {
    // The scenario's own verdicts: "p99(imap)" names its subject in the metric.
    for (const auto& v : run.value("expectations", json::array())) {
      if (v.value("pass", false)) continue;
      const std::string m = v.value("metric", std::string());
      const size_t open = m.find('('), close = m.rfind(')');
      blame(open != std::string::npos && close > open ? m.substr(open + 1, close - open - 1) : "");
    }
    return {out.begin(), out.end()};
  }
  for (const auto& e : slo) {
    if (!e.every_service()) {
      if (!verdict_of(e, e.subject, run).pass) blame(e.subject);
      continue;
    }
    for (const auto& [name, svc] : services.items())
      if (svc.value("requests", 0.0) > 0 && !verdict_of(e, name, run).pass) out.insert(name);
  }
  return {out.begin(), out.end()};
}

}  // namespace mailsim::app
