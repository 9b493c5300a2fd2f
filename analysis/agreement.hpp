#pragma once
// What the runs measured against what `analyze` predicts, in words both explore and
// compare print (docs/analysis.md#agreement): one classification of a crash run per
// service, and the two explanations of a difference that are known not to be a bug.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace mailsim::analysis {

// A crash run's class for one service, against the baseline run (nullopt: none):
//   down       tail availability < 50%: the service does not survive the loss
//   degraded   tail availability below the baseline's by more than 0.1 percentage point
//   transient  more failed requests than the baseline, but the tail is fine (a failover)
//   none       no more failed requests than the baseline
struct TailFigures {
  double tail_availability = 1;  // over the run's last `tail` seconds
  int64_t failed = 0;            // over the run
};
std::string crash_class(const TailFigures& run, const std::optional<TailFigures>& baseline);

// Availability of a service over windows starting in [from, to) of its per-window series
// (mailsim.run/1 services.S.series); nullopt when there were no requests then.
std::optional<double> window_availability(const nlohmann::json& service, double from, double to);

// Why analyze calls a set a cut that the runs measured `degraded`: expected, not a bug.
extern const char* const kPartialOutageWhy;

// Why the runs measured `down` after a loss analyze says the service survives, when the
// outage outlasted the time from the crash to the tail (`window_s`): a failover slower
// than that window is judged down. "" when the outage was shorter (a real disagreement).
std::string slow_failover_hint(double outage_s, double window_s);

}  // namespace mailsim::analysis
