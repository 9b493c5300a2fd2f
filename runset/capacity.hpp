#pragma once
// `mailsim capacity` (issue 15 item 6, docs/capacity.md): per topology, the largest
// population the scenario's load profile can grow to before its SLO breaks (the knee),
// found in two steps so that four seed clusters answer in well under a minute:
//  1. bracket: operational laws on the same YAML (analysis/capacity_model.hpp) predict
//     the saturation population N_pred = N x (1 / U_max) and the bottleneck;
//  2. confirm: a few short simulated points around N_pred (kFirstRound x N_pred, then,
//     when the bracket between the last pass and the first failure is wide, one point
//     halving it), each a fault-free run that ends early when overloaded, through the
//     cached runner;
// plus one run at the standard population (as short) for each tier's utilisation,
// and the headroom at a given population: how much more load until the SLO breaks.
// The result document (schema mailsim.capacity/1) is rendered by reports/capacity_report.hpp.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "runset/runner.hpp"

namespace mailsim::runset {

struct CapacityRequest {
  std::vector<std::string> topologies;
  std::string scenario = "scenarios/library/standard-load.yaml";
  std::optional<double> mailboxes;  // --population: the standard population (default: the scenario's)
  std::optional<double> at;         // --at: the population whose headroom is asked (default: the standard one)
  double point_duration_s = 20;     // simulated seconds of each confirming point and of the standard run
  std::string slo = "p99 <= 1s";    // added to the scenario's expect:
  std::string cache;                // generated inputs go under CACHE/inputs
};

// The default wall budget of one capacity run (--time-limit): a point is
// point_duration_s (20 s) of simulated time near the knee, a few seconds of wall time on a
// seed cluster; 120 s leaves room for a loaded machine.
constexpr double kCapacityPointBudgetSeconds = 120;

// Multiples of the predicted saturation population simulated first.
inline const std::vector<double> kFirstRound = {0.6, 0.8, 0.9, 1.0, 1.1};
// A bracket (last pass, first failure) wider than this share of the last pass gets one
// more point in its middle.
constexpr double kRefineAbove = 0.12;

nlohmann::json capacity(const CapacityRequest& r, const RunnerOptions& o, bool* any_failed);

}  // namespace mailsim::runset
