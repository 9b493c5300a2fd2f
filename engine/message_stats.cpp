#include "engine/message_stats.hpp"

#include <algorithm>
#include <cmath>

namespace mailsim::engine {

void MessageStats::accepted(const MessageState& m, double now) {
  ++accepted_;
  if (m.attempt > 1) ++accepted_after_retry_;
  delay_.add(now - m.first_attempt_s);
}

std::optional<double> MessageStats::deferred(MessageState& m, double now) {
  ++deferred_attempts_;
  if (m.attempt == 1) ++deferred_messages_;
  const double age = now - m.first_attempt_s;
  if (age >= p_.maximal_queue_lifetime.seconds) {
    ++bounced_;
    return std::nullopt;
  }
  const double wait = std::clamp(age, p_.minimal_backoff_time.seconds, p_.maximal_backoff_time.seconds);
  const double run = p_.queue_run_delay.seconds;
  const double next_run = m.phase_s + std::ceil((now + wait - m.phase_s) / run) * run;
  ++m.attempt;
  ++pending_;
  return next_run;
}

nlohmann::json MessageStats::to_json() const {
  return {{"accepted", accepted_},
          {"accepted_after_retry", accepted_after_retry_},
          {"deferred_attempts", deferred_attempts_},
          {"deferred_messages", deferred_messages_},
          {"bounced", bounced_},
          {"duplicates", duplicates_},
          {"queued_at_end", pending_},
          {"delivery_delay_s",
           {{"mean", delay_.mean()},
            {"p50", delay_.quantile(0.5)},
            {"p90", delay_.quantile(0.9)},
            {"p99", delay_.quantile(0.99)},
            {"max", delay_.max()}}}};
}

}  // namespace mailsim::engine
