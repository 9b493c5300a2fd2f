#pragma once
// `mailsim sweep` as a plan (docs/runsets.md): the command line's axes, SLO and knee
// checked and resolved, the points of the grid (crossed with a Latin hypercube), one
// edited topology/scenario pair per point written under the cache, the runs this shard
// owns, and the set the result is finalized from (runset/sweep.hpp).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/expectation.hpp"
#include "runset/run_specs.hpp"
#include "runset/shard.hpp"

namespace mailsim::runset {

struct SweepRequest {
  std::string topology_file, scenario_file;
  std::vector<std::string> sets;    // --set PATH=VALUES
  std::vector<std::string> ranges;  // --range PATH=LO..HI[:log]
  size_t lhs = 0;                   // --lhs N: points of the hypercube; 0 = a grid only
  int reps = 1;
  std::optional<uint64_t> seed;     // default: the scenario's
  std::string slo;                  // expectations; "" = the scenario's own
  std::string knee;                 // a --set or --range PATH; "" = the first --set (none with --lhs)
  std::string cache;                // generated inputs go under CACHE/inputs
  Shard shard;
};

// Item index = point * reps + replication.
struct SweepPlan : RunSetPlan {
  std::vector<std::vector<std::string>> values;  // per point, the value of each axis
  std::vector<config::Expectation> slo;
  uint64_t seed0 = 0;
  int reps = 1;

  nlohmann::json item(size_t index, const nlohmann::json* run, const std::string& error) const override;  // sweep_item
};

// Bad input (axes, knee, SLO, a value the YAML refuses: with its position in the
// generated file) is core::InputError, before anything runs.
SweepPlan plan_sweep(const SweepRequest& r);

}  // namespace mailsim::runset
