#include "engine/overload_detector.hpp"

#include <gtest/gtest.h>

namespace mailsim::engine {
namespace {

// One service, 100 requests/s, client timeout 10 s, 1 s windows: the detector needs a
// measure to hold for max(5 windows, 5 s) = 5 s.
struct Feed {
  OverloadDetector d{{"imap"}, {10.0}, 1.0};
  ServiceProgress p;
  std::optional<Overload> step(double t, uint64_t in_flight, uint64_t ok, uint64_t given_up) {
    p.arrivals += 100;
    p.in_flight = in_flight;
    p.ok_answers += ok;
    p.given_up += given_up;
    p.finished += ok + given_up;
    return d.observe(t, {p});
  }
};

TEST(OverloadDetector, ABacklogPastThreeQuartersOfRateTimesTimeoutHeldForTheSpanIsOverload) {
  Feed f;
  f.step(0, 0, 0, 0);
  std::optional<Overload> o;
  double t = 1;
  for (; t <= 30 && !o; ++t) o = f.step(t, std::min<uint64_t>(100 * static_cast<uint64_t>(t), 1000), 50, 0);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->measure, "backlog");
  EXPECT_EQ(o->service, "imap");
  EXPECT_DOUBLE_EQ(o->limit, 750);   // 0.75 x 100/s x 10 s
  EXPECT_DOUBLE_EQ(o->since_s, 8);   // first sample with 800 >= 750
  EXPECT_DOUBLE_EQ(o->at_s, 13);     // held 5 s
}

TEST(OverloadDetector, AStableBacklogIsNotOverload) {
  Feed f;
  f.step(0, 0, 0, 0);
  for (double t = 1; t <= 100; ++t) EXPECT_FALSE(f.step(t, 200, 100, 0)) << t;  // Little: 2 s in the system
}

TEST(OverloadDetector, ShortBurstsOfTimeoutsAreNotOverloadButSustainedOnesAre) {
  Feed f;
  f.step(0, 0, 0, 0);
  for (double t = 1; t <= 4; ++t) EXPECT_FALSE(f.step(t, 10, 40, 60));  // 4 s only
  EXPECT_FALSE(f.step(5, 10, 100, 0));
  std::optional<Overload> o;
  for (double t = 6; t <= 20 && !o; ++t) o = f.step(t, 10, 40, 60);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->measure, "timeouts");
  EXPECT_DOUBLE_EQ(o->value, 0.6);
  EXPECT_DOUBLE_EQ(o->at_s, 11);
}

TEST(OverloadDetector, AnOutageWithNoAnswersIsNotOverload) {
  Feed f;
  f.step(0, 0, 0, 0);
  for (double t = 1; t <= 60; ++t) EXPECT_FALSE(f.step(t, 1000, 0, 100)) << t;  // nothing answered: a fault
}

}  // namespace
}  // namespace mailsim::engine
