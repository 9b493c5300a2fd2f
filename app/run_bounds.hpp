#pragma once
// How long a run may be: the estimate of its size, the warning for a very long one, and
// the bounds a user sets (mailsim run --max-requests, --time-limit; docs/robustness.md).
#include <cstdint>
#include <string>

#include "config/scenario.hpp"

namespace mailsim::app {

struct RunBounds {
  uint64_t max_requests = 0;  // 0 = none
  double time_limit_s = 0;    // wall seconds; 0 = none
  // End the run when it cannot keep up with its load (engine/overload_detector.hpp); its
  // result carries `overloaded` and `partial`. For fault-free load only.
  bool stop_overloaded = false;
};

// Client requests per wall second of a request-level run, for estimates only: the lowest
// of the seed clusters' figures in docs/performance.md (116k to 144k).
constexpr double kRequestsPerWallSecond = 100'000;
// A run estimated above this gets a warning (about a minute and a half of wall time).
constexpr double kLongRunRequests = 1e7;

// "" for a run of ordinary size; otherwise one line: the estimated request count and wall
// time, and how to bound the run.
std::string long_run_warning(const config::Scenario& s);

// A run whose estimate already exceeds --max-requests is refused before it starts
// (InputError at the scenario, exit 2); during the run the engine enforces both bounds.
void check_bounds(const config::Scenario& s, const RunBounds& b);

}  // namespace mailsim::app
