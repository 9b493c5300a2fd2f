#pragma once
// Client-side failure handling of a memcached server, without SimGrid.
//  - RetryGate (libmemcached / PHP memcached as Roundcube configures it): a server that
//    timed out is skipped for retry_interval; lookups meanwhile go to the fallback.
//  - TkoTracker (mcrouter): after failures_until_tko consecutive timeouts the server is TKO
//    ("technical knock-out"): requests to it fail fast and a probe is sent after a delay that
//    starts at probe_delay_initial and grows (x1.5 here, mcrouter uses a jittered growth) up to
//    probe_delay_max; a successful probe ends the TKO. A refused connection (ECONNREFUSED) is
//    a "hard TKO" at once, with no timeouts to count (mcrouter wiki, Features: Health check).
#include <algorithm>

namespace mailsim::models {

class RetryGate {
 public:
  explicit RetryGate(double retry_interval) : retry_(retry_interval) {}
  bool open(double now) const { return now >= dead_until_; }
  void failed(double now) { dead_until_ = now + retry_; }

 private:
  double retry_;
  double dead_until_ = -1;
};

class TkoTracker {
 public:
  TkoTracker(int failures_until_tko, double probe_initial, double probe_max)
      : limit_(failures_until_tko), initial_(probe_initial), max_(probe_max) {}
  bool tko() const { return tko_; }
  // A request timed out: returns true when this made the server TKO (arm the first probe).
  bool on_timeout() {
    if (tko_) return false;
    if (++failures_ < limit_) return false;
    tko_ = true;
    delay_ = initial_;
    return true;
  }
  // The server refused the connection: TKO now. Returns true when this made it TKO.
  bool on_refused() {
    if (tko_) return false;
    failures_ = limit_;
    tko_ = true;
    delay_ = initial_;
    return true;
  }
  void on_success() {
    failures_ = 0;
    tko_ = false;
  }
  // The delay before the next probe; grows on each failed probe.
  double next_probe_delay() {
    double d = delay_;
    delay_ = std::min(max_, delay_ * 1.5);
    return d;
  }

 private:
  int limit_;
  double initial_, max_;
  int failures_ = 0;
  bool tko_ = false;
  double delay_ = 0;
};

// Hit probability of an instance that started filling `age` seconds ago: an empty cache
// refills linearly over `warmup` (assumption: the working set is re-read once in warmup).
inline double hit_probability(double hit_ratio, double age, double warmup) {
  if (warmup <= 0) return hit_ratio;
  return hit_ratio * std::clamp(age / warmup, 0.0, 1.0);
}

}  // namespace mailsim::models
