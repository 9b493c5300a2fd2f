#include "runset/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "app/verdicts.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/units.hpp"

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

namespace {

// The document of a path: an explicit topology./scenario. prefix (removed), or a first key
// only one document has.
template <class Fail>
void resolve_document(std::string* path, bool* topology, const Fail& fail) {
  std::string first = path->substr(0, path->find('.'));
  static const std::vector<std::string> scen = {"load", "population", "faults", "client", "metrics", "duration", "seed", "expect"};
  static const std::vector<std::string> topo = {"network", "nodes", "components", "services"};
  *topology = false;
  if (first == "topology" || first == "scenario") {
    *topology = first == "topology";
    if (path->size() <= first.size() + 1) throw fail("the path is empty after '" + first + ".'");
    *path = path->substr(first.size() + 1);
  } else if (std::find(topo.begin(), topo.end(), first) != topo.end()) {
    *topology = true;
  } else if (std::find(scen.begin(), scen.end(), first) == scen.end()) {
    throw fail("start the path with topology. or scenario. ('" + first + "' is not a key only one of them has)");
  }
}

}  // namespace

SweepAxis parse_axis(const std::string& arg, const std::string& origin) {
  auto fail = [&](const std::string& why) {
    return core::InputError({origin, 0, 0}, fmt::format("'{}': {}", arg, why));
  };
  size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size()) throw fail("write PATH=VALUE,VALUE,... or PATH=A..B*F");
  SweepAxis a;
  a.path = arg.substr(0, eq);
  resolve_document(&a.path, &a.topology, fail);
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

bool value_number(const std::string& text, double* value, std::string* unit) {
  return split_number(text, value, unit);
}

RangeAxis parse_range(const std::string& arg, const std::string& origin) {
  auto fail = [&](const std::string& why) {
    return core::InputError({origin, 0, 0}, fmt::format("'{}': {}", arg, why));
  };
  size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size()) throw fail("write PATH=LO..HI or PATH=LO..HI:log");
  RangeAxis r;
  r.path = arg.substr(0, eq);
  resolve_document(&r.path, &r.topology, fail);
  std::string vals = arg.substr(eq + 1);
  if (vals.size() > 4 && vals.substr(vals.size() - 4) == ":log") {
    r.log = true;
    vals.resize(vals.size() - 4);
  }
  size_t dots = vals.find("..");
  if (dots == std::string::npos) throw fail("a range is LO..HI, e.g. 50/s..800/s or 2..8 (add :log for a log scale)");
  std::string lo = vals.substr(0, dots), hi = vals.substr(dots + 2);
  std::string ulo, uhi;
  if (!split_number(lo, &r.lo, &ulo) || !split_number(hi, &r.hi, &uhi))
    throw fail("both ends must be numbers with an optional unit, e.g. 50/s..800/s");
  if (ulo != uhi) throw fail("both ends of a range need the same unit");
  r.unit = ulo;
  if (!(r.lo < r.hi)) throw fail("LO must be below HI");
  auto integral = [](const std::string& t) {
    return !t.empty() && t.find_first_not_of("+-0123456789") == std::string::npos;
  };
  r.integer = r.unit.empty() && integral(lo) && integral(hi);
  if (r.log && r.integer) throw fail("a log scale needs a continuous axis; an integer axis (here) is sampled linearly");
  if (r.log && !(r.lo > 0)) throw fail("a log scale needs LO > 0");
  return r;
}

namespace {

double scaled(const RangeAxis& a, double v) { return a.log ? std::log(v) : v; }

// v with `digits` significant digits, in fixed notation without trailing zeros.
std::string significant_text(double v, int digits) {
  int decimals = 0;
  if (v != 0 && std::isfinite(v)) decimals = std::max(0, digits - 1 - static_cast<int>(std::floor(std::log10(std::fabs(v)))));
  std::string t = fmt::format("{:.{}f}", v, decimals);
  if (t.find('.') != std::string::npos) {
    while (t.back() == '0') t.pop_back();
    if (t.back() == '.') t.pop_back();
  }
  return t;
}

}  // namespace

size_t lhs_stratum(const RangeAxis& a, double v, size_t n) {
  double lo = scaled(a, a.lo), hi = scaled(a, a.hi);
  double u = (scaled(a, v) - lo) / (hi - lo) * static_cast<double>(n);
  if (u < 0) return 0;
  return std::min(n - 1, static_cast<size_t>(std::floor(u)));
}

std::vector<std::vector<std::string>> lhs_design(const std::vector<RangeAxis>& axes, size_t n, uint64_t seed) {
  std::vector<std::vector<std::string>> out(n, std::vector<std::string>(axes.size()));
  for (size_t ax = 0; ax < axes.size(); ++ax) {
    const RangeAxis& a = axes[ax];
    core::RngStream rng(seed, "sweep.lhs." + a.path);
    // A uniform permutation (Fisher-Yates): point i takes stratum perm[i].
    std::vector<size_t> perm(n);
    for (size_t i = 0; i < n; ++i) perm[i] = i;
    for (size_t i = n; i > 1; --i) {
      size_t j = static_cast<size_t>(rng.uniform() * static_cast<double>(i));
      std::swap(perm[i - 1], perm[std::min(j, i - 1)]);
    }
    for (size_t i = 0; i < n; ++i) {
      const double s = static_cast<double>(perm[i]), nn = static_cast<double>(n);
      std::string text;
      if (a.integer) {
        const double count = a.hi - a.lo + 1;  // integers in the range
        long long v;
        if (count >= nn) {
          // Integers k with lo + s*count/n <= k < lo + (s+1)*count/n: at least one.
          long long first = static_cast<long long>(std::ceil(a.lo + s * count / nn - 1e-9));
          long long last = static_cast<long long>(std::ceil(a.lo + (s + 1) * count / nn - 1e-9)) - 1;
          v = first + static_cast<long long>(rng.uniform() * static_cast<double>(last - first + 1));
          v = std::min(v, last);
        } else {
          // Fewer integers than points: stratum s goes to integer floor(s * count / n),
          // which gives every integer floor(n/count) or ceil(n/count) strata.
          v = static_cast<long long>(a.lo) + static_cast<long long>(std::floor(s * count / nn));
          rng.uniform();  // keep one draw per point whatever the case
        }
        text = fmt::format("{}", v);
      } else {
        const double lo = scaled(a, a.lo), hi = scaled(a, a.hi);
        double x = lo + (s + rng.uniform()) / nn * (hi - lo);
        if (a.log) x = std::exp(x);
        x = std::clamp(x, a.lo, a.hi);
        for (int digits = 4; digits <= 17; ++digits) {
          text = significant_text(x, digits);
          double v = std::stod(text);
          if (v >= a.lo && v <= a.hi && lhs_stratum(a, v, n) == perm[i]) break;
        }
        text += a.unit;
      }
      out[i][ax] = text;
    }
  }
  return out;
}

nlohmann::json axes_json(const std::vector<SweepAxis>& grid, const std::vector<RangeAxis>& ranges) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : grid)
    out.push_back({{"path", a.path}, {"document", a.topology ? "topology" : "scenario"}, {"kind", "grid"}, {"values", a.values}});
  for (const auto& r : ranges)
    out.push_back({{"path", r.path},   {"document", r.topology ? "topology" : "scenario"},
                   {"kind", "lhs"},    {"lo", r.lo},
                   {"hi", r.hi},       {"unit", r.unit},
                   {"integer", r.integer}, {"log", r.log}});
  return out;
}

nlohmann::json sweep_item(size_t index, const std::vector<std::string>& point, int rep, uint64_t seed,
                          const nlohmann::json* run, const std::vector<config::Expectation>& slo,
                          const std::string& error) {
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
                  {"mean_ms", s["latency_ms"].value("mean", 0.0)},
                  {"p50_ms", s["latency_ms"].value("p50", 0.0)},
                  {"p99_ms", s["latency_ms"].value("p99", 0.0)},
                  {"outage_max_s", s.value("outage_max_s", 0.0)},
                  {"lost_acknowledged_messages", s.value("lost_acknowledged_messages", uint64_t{0})}};
  item["services"] = svcs;
  // Per store of the durability ledger: the acknowledged items on no surviving copy (lost
  // mail for a message store, lost commits for a database).
  nlohmann::json lost = nlohmann::json::object();
  const auto durability = run->value("durability", nlohmann::json::object());
  for (const auto& [store, d] : durability.items())
    lost[store] = d.value("lost", uint64_t{0});
  item["lost_acknowledged"] = lost;
  // Per component: how many failovers the run had and the longest (null when one never
  // completed within the run), so a sweep over a timer shows the failover time it sets;
  // the completed ones' total time and, where the model counts them (Raft), the elections
  // they took, for the point's means.
  nlohmann::json failovers = nlohmann::json::object();
  for (const auto& f : run->value("failovers", nlohmann::json::array())) {
    auto& c = failovers[f["component"].get<std::string>()];
    if (c.is_null()) c = {{"count", 0}, {"max_s", 0.0}, {"completed", 0}, {"total_s", 0.0}};
    c["count"] = c["count"].get<int>() + 1;
    if (!f["duration_s"].is_number() || c["max_s"].is_null()) c["max_s"] = nullptr;
    else c["max_s"] = std::max(c["max_s"].get<double>(), f["duration_s"].get<double>());
    if (!f["duration_s"].is_number()) continue;
    c["completed"] = c["completed"].get<int>() + 1;
    c["total_s"] = c["total_s"].get<double>() + f["duration_s"].get<double>();
    if (f.contains("elections")) c["elections"] = c.value("elections", 0) + f["elections"].get<int>();
  }
  item["failovers"] = failovers;
  // The run's simulated span and its most loaded resource (resource accounting), for the
  // knee's throughput and what saturated there.
  item["duration_s"] =
      run->value("manifest", nlohmann::json::object()).value("scenario", nlohmann::json::object()).value("duration_s", 0.0);
  if (run->contains("bottleneck")) item["bottleneck"] = (*run)["bottleneck"];
  std::string why;
  item["slo"] = app::slo_holds(slo, *run, &why);
  if (!why.empty()) item["why"] = why;
  // A run ended because it could not keep up fails the SLO whatever its figures so far.
  if (run->contains("overloaded")) {
    item["overloaded"] = (*run)["overloaded"];
    item["slo"] = false;
    item["why"] = (*run)["partial"].value("reason", std::string("overloaded"));
  }
  bool other = false;
  auto breaking = app::services_breaking(slo, *run, &other);
  if (item.contains("overloaded") && !std::count(breaking.begin(), breaking.end(), item["overloaded"]["service"]))
    breaking.push_back(item["overloaded"]["service"].get<std::string>());
  if (!breaking.empty()) item["slo_services"] = breaking;
  if (other) item["slo_other"] = true;
  return item;
}

namespace {

// Knee of a grid: along the knee axis, per combination of the other axes' values, the last
// value before the first failing point, in the order the values were given.
nlohmann::json grid_knees(const nlohmann::json& points, size_t knee_axis) {
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
      k["knee_rps"] = pt.value("rps", nlohmann::json());
      k["bottleneck"] = pt.value("bottleneck", nlohmann::json());
    } else {
      k["failed"] = true;
      k["first_failure"] = v[knee_axis];
      k["why"] = pt.value("why", std::string());
      // What saturated: the knee point's own bottleneck, else the first failure's.
      if (k.value("bottleneck", nlohmann::json()).is_null()) k["bottleneck"] = pt.value("bottleneck", nlohmann::json());
    }
  }
  nlohmann::json kl = nlohmann::json::array();
  for (const auto& o : order) {
    auto k = knees[o];
    k["reached"] = k["failed"];
    k.erase("failed");
    kl.push_back(k);
  }
  return kl;
}

// Knee of a Latin hypercube along one range axis, per combination of the grid axes'
// values, the other range axes free: the points sorted by the knee axis's value;
// `safe_up_to` is the highest value such that every sampled point at or below it holds
// the SLO, whatever the other range axes were (null when the lowest point fails);
// `first_failure` is the lowest failing point; `highest_pass` the highest passing one.
nlohmann::json lhs_knees(const nlohmann::json& points, const nlohmann::json& axes, size_t knee_axis) {
  std::vector<size_t> grid_axes;
  for (size_t a = 0; a < axes.size(); ++a)
    if (axes[a].value("kind", "grid") == "grid") grid_axes.push_back(a);
  std::map<std::vector<std::string>, std::vector<std::pair<double, size_t>>> groups;
  std::vector<std::vector<std::string>> order;
  for (size_t p = 0; p < points.size(); ++p) {
    auto v = points[p]["values"].get<std::vector<std::string>>();
    std::vector<std::string> others;
    for (size_t a : grid_axes) others.push_back(v[a]);
    if (!groups.count(others)) order.push_back(others);
    double x = 0;
    std::string unit;
    split_number(v[knee_axis], &x, &unit);
    groups[others].push_back({x, p});
  }
  auto point_values = [&](size_t p) {
    nlohmann::json o = nlohmann::json::object();
    auto v = points[p]["values"].get<std::vector<std::string>>();
    for (size_t a = 0; a < v.size(); ++a) o[axes[a]["path"].get<std::string>()] = v[a];
    return o;
  };
  nlohmann::json kl = nlohmann::json::array();
  for (const auto& o : order) {
    auto g = groups[o];
    std::stable_sort(g.begin(), g.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    nlohmann::json k = {{"others", o},        {"safe_up_to", nullptr},   {"first_failure", nullptr},
                        {"first_failure_point", nullptr}, {"highest_pass", nullptr}, {"highest_pass_point", nullptr},
                        {"reached", false},   {"passed", 0},             {"points", g.size()}};
    int passed = 0;
    for (size_t i = 0; i < g.size(); ++i) {
      const auto& pt = points[g[i].second];
      const std::string value = pt["values"][knee_axis];
      if (pt["slo"].get<bool>()) {
        ++passed;
        k["highest_pass"] = value;
        k["highest_pass_point"] = point_values(g[i].second);
        if (!k["reached"].get<bool>()) k["safe_up_to"] = value;
      } else if (!k["reached"].get<bool>()) {
        k["reached"] = true;
        k["first_failure"] = value;
        k["first_failure_point"] = point_values(g[i].second);
        k["why"] = pt.value("why", std::string());
        // A tie at the failing value is not safe either.
        if (!k["safe_up_to"].is_null()) {
          for (size_t j = i; j-- > 0;)
            if (g[j].first < g[i].first) {
              k["safe_up_to"] = points[g[j].second]["values"][knee_axis];
              break;
            } else if (j == 0) {
              k["safe_up_to"] = nullptr;
            }
        }
      }
    }
    k["passed"] = passed;
    kl.push_back(k);
  }
  return kl;
}

}  // namespace

nlohmann::json sweep_finalize(const nlohmann::json& set, const std::vector<nlohmann::json>& items) {
  const int reps = set["reps"];
  nlohmann::json result;
  result["schema"] = "mailsim.sweep/1";
  for (const char* k : {"topology", "scenario", "axes", "reps", "slo", "knee_axis", "inputs"}) result[k] = set[k];
  result["version"] = MAILSIM_VERSION;
  if (set.contains("command")) result["command"] = set["command"];
  const auto& axes = set["axes"];
  nlohmann::json points = nlohmann::json::array();
  for (size_t p = 0; p * reps < items.size(); ++p) {
    nlohmann::json pt = {{"values", items[p * reps]["point"]}, {"slo", true}, {"services", nlohmann::json::object()},
                            {"lost_acknowledged_max", nlohmann::json::object()}};
    nlohmann::json errors = nlohmann::json::array();
    std::map<std::string, std::vector<double>> acc;  // service.metric -> sum
    nlohmann::json failovers = nlohmann::json::object();  // component -> {count_mean, max_s, mean_s, ...}
    std::map<std::string, std::array<double, 3>> completed;  // component -> {completed, seconds, elections}
    int good = 0;
    for (int r = 0; r < reps; ++r) {
      const auto& it = items[p * reps + static_cast<size_t>(r)];
      if (!it["slo"].get<bool>()) {
        pt["slo"] = false;
        if (!pt.contains("why")) pt["why"] = it.value("why", std::string());
        // Which services broke it, over the replications (a failed run: all of them).
        for (const auto& s : it.value("slo_services", nlohmann::json::array()))
          if (!pt.contains("slo_services") || !std::count(pt["slo_services"].begin(), pt["slo_services"].end(), s))
            pt["slo_services"].push_back(s);
        if (it.value("slo_other", false) || it.contains("error")) pt["slo_other"] = true;
      }
      if (it.contains("overloaded") && !pt.contains("overloaded")) pt["overloaded"] = it["overloaded"];
      if (it.contains("bottleneck") && !pt.contains("bottleneck")) pt["bottleneck"] = it["bottleneck"];
      if (it.contains("duration_s")) pt["duration_s"] = it["duration_s"];
      if (it.contains("error")) {
        errors.push_back(it["error"]);
        continue;
      }
      ++good;
      for (const auto& [name, s] : it["services"].items()) {
        auto& a = acc[name];
        a.resize(7, 0.0);
        a[0] += s["availability"].get<double>();
        a[1] += s["p50_ms"].get<double>();
        a[2] += s["p99_ms"].get<double>();
        a[3] = std::max(a[3], s["outage_max_s"].get<double>());
        a[4] += s["requests"].get<double>();
        a[5] += s.value("mean_ms", 0.0);
        a[6] = std::max(a[6], s.value("lost_acknowledged_messages", 0.0));
      }
      const auto item_lost = it.value("lost_acknowledged", nlohmann::json::object());
      for (const auto& [store, n] : item_lost.items())
        pt["lost_acknowledged_max"][store] = std::max(pt["lost_acknowledged_max"].value(store, uint64_t{0}), n.get<uint64_t>());
      const auto item_failovers = it.value("failovers", nlohmann::json::object());
      for (const auto& [name, f] : item_failovers.items()) {
        auto& c = failovers[name];
        if (c.is_null()) c = {{"count_mean", 0.0}, {"max_s", 0.0}};
        c["count_mean"] = c["count_mean"].get<double>() + f["count"].get<double>();
        if (f["max_s"].is_null() || c["max_s"].is_null()) c["max_s"] = nullptr;
        else c["max_s"] = std::max(c["max_s"].get<double>(), f["max_s"].get<double>());
        auto& done = completed[name];
        done[0] += f.value("completed", 0);
        done[1] += f.value("total_s", 0.0);
        if (f.contains("elections")) {
          done[2] += f["elections"].get<double>();
          c["elections_mean"] = nullptr;  // the model counts elections: the mean is set below
        }
      }
    }
    // The point's client throughput: every service's mean requests over the simulated span.
    double requests = 0;
    for (const auto& [name, a] : acc) requests += a[4] / good;
    if (good > 0 && pt.value("duration_s", 0.0) > 0) pt["rps"] = requests / pt["duration_s"].get<double>();
    for (auto& [name, c] : failovers.items()) {
      c["count_mean"] = c["count_mean"].get<double>() / std::max(good, 1);
      const auto& done = completed[name];
      // Mean over the completed failovers of every replication (null when none completed).
      c["mean_s"] = done[0] > 0 ? nlohmann::json(done[1] / done[0]) : nlohmann::json(nullptr);
      if (c.contains("elections_mean")) c["elections_mean"] = done[0] > 0 ? nlohmann::json(done[2] / done[0]) : nlohmann::json(nullptr);
    }
    pt["failovers"] = failovers;
    for (const auto& [name, a] : acc)
      pt["services"][name] = {{"availability_mean", a[0] / good}, {"p50_ms_mean", a[1] / good},
                              {"p99_ms_mean", a[2] / good},       {"outage_max_s", a[3]},
                              {"requests_mean", a[4] / good},    {"latency_mean_ms_mean", a[5] / good},
                              {"lost_acknowledged_messages_max", a[6]}};
    if (!errors.empty()) pt["errors"] = errors;
    points.push_back(pt);
  }
  result["points"] = points;
  result["design"] = set.value("design", "grid");
  if (set.contains("lhs")) result["lhs"] = set["lhs"];
  result["knees"] = set["knee_axis"].is_null() ? nlohmann::json::array()
                    : result["design"] == "lhs" ? lhs_knees(points, axes, set["knee_axis"].get<size_t>())
                                                : grid_knees(points, set["knee_axis"].get<size_t>());
  return result;
}

}  // namespace mailsim::runset
