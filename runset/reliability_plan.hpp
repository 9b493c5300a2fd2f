#pragma once
// `mailsim reliability` in three steps (docs/runsets.md; the estimator is
// runset/reliability.hpp):
//  1. plan_outage_runs: the failure model of the topology's nodes and zones (lifetimes
//     from the request, with per-node and per-zone overrides) and the request-level runs
//     that measure what each failure costs: a baseline, each node crashed at `at` and
//     restarted `down_for` later, and with `pairs` every pair;
//  2. set_from_outages: from those runs, per service its cut sets (the measured down
//     singles and pairs, and the structural rule: all nodes of a component its steps
//     call), minimized, and its losses per node; the set the estimate is made of;
//  3. run_chunks: the Monte Carlo chunks in forked workers, in rounds until the stopping
//     rule holds (a shard: every chunk it owns; merge applies the rule).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/topology.hpp"
#include "runset/explore.hpp"
#include "runset/reliability.hpp"
#include "runset/run_spec.hpp"
#include "runset/runner.hpp"
#include "runset/shard.hpp"

namespace mailsim::runset {

struct ReliabilityRequest {
  std::string topology_file;
  std::string scenario_file;  // the outage runs' load; "" = every service at `rate`
  // Defaults from published field data (docs/runsets.md#defaults-and-their-sources):
  // - time to failure: Weibull with decreasing hazard (shape 0.7), Schroeder & Gibson,
  //   "A large-scale study of failures in high-performance computing systems", DSN 2006;
  //   mean 1 year per node (an assumption within that paper's range, see the docs);
  // - time to repair: lognormal (same paper: "repair times are well modeled by a
  //   lognormal distribution"; mean repair time from under an hour to over a day), 6 h.
  std::string ttf = "weibull 1y 0.7", ttr = "lognormal 6h 1";
  // Zone failures are off unless given; their repair time is an assumption.
  std::string zone_ttf = "none", zone_ttr = "lognormal 4h 1";
  std::vector<std::string> node_ttf, node_ttr, zone_ttf_of, zone_ttr_of;  // NAME=DISTRIBUTION
  double rate = 100;                            // per service, per second, of the default load
  double at = 30.5, down_for = 60, after = 60;  // crash time, downtime, run after the restart
  double tail = 20;                             // seconds before the restart judging "down"
  std::string pairs = "auto";                   // yes, no, or auto (up to 8 nodes)
  uint64_t seed = 1;                            // of the Monte Carlo
  int reps = 100;                               // replications per batch
  std::string horizon = "10y";                  // per replication: a duration, or Ny
  double min_years = 1e4, max_years = 1e6;      // cluster-years: before the rule, at most
  double precision = 0.1;                       // 95% CI half-width / unavailability
  int chunk = 10;                               // batches per worker job and shard item
  std::string cache;                            // generated inputs go under CACHE/inputs
};

struct OutageRuns {
  config::Topology topology;
  ReliabilityModel model;  // nodes, zones and lifetimes; set_from_outages adds the services
  ExploreSpec spec;        // the load, crash and restart of the runs
  bool pairs = false;
  std::vector<std::vector<int>> sets;  // the baseline (empty), each node, each pair
  std::vector<RunSpec> specs;          // one per set
  std::string topology_text;
};

OutageRuns plan_outage_runs(const ReliabilityRequest& r);

// `runs`: the results of plan.specs, in order, all successful.
nlohmann::json set_from_outages(const ReliabilityRequest& r, const OutageRuns& plan,
                               const std::vector<nlohmann::json>& runs);

// The chunks' items in index order; `width` children at once (rounds of 2 x width).
std::vector<nlohmann::json> run_chunks(const nlohmann::json& set, const Shard& shard, const RunnerOptions& o,
                                       int width);

}  // namespace mailsim::runset
