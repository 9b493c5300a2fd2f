// Sending MTAs defer and retry (Postfix defaults): a full outage delays mail, loses none.
#include <gtest/gtest.h>

#include "tests/engine/run_helpers.hpp"

TEST(SmtpSender, FullOutageDelaysMailWithoutLosingIt) {
  auto run = mailsim::testing::run_tutorial("smtp-full-outage");
  const auto& smtp = run["services"]["smtp"];
  const auto& m = smtp["messages"];
  // Attempts during the outage failed...
  EXPECT_GT(smtp["failed"].get<uint64_t>(), 1000u);
  // ...but every message was deferred and later accepted: none bounced or left queued.
  EXPECT_GT(m["deferred_messages"].get<uint64_t>(), 1000u);
  EXPECT_EQ(m["bounced"].get<uint64_t>(), 0u);
  EXPECT_EQ(m["queued_at_end"].get<int64_t>(), 0);
  EXPECT_EQ(m["accepted_after_retry"].get<uint64_t>(), m["deferred_messages"].get<uint64_t>());
  // Every message was accepted once: attempts ok = accepted messages.
  EXPECT_EQ(m["accepted"].get<uint64_t>(), smtp["ok"].get<uint64_t>() - m["duplicates"].get<uint64_t>());
  // A deferred message waits at least minimal_backoff_time (300 s) before its retry, and
  // at most the backoff plus one queue run (300 s) plus the attempt that failed (30 s).
  double max_delay = m["delivery_delay_s"]["max"].get<double>();
  EXPECT_GE(max_delay, 300.0);
  EXPECT_LE(max_delay, 300.0 + 300.0 + 30.0 + 1.0);
}
