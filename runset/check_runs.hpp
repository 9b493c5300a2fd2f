#pragma once
// The runs of `mailsim check` (docs/reports.md#mailsim-check): topology/scenario pairs
// from the command line and from suite files, each simulated in its own forked child (one
// simulation per process; a crash stays in that child), its verdicts in its result.
// reports/check_report.hpp renders them (terminal lines, JUnit, Markdown).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/inputs.hpp"

namespace mailsim::runset {

struct CheckPair {
  std::string topology, scenario;
  std::optional<uint64_t> seed;  // the suite's; none: the scenario's
};

// A suite file: `runs:`, a list of {topology, scenario | scenarios, seed?}; paths are
// relative to the suite file's folder. Errors are core::InputError at file:line:col.
std::vector<CheckPair> read_suite(const std::string& file);

struct CheckRun {
  std::string topology_file;
  std::string scenario_file;
  std::string name;     // "lb-pair/lb-master-crash"
  std::string command;  // "mailsim run T S --seed N"
  int exit_code = 0;    // the run's: 0 ran (verdicts in result), 2 bad input, 3 internal error
  nlohmann::json result;  // the run result; null when the run did not finish
  std::vector<int> expectation_lines;  // each expectation's line in the scenario file, in order
  double wall_s = 0;                   // how long the run took, wall-clock seconds (for JUnit's time)
};

// Simulates one pair, whose inputs were loaded and checked, with `seed`, in a child.
CheckRun run_check(const CheckPair& pair, const app::Inputs& in, uint64_t seed);

// The file name of a run's result in `check --out DIR`: TOPOLOGY__SCENARIO.json (stems).
std::string check_result_file(const CheckPair& pair);

}  // namespace mailsim::runset
