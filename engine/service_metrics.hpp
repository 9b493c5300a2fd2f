#pragma once
// Per-service metrics with memory bounded in the request count (DESIGN.md decision 7).
// Outcomes arrive out of order (a slow request finishes after faster later ones), but
// outage intervals and time series are defined over arrival order, so outcomes pass through
// a reorder window indexed by arrival sequence. The window only spans requests still in
// flight: once a request is older than the client timeout, the client has given up, so its
// slot resolves as a timeout whatever the server does later. The window is thus bounded by
// rate x timeout, not by the run's length.
#include <array>
#include <cstdint>
#include <deque>
#include <limits>
#include <nlohmann/json.hpp>
#include <vector>

#include "engine/histogram.hpp"
#include "engine/overload_detector.hpp"
#include "engine/outcome.hpp"

namespace mailsim::engine {

// A series keeps at most this many windows: a longer run gets proportionally wider
// windows, so memory does not grow with simulated duration (DESIGN.md decision 7). The
// window of a run's series (services' and resources') for the scenario's `window`.
constexpr double kMaxSeriesWindows = 3600;
double series_window(double window, double duration);

struct OutageInterval {
  double start_s;
  double end_s;
  uint64_t failed;
};

struct WindowStats {
  uint32_t requests = 0;
  uint32_t ok = 0;
  uint32_t failed = 0;  // includes timeouts
  uint32_t stalled = 0;  // ok, but slower than the stall threshold
  double latency_sum = 0;  // of ok requests
  double latency_max = 0;
};

class ServiceMetrics {
 public:
  // `stall`: an ok answer slower than this is counted as stalled (the scenario's
  // `metrics.incidents.stall`, config/incident_params.hpp); infinity counts none.
  ServiceMetrics(double timeout, double window, double duration,
                 double stall = std::numeric_limits<double>::infinity());

  uint64_t on_arrival(double t);  // returns the request's arrival sequence number
  uint64_t arrivals() const { return base_seq_ + pending_.size(); }  // the next arrival's number
  // The request answered (or failed) at time `now`; a latency past the timeout counts as
  // a timeout with latency = timeout.
  void on_outcome(uint64_t seq, Outcome o, double now);
  // Resolves every slot whose fate is known by `now`; call at the end with the end time.
  void flush(double now, bool end_of_run);

  nlohmann::json to_json() const;
  uint64_t requests() const { return requests_; }
  uint64_t ok() const { return ok_; }
  const Histogram& latency() const { return latency_; }
  const std::vector<OutageInterval>& outages() const { return outages_; }
  // The counters at `now` as the overload detector reads them (overload_detector.hpp),
  // without resolving anything: slots past their timeout count as given up.
  ServiceProgress progress(double now) const;

 private:
  struct Slot {
    double t_start;
    double latency;
    Outcome outcome;
    bool done;
  };
  void resolve(const Slot& s);
  double timeout_;
  double window_;
  double stall_;
  uint64_t base_seq_ = 0;
  std::deque<Slot> pending_;
  uint64_t requests_ = 0, ok_ = 0, stalled_ = 0, unfinished_ = 0;
  uint64_t ok_answers_ = 0;  // successful answers the servers sent, in time or too late
  std::array<uint64_t, static_cast<size_t>(Outcome::kCount)> by_outcome_{};
  Histogram latency_;  // of ok requests
  std::vector<WindowStats> series_;
  std::vector<OutageInterval> outages_;
  static constexpr size_t kMaxOutages = 10000;
  uint64_t outages_dropped_ = 0;
  bool in_outage_ = false;
  OutageInterval current_{};
};

}  // namespace mailsim::engine
