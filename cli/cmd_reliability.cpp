// mailsim reliability TOPOLOGY: long-horizon Monte Carlo of failures and repairs
// (runset/reliability.hpp), with each failure's cost per service measured once by a
// request-level run of that failure (cached), and the Monte Carlo batches spread over
// forked workers.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <set>

#include "models/registry.hpp"
#include "cli/commands.hpp"
#include "app/run_one.hpp"
#include "cli/runset_common.hpp"
#include "config/yaml_reader.hpp"
#include "runset/explore.hpp"
#include "runset/reliability.hpp"
#include "runset/sha256.hpp"

namespace mailsim::cli {

namespace {


// Defaults from published field data (docs/runsets.md#defaults):
// - time to failure: Weibull with decreasing hazard (shape 0.7), Schroeder & Gibson,
//   "A large-scale study of failures in high-performance computing systems", DSN 2006;
//   mean 1 year per node (an assumption within that paper's range, see the docs);
// - time to repair: lognormal (same paper: "repair times are well modeled by a lognormal
//   distribution"; mean repair time from under an hour to over a day), mean 6 h.
const char* kDefaultTtf = "weibull 1y 0.7";
const char* kDefaultTtr = "lognormal 6h 1";

void apply_overrides(const std::vector<std::string>& args, const std::vector<std::string>& names,
                     std::vector<runset::Lifetime>* out, const std::string& origin) {
  for (const auto& a : args) {
    size_t eq = a.find('=');
    if (eq == std::string::npos) throw core::InputError({origin, 0, 0}, "'" + a + "': write NAME=DISTRIBUTION");
    std::string name = a.substr(0, eq);
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end())
      throw core::InputError({origin, 0, 0}, "unknown name '" + name + "'" + core::did_you_mean(name, names));
    (*out)[static_cast<size_t>(it - names.begin())] = runset::parse_lifetime(a.substr(eq + 1), origin);
  }
}

}  // namespace

Command add_reliability(CLI::App& app) {
  struct Opts {
    std::string topology, scenario;
    std::string ttf = kDefaultTtf, ttr = kDefaultTtr, zone_ttf = "none", zone_ttr = "lognormal 4h 1";
    std::vector<std::string> node_ttf, node_ttr, zone_ttf_of, zone_ttr_of;
    double rate = 100, at = 30.5, down_for = 60, after = 60, tail = 20;
    std::string pairs = "auto";
    uint64_t seed = 1;
    int reps = 100;
    std::string horizon = "10y";
    double min_years = 1e4, max_years = 1e6, precision = 0.1;
    int chunk = 10;
    RunSetOptions rs;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("topology", o->topology, "Topology YAML file")->required();
  app.add_option("--ttf", o->ttf, "Node time to failure: exponential MEAN | weibull MEAN SHAPE | lognormal MEAN SIGMA | none")
      ->capture_default_str();
  app.add_option("--ttr", o->ttr, "Node time to repair (same forms)")->capture_default_str();
  app.add_option("--node-ttf", o->node_ttf, "Per-node override, NODE=DISTRIBUTION (repeatable)");
  app.add_option("--node-ttr", o->node_ttr, "Per-node override, NODE=DISTRIBUTION (repeatable)");
  app.add_option("--zone-ttf", o->zone_ttf, "Time between failures of a whole zone (all its nodes at once)")
      ->capture_default_str();
  app.add_option("--zone-ttr", o->zone_ttr, "Duration of a zone failure")->capture_default_str();
  app.add_option("--zone-ttf-of", o->zone_ttf_of, "Per-zone override, ZONE=DISTRIBUTION (repeatable)");
  app.add_option("--zone-ttr-of", o->zone_ttr_of, "Per-zone override, ZONE=DISTRIBUTION (repeatable)");
  app.add_option("--scenario", o->scenario, "Load of the request-level outage runs: this scenario's load "
                                            "(default: every service at --rate)");
  app.add_option("--rate", o->rate, "Per-service rate of the default load, per second")->capture_default_str();
  app.add_option("--pairs", o->pairs, "Measure 2-node crashes too: yes, no, or auto (up to 8 nodes)")
      ->check(CLI::IsMember({"yes", "no", "auto"}))->capture_default_str();
  app.add_option("--seed", o->seed, "Seed of the Monte Carlo (the outage runs use the scenario's)")->capture_default_str();
  app.add_option("--reps", o->reps, "Replications per batch")->capture_default_str()->check(CLI::Range(1, 1000000));
  app.add_option("--horizon", o->horizon, "Simulated time per replication (duration, or Ny)")->capture_default_str();
  app.add_option("--min-years", o->min_years, "Cluster-years before the stopping rule is checked")->capture_default_str();
  app.add_option("--max-years", o->max_years, "Cluster-years at most")->capture_default_str();
  app.add_option("--precision", o->precision, "Stop when every 95% CI half-width <= this x the unavailability")
      ->capture_default_str();
  app.add_option("--chunk", o->chunk, "Batches per worker job and shard item")->capture_default_str()->check(CLI::Range(1, 100000));
  o->rs.add_to(app, true);
  return [o] {
    config::Topology topo = config::load_topology(o->topology);
    models::validate_topology(topo);
    const std::string topo_text = config::read_text_file(o->topology);
    runset::ReliabilityModel m;
    m.nodes = topo.node_names();
    for (const auto& n : topo.nodes)
      if (!n.zone.empty() && std::find(m.zones.begin(), m.zones.end(), n.zone) == m.zones.end()) m.zones.push_back(n.zone);
    for (const auto& n : topo.nodes)
      m.node_zone.push_back(n.zone.empty() ? -1 : static_cast<int>(std::find(m.zones.begin(), m.zones.end(), n.zone) - m.zones.begin()));
    m.ttf.assign(m.nodes.size(), runset::parse_lifetime(o->ttf, "--ttf"));
    m.ttr.assign(m.nodes.size(), runset::parse_lifetime(o->ttr, "--ttr"));
    apply_overrides(o->node_ttf, m.nodes, &m.ttf, "--node-ttf");
    apply_overrides(o->node_ttr, m.nodes, &m.ttr, "--node-ttr");
    m.zone_ttf.assign(m.zones.size(), runset::parse_lifetime(o->zone_ttf, "--zone-ttf"));
    m.zone_ttr.assign(m.zones.size(), runset::parse_lifetime(o->zone_ttr, "--zone-ttr"));
    apply_overrides(o->zone_ttf_of, m.zones, &m.zone_ttf, "--zone-ttf-of");
    apply_overrides(o->zone_ttr_of, m.zones, &m.zone_ttr, "--zone-ttr-of");
    for (size_t i = 0; i < m.nodes.size(); ++i)
      if (m.ttr[i].kind == runset::Lifetime::Kind::kNone && m.ttf[i].kind != runset::Lifetime::Kind::kNone)
        throw core::InputError({"--ttr", 0, 0}, "node '" + m.nodes[i] + "' fails but is never repaired");

    // 1. Request-level runs: baseline, each node (and pair) crashing at `at` for `down_for`.
    runset::ExploreSpec ex;
    ex.nodes = m.nodes;
    ex.services = topo.service_names();
    ex.at_s = o->at;
    ex.for_s = o->down_for;
    const double duration = o->at + o->down_for + o->after;
    std::string base_file = o->scenario;
    if (base_file.empty()) {
      ex.base_text = runset::standard_scenario(ex.services, o->rate, duration);
      base_file = runset::write_input(o->rs.cache, ex.base_text, "reliability-standard");
    } else {
      ex.base_text = config::read_text_file(base_file);
    }
    auto base = app::load_inputs(o->topology, base_file);
    ex.base_name = base.scenario.name;
    if (base.scenario.duration.seconds < duration)
      throw core::InputError({base_file, 0, 0}, fmt::format("the outage runs need a scenario of at least {} s "
                                                            "(crash at {} s, down {} s, then {} s)",
                                                            duration, o->at, o->down_for, o->after));
    const bool pairs = o->pairs == "yes" || (o->pairs == "auto" && m.nodes.size() <= 8);
    auto sets = runset::fault_sets(static_cast<int>(m.nodes.size()), pairs ? 2 : 1);
    std::vector<runset::RunSpec> specs;
    for (const auto& set : sets) {
      std::vector<std::string> nodes;
      for (int i : set) nodes.push_back(m.nodes[static_cast<size_t>(i)]);
      runset::RunSpec rs;
      rs.label = nodes.empty() ? "baseline" : "crash " + nodes[0] + (nodes.size() > 1 ? "+" + nodes[1] : "");
      rs.topology_file = o->topology;
      rs.topology_text = topo_text;
      rs.scenario_text = runset::crash_scenario(ex, nodes);
      rs.scenario_file = runset::write_input(o->rs.cache, rs.scenario_text, "reliability");
      rs.seed = base.scenario.seed;
      specs.push_back(rs);
    }
    std::vector<std::string> errors;
    auto runs = run_specs(specs, o->rs, "outage runs", &errors);
    if (!errors.empty() || !runs[0]) {
      std::cerr << "mailsim: the outage runs must all succeed before the Monte Carlo can use them\n";
      return static_cast<int>(core::kExitInternal);
    }
    // 2. Per service: cut sets and losses.
    nlohmann::json outages = nlohmann::json::object();
    const double tail = std::min(o->tail, o->down_for / 2);
    std::map<std::vector<int>, nlohmann::json> profile;
    for (size_t k = 1; k < sets.size(); ++k)
      profile[sets[k]] = runset::outage_profile(*runs[k], *runs[0], ex.services, o->at, o->down_for, tail);
    for (const auto& svc_name : ex.services) {
      runset::ReliabilityModel::Service svc;
      svc.name = svc_name;
      std::vector<std::vector<int>> cuts;
      for (size_t i = 0; i < m.nodes.size(); ++i) {
        const auto& p = profile[{static_cast<int>(i)}][svc_name];
        svc.crash_loss_s.push_back(p["crash_loss_s"]);
        svc.repair_loss_s.push_back(p["repair_loss_s"]);
        svc.degraded_fraction.push_back(p["degraded_fraction"]);
        outages[svc_name][m.nodes[i]] = p;
        if (p["down"].get<bool>()) cuts.push_back({static_cast<int>(i)});
      }
      for (const auto& [set, p] : profile)
        if (set.size() == 2 && p[svc_name]["down"].get<bool>()) cuts.push_back(set);
      // Structural rule: a service is down while every node of a component it calls is down.
      const auto* s = topo.find_service(svc_name);
      for (const auto& step : s->steps) {
        const auto* comp = topo.find_component(step.component);
        std::vector<int> set;
        for (const auto& n : comp->nodes) set.push_back(topo.node_index(n));
        std::sort(set.begin(), set.end());
        cuts.push_back(set);
      }
      // Keep minimal sets only.
      std::sort(cuts.begin(), cuts.end(), [](const auto& a, const auto& b) { return a.size() != b.size() ? a.size() < b.size() : a < b; });
      for (const auto& c : cuts) {
        bool minimal = true;
        for (const auto& d : svc.cut_sets)
          if (std::includes(c.begin(), c.end(), d.begin(), d.end())) minimal = false;
        if (minimal) svc.cut_sets.push_back(c);
      }
      m.services.push_back(std::move(svc));
    }

    // 3. Monte Carlo.
    runset::ReliabilitySettings st;
    st.seed = o->seed;
    st.reps = o->reps;
    {
      const std::string& h = o->horizon;
      if (!h.empty() && h.back() == 'y') {
        try {
          st.horizon_s = std::stod(h.substr(0, h.size() - 1)) * runset::kYear;
        } catch (...) {
          st.horizon_s = 0;
        }
      } else {
        try {
          st.horizon_s = core::parse_duration(h).seconds;
        } catch (...) {
          st.horizon_s = 0;
        }
      }
      if (!(st.horizon_s > 0)) throw core::InputError({"--horizon", 0, 0}, "'" + h + "' is not a duration (e.g. 10y, 30d)");
    }
    const double batch_years = st.reps * st.horizon_s / runset::kYear;
    st.min_batches = std::max(2, static_cast<int>(std::ceil(o->min_years / batch_years - 1e-9)));
    st.max_batches = std::max(st.min_batches, static_cast<int>(std::ceil(o->max_years / batch_years - 1e-9)));
    st.chunk_batches = o->chunk;
    st.precision = o->precision;
    nlohmann::json extra = {{"topology", topo.name}, {"outage_runs", {{"scenario", ex.base_name}, {"at_s", o->at},
                                                                      {"down_for_s", o->down_for}, {"pairs", pairs}}},
                            {"outages", outages}, {"inputs", runset::Sha256().field(topo_text).field(ex.base_text).hex()}};
    nlohmann::json set = runset::reliability_set(m, st, extra);
    const size_t total = set["total"];
    const std::string set_hash = runset::Sha256().field(set.dump()).hex();
    runset::Shard shard = o->rs.parsed_shard();
    auto chunk_job = [&](size_t c) {
      runset::Job j;
      j.key = runset::Sha256().field("reliability.chunk").field(MAILSIM_VERSION).field(set_hash).field(std::to_string(c)).hex();
      j.label = fmt::format("batches {}-{}", c * st.chunk_batches, (c + 1) * st.chunk_batches - 1);
      j.command = "(a Monte Carlo chunk: rerun the same mailsim reliability command)";
      j.body = [&set, c] { return runset::reliability_item(set, c).dump(); };
      return j;
    };
    const int width = o->rs.jobs > 0 ? o->rs.jobs : runset::default_jobs();
    std::vector<nlohmann::json> items;
    auto w0 = std::chrono::steady_clock::now();
    size_t next = 0;
    auto ropts = o->rs.runner("Monte Carlo chunks");
    ropts.progress = false;
    while (next < total) {
      std::vector<runset::Job> jobs;
      std::vector<size_t> idx;
      // Sharded: every owned chunk (merge applies the stopping rule). Whole: rounds of
      // 2 x width chunks until the rule is met.
      size_t round = shard.whole() ? static_cast<size_t>(2 * width) : total;
      for (; next < total && jobs.size() < round; ++next)
        if (shard.owns(next)) {
          jobs.push_back(chunk_job(next));
          idx.push_back(next);
        }
      auto res = runset::run_jobs(jobs, ropts);
      for (size_t q = 0; q < res.size(); ++q) {
        if (!res[q].ok()) throw std::runtime_error(res[q].describe(jobs[q]));
        items.push_back(nlohmann::json::parse(res[q].output));
      }
      if (shard.whole()) {
        bool complete = false;
        runset::reliability_finalize(set, items, &complete);
        if (complete) break;
      }
    }
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    double years = 0;
    for (const auto& it : items) years += static_cast<double>(it["batches"].size()) * batch_years;
    if (!o->rs.quiet)
      std::cerr << fmt::format("{:.4g} cluster-years simulated in {:.3f} s wall ({:.4g} cluster-years/s, -j {})\n", years,
                               wall, wall > 0 ? years / wall : 0.0, width);
    return finish_set(set, items, o->rs, false);
  };
}

}  // namespace mailsim::cli
