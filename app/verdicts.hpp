#pragma once
// The one evaluator of expectations (config/expectation.hpp), used by every command that
// judges a run: `run` and `check` (the scenario's `expect:`, into the run result's
// `expectations` array, docs/reports.md) and `sweep`/`explore --slo` (runset/).
//
// A verdict is {text, metric, measured, op, threshold, unit, pass} and, when nothing could
// be measured, `note`. A metric absent from the result (a service that is not there, no
// `checks`, a failover that never happened) is a failed verdict with measured = null and a
// note saying why: never a crash.
//
// An expectation over every service (a per-service metric written without its service)
// judges each service that received requests (an idle one has nothing to judge) and
// passes when each passes. Its verdict reports one service, named in `metric`
// (`p99(imap)`): the first failing one in name order, or, when all pass, the one nearest
// the threshold (the lowest value for >= and >, the highest for <= and <).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/expectation.hpp"

namespace mailsim::app {

// A measured value as a reader takes it in, in the unit a verdict's JSON names
// (`fraction`: a percentage; `s`: ms below a second; `count`): "76.4429%", "812.5ms".
std::string measure_text(double value, const std::string& unit);

struct Verdict {
  config::Expectation expectation;
  std::string service;  // the service judged, for an expectation over every service; else ""
  std::optional<double> measured;
  std::string note;  // why nothing was measured
  bool pass = false;

  nlohmann::json to_json() const;
  // Why a failed verdict failed, in one line: "imap: p99<=2s (measured 2.345)", or
  // "p99(imap)<=2s (not measured: service 'imap' had no ok request)".
  std::string why() const;
};

std::vector<Verdict> judge(const std::vector<config::Expectation>& expectations, const nlohmann::json& run);

// The run result's `expectations` array.
nlohmann::json evaluate_expectations(const std::vector<config::Expectation>& expectations, const nlohmann::json& run);

// How many verdicts of a run result failed (0 when the result has none).
size_t failed_expectations(const nlohmann::json& run);

// Whether a run meets an SLO (sweep and explore's --slo); *why gets the first failed
// verdict's why(). Without expectations, the run's own verdicts decide (its scenario's
// `expect:`, judged when it ran; *why is then the failed one's text); none at all holds.
bool slo_holds(const std::vector<config::Expectation>& slo, const nlohmann::json& run, std::string* why);

// The services a run breaks an SLO for (same rules as slo_holds), in name order: a failed
// verdict of a per-service metric names its service (an expectation over every service is
// judged for each). *other is set when a failed verdict is about no service (a component's
// failover, the whole run's lost mail, a check), which concerns them all.
std::vector<std::string> services_breaking(const std::vector<config::Expectation>& slo, const nlohmann::json& run,
                                           bool* other);

}  // namespace mailsim::app
