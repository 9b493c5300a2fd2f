#include "engine/service_metrics.hpp"

#include <gtest/gtest.h>

using namespace mailsim::engine;

TEST(ServiceMetrics, OutOfOrderOutcomesAreAccountedInArrivalOrder) {
  ServiceMetrics m(10.0, 1.0, 100.0);
  uint64_t a = m.on_arrival(1.0), b = m.on_arrival(2.0), c = m.on_arrival(3.0);
  m.on_outcome(c, Outcome::kOk, 3.1);
  m.on_outcome(b, Outcome::kNoBackend, 2.5);
  EXPECT_EQ(m.requests(), 0u);  // a is still in flight: nothing resolved yet
  m.on_outcome(a, Outcome::kOk, 1.2);
  EXPECT_EQ(m.requests(), 3u);
  ASSERT_EQ(m.outages().size(), 1u);
  EXPECT_DOUBLE_EQ(m.outages()[0].start_s, 2.0);  // first failed arrival
  EXPECT_DOUBLE_EQ(m.outages()[0].end_s, 3.0);    // next ok arrival
}

TEST(ServiceMetrics, ClientGivesUpAfterTimeoutWhateverTheServerDoesLater) {
  ServiceMetrics m(5.0, 1.0, 100.0);
  uint64_t a = m.on_arrival(0.0);
  uint64_t b = m.on_arrival(1.0);
  m.on_outcome(b, Outcome::kOk, 1.1);
  m.flush(5.0, false);  // a is 5 s old: timed out for the client
  EXPECT_EQ(m.requests(), 2u);
  EXPECT_EQ(m.ok(), 1u);
  m.on_outcome(a, Outcome::kOk, 30.0);  // the server answers much later: ignored
  EXPECT_EQ(m.ok(), 1u);
  auto j = m.to_json();
  EXPECT_EQ(j["failures"]["timeout"], 1);
}

TEST(ServiceMetrics, SlowAnswerPastTimeoutCountsAsTimeout) {
  ServiceMetrics m(2.0, 1.0, 10.0);
  uint64_t a = m.on_arrival(0.0);
  m.on_outcome(a, Outcome::kOk, 3.0);
  EXPECT_EQ(m.ok(), 0u);
  EXPECT_EQ(m.to_json()["failures"]["timeout"], 1);
}

TEST(ServiceMetrics, RequestsStillInFlightAtTheEndAreNotCounted) {
  ServiceMetrics m(10.0, 1.0, 10.0);
  m.on_arrival(9.0);
  m.flush(10.0, true);
  EXPECT_EQ(m.requests(), 0u);
  EXPECT_EQ(m.to_json()["unfinished_at_end"], 1);
}
