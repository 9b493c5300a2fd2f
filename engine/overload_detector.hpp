#pragma once
// Detects a run that cannot keep up with its load, so that a sweep's overloaded points end
// early (issue 15 item 5; docs/runsets.md "Overloaded points"). What the clients see is
// sampled once per metrics window, per service:
// - backlog: requests in flight (arrived, neither answered nor given up on) at least
//   kBacklogShare of what the clients allow (arrival rate x client timeout). By Little's
//   law that is a mean time in the system of 3/4 of the timeout: the servers' queues hold
//   more than the clients will wait for;
// - timeouts: at least kGivenUpShare of the window's finished requests failed because the
//   servers could not keep up (client timeout, haproxy's server timeout, a full backlog).
// A measure counts only while the servers still answer (a successful answer reached the
// clients in the window, in time or after they gave up: the servers work, so a full
// outage is not mistaken for overload) and only when it held
// at every sample over the last max(kSustainWindows windows, half the client timeout).
// A fault's outage can look the same to a client, so callers enable this for fault-free
// load only (runset's sweep does; `mailsim run --stop-overloaded` on request).
#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace mailsim::engine {

// One service's counters at a sample time (ServiceMetrics::progress).
struct ServiceProgress {
  uint64_t arrivals = 0;   // requests that arrived so far
  uint64_t in_flight = 0;  // arrived, not answered, younger than the client timeout
  uint64_t ok_answers = 0;  // successful answers sent so far, in time or after the client gave up
  uint64_t given_up = 0;   // timeouts, server timeouts and full-backlog refusals so far
  uint64_t finished = 0;   // every request with a known outcome so far
};

struct Overload {
  double at_s = 0;        // simulated time of the sample that decided it
  std::string service;
  std::string measure;    // "backlog" or "timeouts"
  double since_s = 0;     // the measure has held since this sample
  double value = 0;       // backlog: requests in flight; timeouts: the share given up on
  double limit = 0;       // the threshold it passed (requests, or a share)
  nlohmann::json to_json() const;
  std::string text() const;  // one line for people
};

class OverloadDetector {
 public:
  static constexpr double kBacklogShare = 0.75;
  static constexpr double kGivenUpShare = 0.5;
  static constexpr int kSustainWindows = 5;

  // Per service: its name and client timeout; `window`: the sampling period (s).
  OverloadDetector(std::vector<std::string> services, std::vector<double> timeouts, double window);

  double window() const { return window_; }
  // A sample at time t (about one per window, in order, one entry per service); returns the
  // first overload found (the first service in order when several).
  std::optional<Overload> observe(double t, const std::vector<ServiceProgress>& now);

 private:
  struct Sample {
    double t;
    bool backlog, timeouts;
    double backlog_value, backlog_limit, given_up_share;
  };
  std::vector<std::string> services_;
  std::vector<double> timeouts_;
  double window_;
  std::vector<ServiceProgress> last_;
  double last_t_ = 0;
  std::vector<std::deque<Sample>> history_;
  bool started_ = false;
};

}  // namespace mailsim::engine
