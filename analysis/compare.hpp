#pragma once
// `mailsim compare`: the side-by-side summary of several topologies from their static
// analysis and their runs (a baseline under nominal load, one run per single-node crash,
// and any extra scenarios). Engine-free: the CLI runs the simulations in child processes
// (cli/cmd_compare.cpp) and hands the run results (schema mailsim.run/1) here.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/analysis.hpp"

namespace mailsim::analysis {

// One node's crash run: the node, its run result (nullopt when the run failed) and the
// `mailsim run ... --seed N` command that reproduces it.
struct CrashRun {
  std::string node;
  std::optional<nlohmann::json> run;
  std::string command;
};

struct CompareInput {
  TopologyAnalysis analysis;
  double crash_at_s = 0;  // when the single-node crash happens
  double tail_s = 0;      // a service whose availability over the run's last tail_s is < 50% is "down"
  std::optional<nlohmann::json> baseline;  // the nominal run; nullopt when it failed
  std::string baseline_command;            // `mailsim run ...` that reproduces it
  std::vector<CrashRun> crashes;           // one per node
  // Extra scenarios: name and run result, or nullopt with a reason in scenario_errors.
  std::vector<std::pair<std::string, std::optional<nlohmann::json>>> scenarios;
  std::vector<std::string> scenario_errors;  // parallel to scenarios ("" when it ran)
};

// The compare document (schema mailsim.compare/1, docs/analysis.md): per topology, per
// service: SPOFs, minimum failures, exact availability, p99 at nominal load, the worst
// single-node crash by impact (app/impact.hpp: lost availability, then incident class,
// then lost mail) with the command that reproduces it, where analyze and the crash runs
// disagree (analysis/agreement.hpp) and why, the most lost mail; per component the
// longest failover measured in the crash runs. Rendered by reports/compare_table.hpp
// (terminal, Markdown) and reports/compare_html.hpp.
nlohmann::json compare_result(const std::vector<CompareInput>& inputs);

}  // namespace mailsim::analysis
