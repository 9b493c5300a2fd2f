#pragma once
// What the run-set commands (compare, explore, reliability, sweep) share: the runner's
// flags, and writing a result or a shard and printing its table.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runset/runner.hpp"
#include "runset/shard.hpp"

namespace mailsim::cli {

struct RunSetOptions {
  int jobs = 0;
  double time_limit_s = 0;
  double memory_limit_mb = 0;
  std::string cache = "out/cache";
  bool no_cache = false;
  std::string shard;  // "i/N" or ""
  std::string json;
  bool quiet = false;
  bool progress = true;

  // `time_limit_default`: the command's wall budget per run (0 = none), stated in --help.
  void add_to(CLI::App& app, bool shardable, double time_limit_default = 0, const std::string& why_default = "");
  runset::RunnerOptions runner(const std::string& what) const;
  runset::Shard parsed_shard() const;
};

// Writes the shard document (with --shard) or the finalized result (to --json) and
// prints the table; returns the exit code (3 when a run failed: the set still completes).
int finish_set(const nlohmann::json& set, const std::vector<nlohmann::json>& items, const RunSetOptions& o,
               bool any_failed);

}  // namespace mailsim::cli
