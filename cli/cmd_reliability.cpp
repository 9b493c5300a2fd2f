// mailsim reliability TOPOLOGY: long-horizon Monte Carlo of failures and repairs
// (runset/reliability.hpp), with each failure's cost per service measured once by a
// request-level run of that failure (cached), and the Monte Carlo batches spread over
// forked workers (runset/reliability_plan.hpp).
#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/runset_common.hpp"
#include "core/error.hpp"
#include "runset/reliability_plan.hpp"
#include "runset/run_specs.hpp"

namespace mailsim::cli {

Command add_reliability(CLI::App& app) {
  struct Opts {
    runset::ReliabilityRequest reliability;
    RunSetOptions rs;
  };
  auto o = std::make_shared<Opts>();
  runset::ReliabilityRequest& r = o->reliability;
  app.add_option("topology", r.topology_file, "Topology YAML file")->required();
  app.add_option("--ttf", r.ttf, "Node time to failure: exponential MEAN | weibull MEAN SHAPE | lognormal MEAN SIGMA | none")
      ->capture_default_str();
  app.add_option("--ttr", r.ttr, "Node time to repair (same forms)")->capture_default_str();
  app.add_option("--node-ttf", r.node_ttf, "Per-node override, NODE=DISTRIBUTION (repeatable)");
  app.add_option("--node-ttr", r.node_ttr, "Per-node override, NODE=DISTRIBUTION (repeatable)");
  app.add_option("--zone-ttf", r.zone_ttf, "Time between failures of a whole zone (all its nodes at once)")
      ->capture_default_str();
  app.add_option("--zone-ttr", r.zone_ttr, "Duration of a zone failure")->capture_default_str();
  app.add_option("--zone-ttf-of", r.zone_ttf_of, "Per-zone override, ZONE=DISTRIBUTION (repeatable)");
  app.add_option("--zone-ttr-of", r.zone_ttr_of, "Per-zone override, ZONE=DISTRIBUTION (repeatable)");
  app.add_option("--scenario", r.scenario_file, "Load of the request-level outage runs: this scenario's load "
                                                "(default: every service at --rate)");
  app.add_option("--rate", r.rate, "Per-service rate of the default load, per second")->capture_default_str();
  app.add_option("--pairs", r.pairs, "Measure 2-node crashes too: yes, no, or auto (up to 8 nodes)")
      ->check(CLI::IsMember({"yes", "no", "auto"}))->capture_default_str();
  app.add_option("--seed", r.seed, "Seed of the Monte Carlo (the outage runs use the scenario's)")->capture_default_str();
  app.add_option("--reps", r.reps, "Replications per batch")->capture_default_str()->check(CLI::Range(1, 1000000));
  app.add_option("--horizon", r.horizon, "Simulated time per replication (duration, or Ny)")->capture_default_str();
  app.add_option("--min-years", r.min_years, "Cluster-years before the stopping rule is checked")->capture_default_str();
  app.add_option("--max-years", r.max_years, "Cluster-years at most")->capture_default_str();
  app.add_option("--precision", r.precision, "Stop when every 95% CI half-width <= this x the unavailability")
      ->capture_default_str();
  app.add_option("--chunk", r.chunk, "Batches per worker job and shard item")->capture_default_str()->check(CLI::Range(1, 100000));
  o->rs.add_to(app, true);
  return [o] {
    o->reliability.cache = o->rs.cache;
    const runset::Shard shard = o->rs.parsed_shard();
    // 1. Request-level runs: baseline, each node (and pair) crashing at `at` for `down_for`.
    const runset::OutageRuns plan = runset::plan_outage_runs(o->reliability);
    std::vector<std::string> errors;
    auto runs = runset::run_specs(plan.specs, o->rs.runner("outage runs"), &errors);
    if (!errors.empty()) {
      std::cerr << "mailsim: the outage runs must all succeed before the Monte Carlo can use them\n";
      return static_cast<int>(core::kExitInternal);
    }
    std::vector<nlohmann::json> results;
    for (auto& run : runs) results.push_back(std::move(*run));
    // 2. Per service: cut sets and losses. 3. The Monte Carlo, in forked workers.
    const nlohmann::json set = runset::set_from_outages(o->reliability, plan, results);
    const int width = o->rs.jobs > 0 ? o->rs.jobs : runset::default_jobs();
    auto chunks = o->rs.runner("Monte Carlo chunks");
    chunks.progress = false;
    const auto w0 = std::chrono::steady_clock::now();
    auto items = runset::run_chunks(set, shard, chunks, width);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    const double batch_years = set["reps"].get<double>() * set["horizon_s"].get<double>() / runset::kYear;
    double years = 0;
    for (const auto& it : items) years += static_cast<double>(it["batches"].size()) * batch_years;
    if (!o->rs.quiet)
      std::cerr << fmt::format("{:.4g} cluster-years simulated in {:.3f} s wall ({:.4g} cluster-years/s, -j {})\n", years,
                               wall, wall > 0 ? years / wall : 0.0, width);
    return finish_set(set, items, o->rs, false);
  };
}

}  // namespace mailsim::cli
