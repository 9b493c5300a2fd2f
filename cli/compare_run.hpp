#pragma once
// The work of `mailsim compare`, shared with `mailsim demo`: analyze each topology, run
// its baseline and single-node crashes (and extra scenarios) in child processes, print the
// side-by-side table and write the requested files.
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "cli/runset_common.hpp"

namespace mailsim::cli {

struct CompareOptions {
  std::vector<std::string> topologies;
  std::vector<std::string> scenarios;  // extra scenario files, run on every topology they fit
  double rate = 20;                    // per service, per second, in the generated runs
  double duration = 90;                // of the generated runs, seconds (a Patroni failover takes ~30 s)
  double at = 20.5;                    // crash time, seconds (off the models' whole-second periods)
  analysis::AnalysisOptions analysis;
  std::string markdown;                // file, or ""
  std::string html;                    // file, or ""
  RunSetOptions rs;                    // jobs, cache, progress, --json
};

// Returns the exit code: 0, or 3 when a run failed (the table still shows the others).
int run_compare(const CompareOptions& o);

}  // namespace mailsim::cli
