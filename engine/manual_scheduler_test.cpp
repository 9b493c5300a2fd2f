#include "engine/manual_scheduler.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"

namespace mailsim::engine {
namespace {

TEST(ManualScheduler, RunsCallbacksInTimeOrderAndFifoAmongEqualTimes) {
  ManualScheduler s;
  std::string order;
  s.at(2, [&] { order += "c"; });
  s.at(1, [&] { order += "a"; });
  for (char k : std::string("defgh")) s.at(3, [&order, k] { order += k; });
  s.at(1, [&] { order += "b"; });
  s.run_until(10);
  EXPECT_EQ(order, "abcdefgh");
}

TEST(ManualScheduler, RunUntilRunsWhatIsDueIncludingCallbacksScheduledMeanwhileThenStopsTheClockThere) {
  ManualScheduler s;
  std::string order;
  s.at(1, [&] {
    order += "a";
    s.after(0, [&] { order += "b"; });   // due now: runs in this run_until
    s.after(0.5, [&] { order += "c"; }); // due at 1.5: too
    s.after(5, [&] { order += "d"; });   // due at 6: not yet
  });
  s.run_until(2);
  EXPECT_EQ(order, "abc");
  EXPECT_DOUBLE_EQ(s.now(), 2);
  EXPECT_EQ(s.pending(), 1u);
  EXPECT_DOUBLE_EQ(s.next_time(), 6);
  ASSERT_TRUE(s.step());
  EXPECT_EQ(order, "abcd");
  EXPECT_DOUBLE_EQ(s.now(), 6);
  EXPECT_FALSE(s.step());
}

TEST(ManualScheduler, TheClockNeverMovesBackAndThePastCannotBeScheduled) {
  ManualScheduler s;
  s.run_until(5);
  s.run_until(3);
  EXPECT_DOUBLE_EQ(s.now(), 5);
  EXPECT_THROW(s.at(4, [] {}), core::InternalError);
}

TEST(ManualScheduler, ATimerReArmedOrCancelledDoesNotFireItsStaleExpiry) {
  ManualScheduler s;
  Timer t;
  int fired = 0;
  double at = -1;
  t.arm(s, 1, [&] { ++fired; });
  t.arm(s, 2, [&] {
    ++fired;
    at = s.now();
  });
  EXPECT_TRUE(t.armed());
  s.run_until(10);
  EXPECT_EQ(fired, 1);
  EXPECT_DOUBLE_EQ(at, 2);
  EXPECT_FALSE(t.armed());
  t.arm(s, 1, [&] { ++fired; });
  t.cancel();
  s.run_until(20);
  EXPECT_EQ(fired, 1);
}

}  // namespace
}  // namespace mailsim::engine
