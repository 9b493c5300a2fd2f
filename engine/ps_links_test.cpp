// Processor-sharing links (ps_links.hpp) on the manual scheduler: exact shares on small
// cases, then an M/G/1-PS link whose mean transfer time must be E[S] / (1 - rho) whatever
// the size distribution (processor sharing's insensitivity), with deterministic and
// exponential sizes alike.
#include "engine/ps_links.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "core/rng.hpp"
#include "engine/manual_scheduler.hpp"

using namespace mailsim;
using namespace mailsim::engine;

namespace {

struct Bed {
  ManualScheduler sched;
  PsLinks links{sched, {1000.0, 2000.0}};  // B/s
  std::vector<double> arrived;
  void send(std::vector<uint32_t> route, double bytes, double latency = 0) {
    links.send(route, bytes, latency, [this] { arrived.push_back(sched.now()); });
  }
};

}  // namespace

TEST(PsLinks, AMessageAloneTakesBytesOverTheSlowestLinkPlusLatency) {
  Bed b;
  b.send({0, 1}, 500, 0.01);
  b.sched.run_until(10);
  ASSERT_EQ(b.arrived.size(), 1u);
  EXPECT_DOUBLE_EQ(b.arrived[0], 0.5 + 0.01);
}

TEST(PsLinks, TwoMessagesShareALinkEquallyAndTheSurvivorSpeedsUp) {
  Bed b;
  b.send({0}, 1000);  // alone it would take 1 s
  b.sched.run_until(0.5);
  b.send({0}, 250);  // from 0.5 s both get 500 B/s: 250 B take 0.5 s
  b.sched.run_until(10);
  ASSERT_EQ(b.arrived.size(), 2u);
  EXPECT_NEAR(b.arrived[0], 1.0, 1e-9);   // the small one, at 1.0 s
  EXPECT_NEAR(b.arrived[1], 1.25, 1e-9);  // 250 B left, alone again at 1000 B/s
}

TEST(PsLinks, ARouteIsDoneWhenItsSlowestLinkIs) {
  Bed b;
  b.send({1}, 2000);     // occupies link 1 for 1 s alone
  b.send({0, 1}, 500);   // link 0: 0.5 s alone; link 1: shared, 1000 B/s each -> 0.5 s
  b.sched.run_until(10);
  ASSERT_EQ(b.arrived.size(), 2u);
  EXPECT_NEAR(b.arrived[0], 0.5, 1e-9);
  EXPECT_NEAR(b.arrived[1], 1.25, 1e-9);  // 1500 B left at 0.5 s, alone at 2000 B/s
}

TEST(PsLinks, AMessageSentNowIsTimedFromTheCurrentShares) {
  Bed b;
  b.send({0}, 300);
  // 300 B ahead, 500 B to send: both go at 500 B/s for 0.6 s, then 200 B alone.
  EXPECT_NEAR(b.links.send_now({0}, 500), 0.8, 1e-12);
  b.sched.run_until(10);
  ASSERT_EQ(b.arrived.size(), 1u);
  EXPECT_NEAR(b.arrived[0], 0.6, 1e-9);
  EXPECT_EQ(b.links.on_link(0), 0u);
}

namespace {

// Poisson arrivals at rate rho / E[S] on one link of 1 MB/s, sizes drawn by `size`; returns
// the mean transfer time of the messages sent after a warm-up.
template <class Size>
double mean_transfer(double rho, double mean_bytes, Size size) {
  constexpr double kBandwidth = 1e6;
  ManualScheduler sched;
  PsLinks links{sched, {kBandwidth}};
  core::RngStream arrivals(7, "arrivals");
  const double rate = rho * kBandwidth / mean_bytes;
  const int kWarmup = 2000, kMessages = 200000;
  double sum = 0;
  int counted = 0;
  double t = 0;
  for (int i = 0; i < kWarmup + kMessages; ++i) {
    t += arrivals.exponential(1 / rate);
    sched.run_until(t);
    const double start = t;
    const bool count = i >= kWarmup;
    links.send({0}, size(), 0, [&sched, &sum, &counted, start, count] {
      if (!count) return;
      sum += sched.now() - start;
      ++counted;
    });
  }
  sched.run_until(t + 1e6);
  EXPECT_EQ(counted, kMessages);
  return sum / counted;
}

void expect_ps_mean(double rho) {
  const double bytes = 10000, s = bytes / 1e6;  // 10 ms alone
  const double expected = s / (1 - rho);
  core::RngStream sizes(11, "sizes");
  const double fixed = mean_transfer(rho, bytes, [&] { return bytes; });
  const double exponential = mean_transfer(rho, bytes, [&] { return sizes.exponential(bytes); });
  // 200,000 messages: the batch-means error of the mean is a few percent at rho 0.8.
  EXPECT_NEAR(fixed, expected, expected * 0.05) << "deterministic sizes";
  EXPECT_NEAR(exponential, expected, expected * 0.06) << "exponential sizes";
}

}  // namespace

TEST(PsLinks, MeanTransferTimeIsSOverOneMinusRhoForAnySizeDistributionAtHalfLoad) { expect_ps_mean(0.5); }

TEST(PsLinks, MeanTransferTimeIsSOverOneMinusRhoForAnySizeDistributionAt80PercentLoad) { expect_ps_mean(0.8); }
