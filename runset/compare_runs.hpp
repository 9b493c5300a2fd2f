#pragma once
// The runs of `mailsim compare` (and of `mailsim demo`, which compares the seed clusters):
// per topology its static analysis, a baseline under a generated load, one run per
// single-node crash and the extra scenarios that fit it, all through the runner (one
// child per run), assembled into the compare document (analysis/compare.hpp).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "runset/runner.hpp"

namespace mailsim::runset {

struct CompareRequest {
  std::vector<std::string> topologies;
  std::vector<std::string> scenarios;  // extra scenario files, run on every topology they fit
  // --vary PATH=VALUES (sweep's syntax, topology paths only): each topology is compared once
  // per point of their grid, as a variant named "NAME [PATH=VALUE ...]".
  std::vector<std::string> vary;
  double rate = 20;                    // per service, per second, in the generated runs
  double duration = 90;                // of the generated runs, seconds (a Patroni failover takes ~30 s)
  double at = 20.5;                    // crash time, seconds (off the models' whole-second periods)
  analysis::AnalysisOptions analysis;
  std::string cache;                   // generated inputs go under CACHE/inputs
};

// The compare document (schema mailsim.compare/1); *any_failed tells whether a run
// failed (the document still shows the others, and names the failed runs).
nlohmann::json compare_topologies(const CompareRequest& r, const RunnerOptions& o, bool* any_failed);

}  // namespace mailsim::runset
