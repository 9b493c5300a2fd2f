#pragma once
// `mailsim sweep`: a grid over YAML paths of the topology and the scenario, with
// replications per point, a results table and CSV, and knee detection: along the knee
// axis (the first --set unless told otherwise), the highest value before the first point
// where the SLO fails, for every combination of the other axes (e.g. per topology
// variant). Engine-free: the CLI runs the generated inputs through the runner.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mailsim::runset {

struct SweepAxis {
  std::string path;      // without the topology./scenario. prefix
  bool topology = false;  // which document it edits
  std::vector<std::string> values;
};

// "PATH=v1,v2,..." or "PATH=A..B*F" (geometric) or "PATH=A..B+S" (arithmetic), where A,
// B and S share a unit suffix ("50/s..800/s*2" = 50/s,100/s,200/s,400/s,800/s). PATH
// starts with topology. or scenario., or with a key that only one of them has (load,
// faults, client, metrics, duration, seed -> scenario; network, nodes, components,
// services -> topology). Bad input is core::InputError at `origin`.
SweepAxis parse_axis(const std::string& arg, const std::string& origin);

// Points of the grid: the first axis outermost.
std::vector<std::vector<size_t>> grid_points(const std::vector<SweepAxis>& axes);

// An SLO: comma-separated terms METRIC OP VALUE, optionally SERVICE.METRIC; without a
// service a term applies to every service. Metrics: availability (fraction or %),
// p50 p90 p99 p999 max mean (latency, a duration), outage_max (a duration). OP: >= <= > <.
struct SloTerm {
  std::string service, metric, op;
  double threshold = 0;  // fraction, or seconds
  std::string text;
};
std::vector<SloTerm> parse_slo(const std::string& text, const std::string& origin);
// Evaluates the SLO on a run result; without terms, uses the run's own `expectations`
// verdicts when present (all must pass), else holds. *why gets the first failing term.
bool slo_holds(const std::vector<SloTerm>& slo, const nlohmann::json& run, std::string* why);

nlohmann::json sweep_item(size_t index, const std::vector<std::string>& point, int rep, uint64_t seed,
                          const nlohmann::json* run, const std::vector<SloTerm>& slo, const std::string& error);
nlohmann::json sweep_finalize(const nlohmann::json& set, const std::vector<nlohmann::json>& items);
std::string sweep_table(const nlohmann::json& result);
std::string sweep_csv(const nlohmann::json& result);

}  // namespace mailsim::runset
