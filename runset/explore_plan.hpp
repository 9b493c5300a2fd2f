#pragma once
// `mailsim explore` as a plan (docs/runsets.md): the command line checked and resolved
// into an ExploreSpec (the base load, crash time, tail, SLO), one crash scenario per set
// of up to K nodes written under the cache, the runs this shard owns, and the set the
// result is finalized from, with analyze's cut sets for the agreement section
// (runset/explore.hpp).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "runset/explore.hpp"
#include "runset/run_specs.hpp"
#include "runset/shard.hpp"

namespace mailsim::runset {

struct ExploreRequest {
  std::string topology_file;
  std::string scenario_file;       // the base load; "" = every service at `rate` for `duration`
  int faults = 1;                  // crash every set of 1..faults nodes
  double rate = 100;               // per service, per second, of the standard load
  std::optional<double> duration;  // of the standard load (default 150 s)
  double at = 30.5;
  std::optional<double> for_s;     // restart after; none = permanent
  std::optional<double> tail;      // default min(20, (duration - at) / 2)
  std::optional<uint64_t> seed;    // default: the base scenario's
  int top = 10;                    // rows per service in the table
  std::string slo;                 // expectations every run is judged against; "" = none
  std::string cache;               // generated inputs go under CACHE/inputs
  Shard shard;
};

// Item index = index in fault_sets.
struct ExplorePlan : RunSetPlan {
  ExploreSpec spec;
  std::vector<std::vector<int>> fault_sets;

  nlohmann::json item(size_t index, const nlohmann::json* run, const std::string& error) const override;  // explore_item
};

ExplorePlan plan_explore(const ExploreRequest& r);

// One run of a crash experiment: `nodes` of the spec's topology crashed as the spec says
// (none: the baseline), the scenario written under CACHE/inputs/STEM-HASH.yaml; labelled
// "baseline" or "crash a+b", seeded with the spec's seed.
RunSpec crash_run(const ExploreSpec& spec, const std::vector<std::string>& nodes, const std::string& topology_file,
                  const std::string& topology_text, const std::string& cache, const std::string& stem);

}  // namespace mailsim::runset
