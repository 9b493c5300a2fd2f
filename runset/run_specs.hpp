#pragma once
// Running a run set's request-level runs: each RunSpec simulated in a forked child by the
// runner (one simulation per process, DESIGN.md decision 1), and the owned items of a set
// collected from the results in order.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "runset/run_spec.hpp"
#include "runset/runner.hpp"

namespace mailsim::runset {

// The child's work: load both files, check them, simulate, return the run-result JSON.
std::string simulate_spec(const RunSpec& spec);
// The runner's job for a spec: simulate_spec in a child, cached under run_key, with the
// command that reproduces it.
Job make_job(const RunSpec& spec);

// Runs the specs (one child each) and returns their parsed results; a failed run gives
// nullopt, and its one-line description (with the command that reproduces it) goes to
// *errors and to stderr.
std::vector<std::optional<nlohmann::json>> run_specs(const std::vector<RunSpec>& specs, const RunnerOptions& o,
                                                     std::vector<std::string>* errors);

// The runs a shard owns: one spec per item it owns, with that item's index in the set.
struct OwnedRuns {
  std::vector<RunSpec> specs;
  std::vector<size_t> index;
  void add(size_t item, RunSpec spec) {
    index.push_back(item);
    specs.push_back(std::move(spec));
  }
};

// A run set as a command plans it: the set its result is finalized from (what shard files
// carry), the runs this shard owns, and how one run's result becomes the set's item.
struct RunSetPlan {
  nlohmann::json set;
  OwnedRuns runs;
  virtual ~RunSetPlan() = default;
  // The item of an owned run: its result, or nullptr and the failed run's description.
  virtual nlohmann::json item(size_t index, const nlohmann::json* run, const std::string& error) const = 0;
};

// Runs the plan's runs and returns their items in order; *any_failed tells whether a run
// failed (its item records the error).
std::vector<nlohmann::json> run_items(const RunSetPlan& plan, const RunnerOptions& o, bool* any_failed);

}  // namespace mailsim::runset
