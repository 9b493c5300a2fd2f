// Validates the CPU contention model (SimGrid's CPU sharing + mail_node worker pools)
// against queueing theory: M/M/1 FIFO, M/M/1 processor sharing, and M/M/c (Erlang C).
// Network latencies are set to 1 us so the response time is the queueing system's alone.
#include <gtest/gtest.h>

#include <cmath>

#include "app/run_one.hpp"
#include "tests/engine/queue_topology.hpp"

namespace {

double mean_response_s(int cores, int workers, double rate, int seconds) {
  mailsim::app::Inputs in{mailsim::config::parse_topology(mailsim::testing::queue_topology(cores, workers), "queue.yaml"),
                          mailsim::config::parse_scenario(mailsim::testing::poisson_scenario(rate, seconds), "poisson.yaml")};
  auto run = mailsim::app::run_one(in, 5);
  const auto& s = run["services"]["job"];
  EXPECT_EQ(s["failed"].get<uint64_t>(), 0u);
  return s["latency_ms"]["mean"].get<double>() / 1000;
}

}  // namespace

TEST(Queueing, MM1FifoMatchesTheory) {
  // One core, one worker: FIFO M/M/1. mu = 100/s, lambda = 50/s: W = 1/(mu - lambda) = 20 ms.
  double w = mean_response_s(1, 1, 50, 1000);
  EXPECT_NEAR(w, 0.020, 0.020 * 0.05);
}

TEST(Queueing, MM1ProcessorSharingMatchesTheory) {
  // One core, many workers: SimGrid shares the core among running Execs (M/M/1-PS), whose
  // mean response time is also 1/(mu - lambda) = 20 ms.
  double w = mean_response_s(1, 1000, 50, 1000);
  EXPECT_NEAR(w, 0.020, 0.020 * 0.05);
}

TEST(Queueing, MMcMatchesErlangC) {
  // Four cores, four workers: M/M/4, lambda = 300/s, mu = 100/s per server, a = 3.
  const double lambda = 300, mu = 100, c = 4, a = lambda / mu;
  double sum = 0, term = 1;
  for (int k = 0; k < 4; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  double top = term * c / (c - a);  // a^c / c! * c / (c - a)
  double erlang_c = top / (sum + top);
  double expected = erlang_c / (c * mu - lambda) + 1 / mu;  // about 15.09 ms
  double w = mean_response_s(4, 4, lambda, 400);
  EXPECT_NEAR(w, expected, expected * 0.05);
}
