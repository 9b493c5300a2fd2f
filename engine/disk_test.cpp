// The disk as a queue (engine/disk.hpp): one FIFO device paced by its IOPS, so at a fixed
// operation Poisson arrivals see an M/D/1 queue, whose mean wait is the Pollaczek-Khinchine
// value W_q = rho s / (2 (1 - rho)) (Kleinrock, Queueing Systems vol. 1, 5.7). No engine:
// the disk knows each operation's completion when it is submitted.
#include "engine/disk.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/rng.hpp"
#include "engine/test_support.hpp"

namespace mailsim::engine {
namespace {

struct Measured {
  double wait = 0;  // mean time before service, from the completion times
  nlohmann::json meter;
};

// n Poisson arrivals at rate `lambda` of one 4 KiB write each on a device of `iops`.
Measured run_queue(double iops, double lambda, int n) {
  Platform platform{testing::one_node_topology(1)};
  Resources resources(1.0);
  Disks disks(resources, platform);
  Disk& d = disks.open(0, "n", "d", {.read_iops = iops, .write_iops = iops, .read_bw = 1e12, .write_bw = 1e12});
  core::RngStream rng(7, "arrivals");
  const double s = 1 / iops;
  double t = 0, wait = 0;
  for (int i = 0; i < n; ++i) {
    t += rng.exponential(1 / lambda);
    wait += d.submit(t, {.writes = 1, .write_bytes = 4096}) - s - t;
  }
  Measured m{wait / n, {}};
  m.meter = resources.to_json(t, t)["resources"][0];
  return m;
}

TEST(Disk, AFixedOperationQueuesAsMD1BelowItsIopsCap) {
  const double iops = 1000, s = 1 / iops;
  for (double rho : {0.5, 0.8, 0.9}) {
    const Measured m = run_queue(iops, rho * iops, 400000);
    const double wq = rho * s / (2 * (1 - rho));
    EXPECT_NEAR(m.wait, wq, 0.05 * wq) << "rho " << rho;
    EXPECT_NEAR(m.meter["utilisation"].get<double>(), rho, 0.01) << "rho " << rho;
    // Little's law on the meter: mean queue = lambda W_q, and its mean wait is W_q.
    EXPECT_NEAR(m.meter["mean_queue"].get<double>(), rho * iops * wq, 0.06 * rho * iops * wq) << "rho " << rho;
    EXPECT_NEAR(m.meter["mean_wait_s"].get<double>(), wq, 0.06 * wq) << "rho " << rho;
  }
}

TEST(Disk, PastItsIopsCapTheQueueGrowsWithoutBound) {
  const double iops = 1000;
  const Measured short_run = run_queue(iops, 1.2 * iops, 20000);
  const Measured long_run = run_queue(iops, 1.2 * iops, 80000);
  EXPECT_NEAR(long_run.meter["utilisation"].get<double>(), 1.0, 0.01);
  // Served at most at its IOPS: the wait grows with the run's length (about (rho - 1) t / 2).
  EXPECT_GT(long_run.wait, 3 * short_run.wait);
  EXPECT_GT(long_run.meter["max_queue"].get<double>(), 3 * short_run.meter["max_queue"].get<double>());
  EXPECT_EQ(long_run.meter["kind"], "disk");
  EXPECT_EQ(long_run.meter["unit"], "IO/s");
  EXPECT_DOUBLE_EQ(long_run.meter["capacity"].get<double>(), iops);
}

TEST(Disk, AFlushHoldsTheDeviceAndAnIdleDeviceAnswersInItsLatency) {
  Platform platform{testing::one_node_topology(1)};
  Resources resources(1.0);
  Disks disks(resources, platform);
  Disk& d = disks.open(0, "n", "d",
                       {.read_iops = 1000, .write_iops = 1000, .read_bw = 1e12, .write_bw = 1e12,
                        .read_latency = 5e-3, .write_latency = 0, .fsync_latency = 8e-3});
  EXPECT_DOUBLE_EQ(d.submit(0, {.reads = 1}), 5e-3);  // latency, not the 1 ms of its IOPS
  // Two fsynced writes at once: the second waits for the first's write and flush.
  EXPECT_DOUBLE_EQ(d.submit(1, {.writes = 1, .fsyncs = 1}), 1 + 1e-3 + 8e-3);
  EXPECT_DOUBLE_EQ(d.submit(1, {.writes = 1, .fsyncs = 1}), 1 + 2 * (1e-3 + 8e-3));
  EXPECT_EQ(&disks.open(0, "n", "d", {}), &d) << "components on a node share its disk";
}

}  // namespace
}  // namespace mailsim::engine
