#pragma once
// `mailsim explore`: every combination of up to K node crashes under one load, ranked by
// impact per service. Engine-free: the CLI runs the scenarios this file generates
// through the runner and hands the run results back.
//
// Each run is the base scenario's load with its faults replaced by crashes of the chosen
// nodes at `at` (permanent unless `for` is given). Run 0 is the baseline (no fault). Per
// service and run, from the run result: availability, outage_max_s, failed, the worst
// incident class, lost mail, and the availability over the tail [duration - tail,
// duration), which tells whether the service came back without the nodes. The class of
// each run (down, degraded, transient, none) is analysis/agreement.hpp's crash_class.
// `ranking` lists a service's runs most harmful first by app/impact.hpp's order: lost
// availability, then incident class, then lost mail (then the longest outage).
// `single_node` lists the nodes per class for runs of one crash; `cut_sets` lists the
// minimal node sets (size <= K) whose loss leaves a service down.
//
// Agreement with the static analysis (`mailsim analyze`, analysis): the CLI puts
// analyze's minimal cut sets (size <= K) per service into the set as `analysis`
// ({services: {S: {min_cut_sets}}}, or {error} when analyze refused the topology), and
// finalize compares them with the measured ones into `agreement.services.S`: agree,
// only_in_explore, only_in_analyze (each {nodes, explore_impact}), expected_differences.
// Expected, not a disagreement: a set analyze calls a cut that explore measured
// `degraded` (analyze counts any share of failing requests as down), and explore's down
// supersets of such a set. Degraded and transient single nodes are listed under
// `not_compared`: a graph cannot see capacity loss or failover time.
//
// With an SLO (a list of expectations, judged by app/verdicts.hpp), every run is also
// judged against it: `runs[].slo` (and `why` when it fails), and `slo` {expectations,
// holds, runs, broken_by: [{nodes, why}]} lists the runs (the baseline included) whose
// result breaks it, in run order.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/expectation.hpp"

namespace mailsim::runset {

struct ExploreSpec {
  std::string topology_name;
  std::vector<std::string> nodes;     // topology order
  std::vector<std::string> services;  // topology order
  std::string base_text;              // the base scenario (faults are dropped)
  std::string base_name;
  double duration_s = 0;
  uint64_t seed = 1;
  int max_faults = 1;
  double at_s = 30.5;
  std::optional<double> for_s;  // restart after; none = permanent
  double tail_s = 20;
  std::string slo_text;                   // as given; "" for none
  std::vector<config::Expectation> slo;   // parsed from slo_text
};

// The standard load when no base scenario is given: every service at `rate_per_s`,
// constant, for `duration`, client timeout 10 s, seed 1.
std::string standard_scenario(const std::vector<std::string>& services, double rate_per_s, double duration_s);

// All subsets of {0..n-1} of sizes 1..k, by size then lexicographically; item 0 of a set
// is the empty set (the baseline).
std::vector<std::vector<int>> fault_sets(int n, int k);

// The base scenario with its faults replaced by crashes of `nodes`.
std::string crash_scenario(const ExploreSpec& spec, const std::vector<std::string>& nodes);

// The set's description as stored in shard files (everything finalize needs).
nlohmann::json explore_set(const ExploreSpec& spec, const std::string& inputs_hash);
// One item from one run result (or from a failed run's description).
nlohmann::json explore_item(const ExploreSpec& spec, size_t index, const std::vector<std::string>& nodes,
                            const nlohmann::json* run, const std::string& error);
// The result document (schema mailsim.explore/1; rendered by reports/explore_table.hpp)
// from the set and all its items in order.
nlohmann::json explore_finalize(const nlohmann::json& set, const std::vector<nlohmann::json>& items);

}  // namespace mailsim::runset
