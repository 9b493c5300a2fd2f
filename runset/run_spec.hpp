#pragma once
// One request-level run of a run set: the input texts (as generated or read), the files
// that hold them (so a failed run can be reproduced with `mailsim run`), and the seed.
#include <cstdint>
#include <string>

namespace mailsim::runset {

struct RunSpec {
  std::string label;
  std::string topology_file, scenario_file;
  std::string topology_text, scenario_text;
  uint64_t seed = 1;
  // End the run when it cannot keep up (app::RunBounds::stop_overloaded): a sweep's
  // fault-free points. Part of the cache key and of the reproduce command.
  bool stop_overloaded = false;
};

// The cache key: SHA-256 over the mailsim version, the build (build_identity), both input texts, the operators' files
// the topology reads (`config:`) and the seed.
std::string run_key(const RunSpec& spec);
// "mailsim run TOPOLOGY SCENARIO --seed N"
std::string reproduce_command(const RunSpec& spec);
// Writes a generated input under CACHE_DIR/inputs/, named by the hash of its text (the
// same text always lands in the same file), and returns its path.
std::string write_input(const std::string& cache_dir, const std::string& text, const std::string& stem);

}  // namespace mailsim::runset
