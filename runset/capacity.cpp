#include "runset/capacity.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/capacity_model.hpp"
#include "app/inputs.hpp"
#include "app/verdicts.hpp"
#include "config/yaml_reader.hpp"
#include "core/error.hpp"
#include "runset/run_specs.hpp"
#include "runset/yaml_edit.hpp"

namespace mailsim::runset {

namespace {

using nlohmann::json;

// One topology's state across the rounds.
struct Topo {
  std::string file, text, name;
  std::string scenario_text;  // the scenario at the standard population
  double mailboxes = 0;       // the standard population
  double rps_per_mailbox = 0;
  analysis::CapacityPrediction prediction;
  json standard;              // the standard run's result (null when it failed)
  std::map<long long, json> points;  // mailboxes -> item
};

// The scenario at `mailboxes`, for `duration_s` (0: its own duration).
std::string scenario_at(const std::string& text, long long mailboxes, double duration_s) {
  std::string s = yaml_set(text, "population.mailboxes", std::to_string(mailboxes), "capacity");
  if (duration_s > 0) s = yaml_set(s, "duration", fmt::format("{}s", duration_s), "capacity");
  return s;
}

RunSpec spec_for(const Topo& t, const std::string& scen_text, const std::string& label, const CapacityRequest& r) {
  RunSpec s;
  s.label = t.name + ": " + label;
  s.topology_file = t.file;
  s.topology_text = t.text;
  s.scenario_text = scen_text;
  s.scenario_file = write_input(r.cache, scen_text, "capacity-scenario");
  s.seed = 1;
  s.stop_overloaded = true;
  return s;
}

// A point's item: whether the SLO holds (and the run kept up), why not, and what the run
// says about its resources.
json point_item(long long mailboxes, double rps, const std::optional<json>& run, const std::string& error,
                const std::vector<config::Expectation>& slo) {
  json p = {{"mailboxes", mailboxes}, {"rps", rps}};
  if (!run) {
    p["slo"] = false;
    p["why"] = "the run failed: " + error;
    return p;
  }
  std::string why;
  p["slo"] = app::slo_holds(slo, *run, &why);
  if (!why.empty()) p["why"] = why;
  if (run->contains("overloaded")) {
    p["slo"] = false;
    p["overloaded"] = (*run)["overloaded"];
    p["why"] = (*run)["partial"].value("reason", std::string("overloaded"));
  }
  json p99 = json::object();
  for (const auto& [name, s] : (*run)["services"].items())
    if (s.value("requests", 0) > 0 && s["latency_ms"].value("p99", json()).is_number()) p99[name] = s["latency_ms"]["p99"];
  p["p99_ms"] = p99;
  p["bottleneck"] = run->value("bottleneck", json());
  return p;
}

// The knee among the simulated points: the largest population that passes below the
// smallest that fails.
json knee_of(const Topo& t) {
  json k = {{"mailboxes", nullptr}, {"rps", nullptr}, {"first_failure", nullptr}, {"bound", "exact"}};
  const json* last_pass = nullptr;
  for (const auto& [n, p] : t.points) {
    if (p["slo"].get<bool>()) {
      last_pass = &p;
      continue;
    }
    k["first_failure"] = n;
    k["why"] = p.value("why", std::string());
    if (!p["bottleneck"].is_null()) k["failure_bottleneck"] = p["bottleneck"];
    break;
  }
  if (k["first_failure"].is_null()) k["bound"] = "at_least";  // every point passed
  if (!last_pass) {
    k["bound"] = "below";  // the smallest point failed
    return k;
  }
  k["mailboxes"] = (*last_pass)["mailboxes"];
  k["rps"] = (*last_pass)["rps"];
  k["bottleneck"] = (*last_pass)["bottleneck"];
  return k;
}

// What saturated at the knee: the run's own bottleneck (resource accounting) at the knee,
// else at the first failure, else the prediction's.
json knee_bottleneck(const Topo& t, const json& knee) {
  for (const char* key : {"bottleneck", "failure_bottleneck"})
    if (knee.contains(key) && knee[key].is_object()) {
      json b = knee[key];
      b["source"] = std::string("simulated") + (std::string(key) == "bottleneck" ? " at the knee" : " at the first failure");
      return b;
    }
  if (t.prediction.bottleneck.empty()) return nullptr;
  return {{"name", t.prediction.bottleneck}, {"kind", t.prediction.resources.front().kind}, {"source", "predicted"}};
}

// Per node on the request path: its components and its CPU's utilisation at the standard
// load, predicted and simulated.
json tiers(const Topo& t, const config::Topology& topo) {
  json side = analysis::utilisation_side_by_side(t.prediction, t.standard.is_null() ? json::object() : t.standard);
  json out = json::array();
  for (const auto& n : topo.nodes) {
    std::vector<std::string> comps;
    for (const auto& c : topo.components)
      if (std::count(c.nodes.begin(), c.nodes.end(), n.name)) comps.push_back(c.name);
    for (const auto& row : side)
      if (row["name"] == n.name + ".cpu")
        out.push_back({{"node", n.name}, {"components", comps}, {"predicted", row["predicted"]}, {"simulated", row["simulated"]}});
  }
  return out;
}

}  // namespace

json capacity(const CapacityRequest& r, const RunnerOptions& o, bool* any_failed) {
  if (r.topologies.empty()) throw core::InputError({"capacity", 0, 0}, "give at least one topology");
  std::vector<config::Expectation> extra = config::parse_expectation_list(r.slo, "--slo");
  const std::string scen_text0 = config::read_text_file(r.scenario);
  std::vector<Topo> topos;
  std::vector<std::vector<config::Expectation>> slos;
  for (const auto& file : r.topologies) {
    Topo t;
    t.file = file;
    t.text = config::read_text_file(file);
    std::string scen = scen_text0;
    YAML::Node pop = YAML::Load(scen)["population"];
    if (!pop || !pop["mailboxes"])
      throw core::InputError({r.scenario, 1, 1}, "capacity needs a scenario with `population:` (mailboxes and "
                                                 "per-mailbox daily rates): the knee is a number of mailboxes");
    t.mailboxes = r.mailboxes ? *r.mailboxes : pop["mailboxes"].as<double>();
    t.scenario_text = scenario_at(scen, std::llround(t.mailboxes), 0);
    const std::string sf = write_input(r.cache, t.scenario_text, "capacity-scenario");
    auto in = app::load_inputs(file, sf);
    if (!in.scenario.faults.empty())
      throw core::InputError({r.scenario, 1, 1}, "capacity needs a fault-free scenario: an outage would read as overload");
    app::check_expectation_subjects(extra, in.topology);
    t.name = in.topology.name;
    t.prediction = analysis::predict_capacity(in.topology, in.scenario);
    t.rps_per_mailbox = t.prediction.load_rps / t.mailboxes;
    auto slo = in.scenario.expectations;
    slo.insert(slo.end(), extra.begin(), extra.end());
    slos.push_back(slo);
    topos.push_back(std::move(t));
  }
  *any_failed = false;
  // Round 1: the standard run, and the points around the predicted saturation.
  struct Pending {
    size_t topo;
    long long mailboxes;  // -1: the standard run
  };
  auto run_round = [&](const std::vector<std::pair<Pending, RunSpec>>& jobs) {
    std::vector<RunSpec> specs;
    for (const auto& j : jobs) specs.push_back(j.second);
    std::vector<std::string> errors;
    auto runs = run_specs(specs, o, &errors);
    size_t e = 0;
    for (size_t i = 0; i < jobs.size(); ++i) {
      Topo& t = topos[jobs[i].first.topo];
      const std::string error = runs[i] ? "" : errors[e++];
      if (!runs[i]) *any_failed = true;
      if (jobs[i].first.mailboxes < 0) {
        t.standard = runs[i] ? *runs[i] : json();
        continue;
      }
      const long long n = jobs[i].first.mailboxes;
      t.points[n] = point_item(n, static_cast<double>(n) * t.rps_per_mailbox, runs[i], error, slos[jobs[i].first.topo]);
    }
  };
  std::vector<std::pair<Pending, RunSpec>> round;
  for (size_t i = 0; i < topos.size(); ++i) {
    const Topo& t = topos[i];
    round.push_back({{i, -1}, spec_for(t, scenario_at(t.scenario_text, std::llround(t.mailboxes), r.point_duration_s),
                                       "standard load", r)});
    if (t.prediction.saturation_factor <= 0) continue;
    const double predicted = t.mailboxes * t.prediction.saturation_factor;
    for (double f : kFirstRound) {
      const long long n = std::max(1LL, std::llround(predicted * f));
      round.push_back({{i, n}, spec_for(t, scenario_at(t.scenario_text, n, r.point_duration_s),
                                        fmt::format("{} mailboxes", n), r)});
    }
  }
  run_round(round);
  // Round 2: halve each bracket (last pass, first failure) once.
  round.clear();
  for (size_t i = 0; i < topos.size(); ++i) {
    const json k = knee_of(topos[i]);
    if (k["bound"] != "exact") continue;
    const long long lo = k["mailboxes"].get<long long>(), hi = k["first_failure"].get<long long>();
    const long long mid = (lo + hi) / 2;
    if (mid <= lo || mid >= hi || static_cast<double>(hi - lo) <= kRefineAbove * static_cast<double>(lo)) continue;
    round.push_back({{i, mid}, spec_for(topos[i], scenario_at(topos[i].scenario_text, mid, r.point_duration_s),
                                        fmt::format("{} mailboxes", mid), r)});
  }
  if (!round.empty()) run_round(round);

  json out = {{"schema", "mailsim.capacity/1"},
              {"version", MAILSIM_VERSION},
              {"scenario", r.scenario},
              {"slo", r.slo},
              {"point_duration_s", r.point_duration_s}};
  json list = json::array();
  for (size_t i = 0; i < topos.size(); ++i) {
    Topo& t = topos[i];
    auto in = app::load_inputs(t.file, write_input(r.cache, t.scenario_text, "capacity-scenario"));
    json k = knee_of(t);
    json pred = t.prediction.to_json();
    pred["saturation_mailboxes"] = t.mailboxes * t.prediction.saturation_factor;
    pred["saturation_rps"] = t.prediction.load_rps * t.prediction.saturation_factor;
    json points = json::array();
    for (const auto& [n, p] : t.points) points.push_back(p);
    const double at = r.at.value_or(t.mailboxes);
    json headroom = {{"at_mailboxes", at}, {"at_rps", at * t.rps_per_mailbox}};
    if (k["mailboxes"].is_number()) {
      const double knee = k["mailboxes"].get<double>();
      headroom["extra_mailboxes"] = knee - at;
      headroom["extra_fraction"] = knee / at - 1;
      headroom["bound"] = k["bound"];
    }
    json standard = {{"mailboxes", t.mailboxes}, {"rps", t.prediction.load_rps}};
    if (!t.standard.is_null()) {
      std::string why;
      standard["slo"] = app::slo_holds(slos[i], t.standard, &why) && !t.standard.contains("overloaded");
      if (!why.empty()) standard["why"] = why;
      standard["bottleneck"] = t.standard.value("bottleneck", json());
      standard["resources_simulated"] = t.standard.contains("resources");
    }
    list.push_back({{"topology", t.name},
                    {"file", t.file},
                    {"standard", standard},
                    {"tiers", tiers(t, in.topology)},
                    {"utilisation", analysis::utilisation_side_by_side(
                                        t.prediction, t.standard.is_null() ? json::object() : t.standard)},
                    {"prediction", pred},
                    {"points", points},
                    {"knee", k},
                    {"bottleneck", knee_bottleneck(t, k)},
                    {"headroom", headroom}});
  }
  out["topologies"] = list;
  return out;
}

}  // namespace mailsim::runset
