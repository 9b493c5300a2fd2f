// Postfix's deferred-queue rule (qmgr, postconf(5)): after a failed attempt a message waits
// its age clamped to [minimal_backoff_time, maximal_backoff_time], is picked up by the
// first queue run (every queue_run_delay) after that, and bounces when an attempt fails
// once it has been queued maximal_queue_lifetime.
#include "engine/message_stats.hpp"

#include <gtest/gtest.h>

#include <cmath>

using mailsim::config::SenderParams;
using mailsim::engine::MessageState;
using mailsim::engine::MessageStats;

namespace {

SenderParams postfix_defaults() {
  return mailsim::config::sender_params().defaults();
}

// A shared-phase queue whose runs fall at phase + k * queue_run_delay.
MessageStats queue(const SenderParams& p) {
  return MessageStats(p, mailsim::core::RngStream(1, "test"), MessageStats::Phase::kShared);
}

}  // namespace

TEST(PostfixDeferredQueue, TheWaitIsTheMessagesAgeClampedToTheBackoffLimits) {
  const SenderParams p = postfix_defaults();
  MessageStats q = queue(p);
  MessageState m = q.first(0);
  const double phase = m.phase_s;
  // Failed at once (age 0): waits minimal_backoff_time (300 s), then the next queue run.
  auto at = q.deferred(m, 0);
  ASSERT_TRUE(at);
  EXPECT_GE(*at, 300.0);
  EXPECT_LT(*at, 600.0);
  EXPECT_NEAR(std::fmod(*at - phase, 300.0), 0.0, 1e-9);
  // Failed again at age 1000 s: waits 1000 s (not a doubled 600 s).
  at = q.deferred(m, 1000);
  ASSERT_TRUE(at);
  EXPECT_GE(*at, 2000.0);
  EXPECT_LT(*at, 2300.0);
  // At age 10000 s the wait is maximal_backoff_time (4000 s).
  at = q.deferred(m, 10000);
  ASSERT_TRUE(at);
  EXPECT_GE(*at, 14000.0);
  EXPECT_LT(*at, 14300.0);
  EXPECT_EQ(m.attempt, 4);
}

TEST(PostfixDeferredQueue, AMessageBouncesWhenAnAttemptFailsAfterMaximalQueueLifetime) {
  SenderParams p = postfix_defaults();
  p.maximal_queue_lifetime = {3600};
  MessageStats q = queue(p);
  MessageState m = q.first(0);
  EXPECT_TRUE(q.deferred(m, 3599));   // still within its lifetime: retried
  EXPECT_FALSE(q.deferred(m, 3600));  // failed at its lifetime: bounced
  EXPECT_EQ(q.to_json()["bounced"], 1);
}
