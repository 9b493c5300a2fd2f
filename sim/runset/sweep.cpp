#include "sim/runset/sweep.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "sim/core/error.hpp"
#include "sim/core/units.hpp"

namespace mailsim::runset {

namespace {

// Splits "123.5/s" into 123.5 and "/s".
bool split_number(const std::string& s, double* value, std::string* unit) {
  size_t used = 0;
  try {
    *value = std::stod(s, &used);
  } catch (...) {
    return false;
  }
  *unit = s.substr(used);
  while (!unit->empty() && unit->front() == ' ') unit->erase(0, 1);
  return std::isfinite(*value);
}

std::string number_text(double v) { return fmt::format("{}", v); }

}  // namespace

SweepAxis parse_axis(const std::string& arg, const std::string& origin) {
  auto fail = [&](const std::string& why) {
    return core::InputError({origin, 0, 0}, fmt::format("'{}': {}", arg, why));
  };
  size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size()) throw fail("write PATH=VALUE,VALUE,... or PATH=A..B*F");
  SweepAxis a;
  a.path = arg.substr(0, eq);
  std::string first = a.path.substr(0, a.path.find('.'));
  static const std::vector<std::string> scen = {"load", "faults", "client", "metrics", "duration", "seed", "expect"};
  static const std::vector<std::string> topo = {"network", "nodes", "components", "services"};
  if (first == "topology" || first == "scenario") {
    a.topology = first == "topology";
    if (a.path.size() <= first.size() + 1) throw fail("the path is empty after '" + first + ".'");
    a.path = a.path.substr(first.size() + 1);
  } else if (std::find(topo.begin(), topo.end(), first) != topo.end()) {
    a.topology = true;
  } else if (std::find(scen.begin(), scen.end(), first) == scen.end()) {
    throw fail("start the path with topology. or scenario. ('" + first + "' is not a key only one of them has)");
  }
  std::string vals = arg.substr(eq + 1);
  size_t dots = vals.find("..");
  if (dots != std::string::npos) {
    std::string lo = vals.substr(0, dots), rest = vals.substr(dots + 2);
    size_t op = rest.find_first_of("*+");
    if (op == std::string::npos) throw fail("a range needs a step: A..B*FACTOR or A..B+STEP");
    double a0, b0, step;
    std::string ua, ub, us;
    if (!split_number(lo, &a0, &ua) || !split_number(rest.substr(0, op), &b0, &ub) ||
        !split_number(rest.substr(op + 1), &step, &us))
      throw fail("range bounds and step must be numbers with an optional unit");
    if (ua != ub) throw fail("both ends of a range need the same unit");
    bool geometric = rest[op] == '*';
    if (geometric ? !(step > 1) : !(step > 0)) throw fail(geometric ? "the factor must be > 1" : "the step must be > 0");
    if (!geometric && !us.empty() && us != ua) throw fail("the step's unit must be the range's");
    for (double v = a0; v <= b0 * (1 + 1e-12) + 1e-12; v = geometric ? v * step : v + step) {
      a.values.push_back(number_text(v) + ua);
      if (a.values.size() > 10000) throw fail("more than 10000 values");
    }
  } else {
    size_t start = 0;
    while (true) {
      size_t comma = vals.find(',', start);
      std::string v = vals.substr(start, comma - start);
      if (v.empty()) throw fail("empty value");
      a.values.push_back(v);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (a.values.empty()) throw fail("no values");
  return a;
}

std::vector<std::vector<size_t>> grid_points(const std::vector<SweepAxis>& axes) {
  std::vector<std::vector<size_t>> out{{}};
  for (const auto& a : axes) {
    std::vector<std::vector<size_t>> next;
    for (const auto& p : out)
      for (size_t v = 0; v < a.values.size(); ++v) {
        auto q = p;
        q.push_back(v);
        next.push_back(q);
      }
    out = std::move(next);
  }
  return out;
}

std::vector<SloTerm> parse_slo(const std::string& text, const std::string& origin) {
  std::vector<SloTerm> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string t = text.substr(start, comma - start);
    auto fail = [&](const std::string& why) {
      return core::InputError({origin, 0, 0}, fmt::format("'{}' is not an SLO term: {}", t, why));
    };
    size_t op = t.find_first_of("<>");
    if (op == std::string::npos || op == 0) throw fail("write METRIC>=VALUE or SERVICE.METRIC<=VALUE");
    SloTerm term;
    term.text = t;
    std::string lhs = t.substr(0, op);
    term.op = t.substr(op, t.size() > op + 1 && t[op + 1] == '=' ? 2 : 1);
    std::string rhs = t.substr(op + term.op.size());
    size_t dot = lhs.rfind('.');
    term.metric = dot == std::string::npos ? lhs : lhs.substr(dot + 1);
    if (dot != std::string::npos) term.service = lhs.substr(0, dot);
    static const std::vector<std::string> lat = {"p50", "p90", "p99", "p999", "max", "mean"};
    try {
      if (term.metric == "availability") {
        term.threshold = core::parse_fraction(rhs).value;
      } else if (term.metric == "outage_max" || std::find(lat.begin(), lat.end(), term.metric) != lat.end()) {
        term.threshold = core::parse_duration(rhs).seconds;
      } else {
        throw fail("unknown metric '" + term.metric + "' (availability, p50, p90, p99, p999, max, mean, outage_max)");
      }
    } catch (const core::UnitError& e) {
      throw fail(e.message);
    }
    out.push_back(term);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool slo_holds(const std::vector<SloTerm>& slo, const nlohmann::json& run, std::string* why) {
  if (slo.empty()) {
    // The run's own expectations, when the scenario has them: any verdict that is not a
    // pass fails the point.
    if (run.contains("expectations") && run["expectations"].is_array()) {
      for (const auto& e : run["expectations"]) {
        bool pass = true;
        for (const char* k : {"pass", "passed", "ok"})
          if (e.contains(k) && e[k].is_boolean()) pass = e[k].get<bool>();
        if (e.contains("verdict") && e["verdict"].is_string()) pass = e["verdict"] == "pass";
        if (!pass) {
          if (why) *why = e.value("text", std::string("an expectation failed"));
          return false;
        }
      }
    }
    return true;
  }
  for (const auto& t : slo) {
    for (const auto& [name, svc] : run["services"].items()) {
      if (!t.service.empty() && t.service != name) continue;
      double v;
      if (t.metric == "availability") v = svc.value("availability", 1.0);
      else if (t.metric == "outage_max") v = svc.value("outage_max_s", 0.0);
      else v = svc["latency_ms"].value(t.metric, 0.0) / 1000.0;
      bool ok = t.op == ">=" ? v >= t.threshold : t.op == "<=" ? v <= t.threshold : t.op == ">" ? v > t.threshold
                                                                                                   : v < t.threshold;
      if (!ok) {
        if (why) *why = fmt::format("{}: {} (measured {})", name, t.text, v);
        return false;
      }
    }
  }
  return true;
}

nlohmann::json sweep_item(size_t index, const std::vector<std::string>& point, int rep, uint64_t seed,
                          const nlohmann::json* run, const std::vector<SloTerm>& slo, const std::string& error) {
  nlohmann::json item = {{"index", index}, {"point", point}, {"rep", rep}, {"seed", seed}};
  if (!run) {
    item["error"] = error;
    item["slo"] = false;
    item["why"] = "the run failed";
    return item;
  }
  nlohmann::json svcs = nlohmann::json::object();
  for (const auto& [name, s] : (*run)["services"].items())
    svcs[name] = {{"requests", s.value("requests", 0)},
                  {"availability", s.value("availability", 1.0)},
                  {"p50_ms", s["latency_ms"].value("p50", 0.0)},
                  {"p99_ms", s["latency_ms"].value("p99", 0.0)},
                  {"outage_max_s", s.value("outage_max_s", 0.0)}};
  item["services"] = svcs;
  std::string why;
  item["slo"] = slo_holds(slo, *run, &why);
  if (!why.empty()) item["why"] = why;
  return item;
}

nlohmann::json sweep_finalize(const nlohmann::json& set, const std::vector<nlohmann::json>& items) {
  const int reps = set["reps"];
  const auto& axes = set["axes"];
  nlohmann::json result;
  result["schema"] = "mailsim.sweep/1";
  for (const char* k : {"topology", "scenario", "axes", "reps", "slo", "knee_axis", "inputs"}) result[k] = set[k];
  nlohmann::json points = nlohmann::json::array();
  for (size_t p = 0; p * reps < items.size(); ++p) {
    nlohmann::json pt = {{"values", items[p * reps]["point"]}, {"slo", true}, {"services", nlohmann::json::object()}};
    nlohmann::json errors = nlohmann::json::array();
    std::map<std::string, std::vector<double>> acc;  // service.metric -> sum
    int good = 0;
    for (int r = 0; r < reps; ++r) {
      const auto& it = items[p * reps + static_cast<size_t>(r)];
      if (!it["slo"].get<bool>()) {
        pt["slo"] = false;
        if (!pt.contains("why")) pt["why"] = it.value("why", std::string());
      }
      if (it.contains("error")) {
        errors.push_back(it["error"]);
        continue;
      }
      ++good;
      for (const auto& [name, s] : it["services"].items()) {
        auto& a = acc[name];
        a.resize(5, 0.0);
        a[0] += s["availability"].get<double>();
        a[1] += s["p50_ms"].get<double>();
        a[2] += s["p99_ms"].get<double>();
        a[3] = std::max(a[3], s["outage_max_s"].get<double>());
        a[4] += s["requests"].get<double>();
      }
    }
    for (const auto& [name, a] : acc)
      pt["services"][name] = {{"availability_mean", a[0] / good}, {"p50_ms_mean", a[1] / good},
                              {"p99_ms_mean", a[2] / good},       {"outage_max_s", a[3]},
                              {"requests_mean", a[4] / good}};
    if (!errors.empty()) pt["errors"] = errors;
    points.push_back(pt);
  }
  result["points"] = points;
  // Knee: along the knee axis, per combination of the other axes' values.
  const size_t knee_axis = set["knee_axis"];
  std::map<std::vector<std::string>, nlohmann::json> knees;
  std::vector<std::vector<std::string>> order;
  for (const auto& pt : points) {
    auto v = pt["values"].get<std::vector<std::string>>();
    std::vector<std::string> others;
    for (size_t a = 0; a < v.size(); ++a)
      if (a != knee_axis) others.push_back(v[a]);
    if (!knees.count(others)) {
      knees[others] = {{"others", others}, {"knee", nullptr}, {"first_failure", nullptr}, {"failed", false}};
      order.push_back(others);
    }
    auto& k = knees[others];
    if (k["failed"].get<bool>()) continue;
    if (pt["slo"].get<bool>()) {
      k["knee"] = v[knee_axis];
    } else {
      k["failed"] = true;
      k["first_failure"] = v[knee_axis];
      k["why"] = pt.value("why", std::string());
    }
  }
  nlohmann::json kl = nlohmann::json::array();
  for (const auto& o : order) {
    auto k = knees[o];
    k["reached"] = k["failed"];
    k.erase("failed");
    kl.push_back(k);
  }
  result["knees"] = kl;
  (void)axes;
  return result;
}

std::string sweep_table(const nlohmann::json& r) {
  std::string out;
  const auto& axes = r["axes"];
  for (const auto& a : axes) out += fmt::format("{:>16} ", a["path"].get<std::string>());
  out += fmt::format("{:>8} {:>11} {:>11} {:>10} {:>10} {:>10}  {}\n", "service", "requests", "avail", "p50 ms",
                     "p99 ms", "outage s", "slo");
  for (const auto& pt : r["points"]) {
    bool first = true;
    for (const auto& [name, s] : pt["services"].items()) {
      for (const auto& v : pt["values"]) out += fmt::format("{:>16} ", first ? v.get<std::string>() : "");
      out += fmt::format("{:>8} {:>11.0f} {:>10.4f}% {:>10.2f} {:>10.2f} {:>10.3f}  {}\n", name,
                         s["requests_mean"].get<double>(), 100 * s["availability_mean"].get<double>(),
                         s["p50_ms_mean"].get<double>(), s["p99_ms_mean"].get<double>(), s["outage_max_s"].get<double>(),
                         first ? (pt["slo"].get<bool>() ? "ok" : "FAIL") : "");
      first = false;
    }
    if (pt.contains("errors"))
      for (const auto& e : pt["errors"]) out += "  failed run: " + e.get<std::string>() + "\n";
  }
  const std::string axis = axes[r["knee_axis"].get<size_t>()]["path"];
  for (const auto& k : r["knees"]) {
    std::string others;
    for (const auto& o : k["others"]) others += (others.empty() ? " at " : ", ") + o.get<std::string>();
    if (!k["reached"].get<bool>())
      out += fmt::format("knee of {}{}: not reached (the SLO holds up to {})\n", axis, others,
                         k["knee"].is_null() ? "?" : k["knee"].get<std::string>());
    else
      out += fmt::format("knee of {}{}: {} (first failure at {}: {})\n", axis, others,
                         k["knee"].is_null() ? "none, the first value fails" : k["knee"].get<std::string>(),
                         k["first_failure"].get<std::string>(), k.value("why", std::string()));
  }
  return out;
}

std::string sweep_csv(const nlohmann::json& r) {
  std::string out;
  for (const auto& a : r["axes"]) out += a["path"].get<std::string>() + ",";
  out += "service,requests_mean,availability_mean,p50_ms_mean,p99_ms_mean,outage_max_s,slo\n";
  for (const auto& pt : r["points"])
    for (const auto& [name, s] : pt["services"].items()) {
      for (const auto& v : pt["values"]) out += "\"" + v.get<std::string>() + "\",";
      out += fmt::format("{},{},{},{},{},{},{}\n", name, s["requests_mean"].get<double>(),
                         s["availability_mean"].get<double>(), s["p50_ms_mean"].get<double>(),
                         s["p99_ms_mean"].get<double>(), s["outage_max_s"].get<double>(),
                         pt["slo"].get<bool>() ? "ok" : "fail");
    }
  return out;
}

}  // namespace mailsim::runset
