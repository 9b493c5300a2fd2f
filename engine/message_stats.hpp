#pragma once
// Message-level view of a service whose clients are MTAs (`sender:` in the load): one
// message may take several attempts. The attempt-level view (availability, latency) stays
// in ServiceMetrics; this counts what happened to messages: accepted at once or after
// deferrals, bounced after maximal_queue_lifetime, still queued at the end, and the
// delivery delay (first attempt to acceptance). No SimGrid here.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "config/sender_params.hpp"
#include "core/rng.hpp"
#include "engine/histogram.hpp"

namespace mailsim::engine {

struct MessageState {
  double first_attempt_s = 0;
  int attempt = 1;
  double phase_s = 0;  // its queue's runs start at phase_s + k * queue_run_delay
};

class MessageStats {
 public:
  // Whose queue runs a message waits for: its own sending MTA's (kPerMessage: the senders
  // are many independent MTAs, each with its own phase, so retries after an outage spread
  // over queue_run_delay instead of arriving as one burst) or one server's (kShared).
  enum class Phase { kPerMessage, kShared };
  MessageStats(config::SenderParams p, core::RngStream rng, Phase mode)
      : p_(p), rng_(rng), mode_(mode), shared_phase_(rng_.uniform(0, p.queue_run_delay.seconds)) {}

  MessageState first(double now) {
    const double phase = mode_ == Phase::kShared ? shared_phase_ : rng_.uniform(0, p_.queue_run_delay.seconds);
    return {now, 1, phase};
  }
  void accepted(const MessageState& m, double now);
  // The attempt failed at `now`: returns when the next attempt starts, or nullopt when
  // the message bounces. Postfix's queue manager defers the message for its age (time
  // since it was queued), clamped to [minimal_backoff_time, maximal_backoff_time]; the
  // queue runs, every queue_run_delay, pick it up once that wait is over. An attempt that
  // fails when the message has been queued maximal_queue_lifetime or longer bounces it
  // (postconf(5); src/qmgr/qmgr_active.c).
  std::optional<double> deferred(MessageState& m, double now);
  void duplicate() { ++duplicates_; }  // answered after the sender gave up: sent twice
  void retry_started() { --pending_; }

  int64_t pending() const { return pending_; }
  nlohmann::json to_json() const;

 private:
  config::SenderParams p_;
  core::RngStream rng_;
  Phase mode_;
  double shared_phase_;
  uint64_t accepted_ = 0, accepted_after_retry_ = 0, deferred_attempts_ = 0, deferred_messages_ = 0;
  uint64_t bounced_ = 0, duplicates_ = 0;
  int64_t pending_ = 0;
  Histogram delay_;
};

}  // namespace mailsim::engine
