#pragma once
// What the run-set commands (explore, reliability, sweep) share: runner options, the
// function a child runs to simulate one RunSpec, and writing a result or a shard.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "runset/merge.hpp"
#include "runset/run_spec.hpp"
#include "runset/runner.hpp"
#include "runset/shard.hpp"

namespace mailsim::cli {

struct RunSetOptions {
  int jobs = 0;
  double time_limit_s = 0;
  std::string cache = "out/cache";
  bool no_cache = false;
  std::string shard;  // "i/N" or ""
  std::string json;
  bool quiet = false;
  bool progress = true;

  void add_to(CLI::App& app, bool shardable);
  runset::RunnerOptions runner(const std::string& what) const;
  runset::Shard parsed_shard() const;
};

// The child's work: load both files, check them, simulate, return the run-result JSON.
std::string simulate_spec(const runset::RunSpec& spec);

// Runs the specs (one child each) and returns their parsed results; a failed run gives
// nullopt and its one-line description (with the command that reproduces it) in *errors.
std::vector<std::optional<nlohmann::json>> run_specs(const std::vector<runset::RunSpec>& specs, const RunSetOptions& o,
                                                     const std::string& what, std::vector<std::string>* errors);

// Writes the shard document (with --shard) or the finalized result (to --json) and
// prints the table; returns the exit code (3 when a run failed: the set still completes).
int finish_set(const nlohmann::json& set, const std::vector<nlohmann::json>& items, const RunSetOptions& o,
               bool any_failed);

}  // namespace mailsim::cli
