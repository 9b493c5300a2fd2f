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

// The default wall budget of one sweep point (--time-limit), and why: the largest
// fault-free point of issue 15's sweep (2.56M mailboxes on a seed cluster, about 11.5M
// requests) takes about 100 s at 116k requests per wall second (docs/performance.md);
// three times that leaves room for a slower machine, while a point that needs more is
// almost surely stuck (overloaded points of fault-free scenarios stop early anyway).
constexpr double kSweepPointBudgetSeconds = 300;
inline constexpr const char* kSweepPointBudgetWhy =
    "3x the largest fault-free point of a seed-cluster population sweep (docs/runsets.md)";

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
  // Points of a fault-free scenario end early when overloaded (RunSpec::stop_overloaded);
  // false (--run-overloaded) runs every point to its end.
  bool stop_overloaded = true;
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
