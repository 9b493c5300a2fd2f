// ProcessorSharingCpu against SimGridCpu: the same random job sets on the same nodes, in one
// SimGrid engine, one CPU each. SimGrid's CPU model (an Exec per job, max-min sharing of a
// host's cores) is the reference; the processor-sharing CPU that runs use must end every job
// at the same time (within 1e-9 of the job's own duration, plus the rounding of the absolute
// date) and in the same state.
#include <gtest/gtest.h>
#include <simgrid/s4u/Engine.hpp>
#include <xbt/log.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "engine/processor_sharing_cpu.hpp"
#include "engine/request.hpp"
#include "engine/simgrid_cpu.hpp"
#include "engine/simgrid_platform.hpp"
#include "engine/simgrid_scheduler.hpp"
#include "engine/test_support.hpp"

namespace mailsim::engine {
namespace {

namespace sg4 = simgrid::s4u;

// Nodes of 1, 2, 3, 4 and 8 cores.
config::Topology nodes_topology() {
  return config::parse_topology(
      "name: cpu-equivalence\n"
      "network: {nic_latency: 50us, nic_bandwidth: 10Gbps, backbone_latency: 10us, backbone_bandwidth: 40Gbps,\n"
      "          client_latency: 2ms, client_bandwidth: 1Gbps}\n"
      "nodes:\n"
      "  - {name: c1, cores: 1, speed: 2Gf}\n"
      "  - {name: c2, cores: 2, speed: 2Gf}\n"
      "  - {name: c3, cores: 3, speed: 3Gf}\n"
      "  - {name: c4, cores: 4, speed: 2Gf}\n"
      "  - {name: c8, cores: 8, speed: 1.5Gf}\n"
      "components:\n"
      "  - {name: c, model: mail_node, nodes: [c1, c2, c3, c4, c8]}\n"
      "services:\n"
      "  - name: s\n"
      "    steps:\n"
      "      - {component: c, op: smtp}\n",
      "cpu-equivalence.yaml");
}

// Records when and how each job of one CPU ended, by request index.
class Ends : public testing::StubComponent {
 public:
  Ends(const Scheduler& s, const std::vector<Request>& requests)
      : StubComponent("ends"), sched_(s), requests_(requests), t(requests.size(), -1), ok(requests.size(), 0) {}
  void on_cpu_done(Request& r, bool done) override {
    const auto i = static_cast<size_t>(&r - requests_.data());
    t[i] = sched_.now();
    ok[i] = done ? 1 : 0;
  }

 private:
  const Scheduler& sched_;
  const std::vector<Request>& requests_;

 public:
  std::vector<double> t;
  std::vector<char> ok;
};

struct Job {
  NodeId node;
  double start, seconds;
};

struct Comparison {
  std::unique_ptr<sg4::Engine> engine;
  Platform platform{nodes_topology()};
  std::unique_ptr<SimGridPlatform> hosts;
  SimGridScheduler sched;
  std::unique_ptr<SimGridCpu> simgrid;
  std::unique_ptr<ProcessorSharingCpu> ps;
  std::vector<Job> jobs;
  std::vector<Request> req_sg, req_ps;
  std::unique_ptr<Ends> end_sg, end_ps;

  Comparison() {
    xbt_log_control_set("root.thres:critical");
    static int argc = 2;
    static char arg0[] = "cpu_equivalence_test", arg1[] = "--log=root.thres:critical";
    static char* argv[] = {arg0, arg1, nullptr};
    engine = std::make_unique<sg4::Engine>(&argc, argv);
    hosts = std::make_unique<SimGridPlatform>(platform);
    simgrid = std::make_unique<SimGridCpu>(platform, *hosts);
    ps = std::make_unique<ProcessorSharingCpu>(sched, platform);
  }

  // Each node gets `per_node` jobs at uniform random starts in [0, span) with exponential
  // demands whose mean loads the node to `load` x its cores (over 1: queues build up and
  // drain, so every number of jobs per core is visited). Some jobs start in pairs at the
  // same instant with the same demand, which must end together.
  void random_jobs(uint64_t seed, int per_node, double span, double load) {
    core::RngStream rng(seed, "jobs");
    for (NodeId n = 0; n < platform.node_count(); ++n) {
      const double mean = load * platform.cores(n) * span / per_node;
      for (int i = 0; i < per_node; ++i) {
        Job j{n, rng.uniform(0, span), rng.exponential(mean)};
        jobs.push_back(j);
        if (rng.uniform() < 0.05) jobs.push_back(j);
      }
    }
  }

  void run() {
    req_sg.assign(jobs.size(), Request{});
    req_ps.assign(jobs.size(), Request{});
    end_sg = std::make_unique<Ends>(sched, req_sg);
    end_ps = std::make_unique<Ends>(sched, req_ps);
    for (size_t i = 0; i < jobs.size(); ++i)
      sched.at(jobs[i].start, [this, i] {
        simgrid->run(req_sg[i], jobs[i].node, jobs[i].seconds, end_sg.get());
        ps->run(req_ps[i], jobs[i].node, jobs[i].seconds, end_ps.get());
      });
    engine->run();
  }

  void power_off_at(NodeId n, double t) {
    sched.at(t, [this, n] {
      simgrid->power_off(n);
      ps->power_off(n);
    });
  }
  void power_on_at(NodeId n, double t) {
    sched.at(t, [this, n] {
      simgrid->power_on(n);
      ps->power_on(n);
    });
  }

  // Every job ended in both, in the same state, at the same time: within 1e-9 of its
  // duration in SimGrid, plus four units in the last place of the date (both compute the
  // date as a start plus a duration, rounded).
  double expect_same_ends() const {
    double worst = 0;
    for (size_t i = 0; i < jobs.size(); ++i) {
      const double t_sg = end_sg->t[i], t_ps = end_ps->t[i];
      EXPECT_GE(t_sg, 0) << "job " << i << " never ended in SimGrid";
      EXPECT_EQ(end_sg->ok[i], end_ps->ok[i]) << "job " << i << " on node " << jobs[i].node;
      const double duration = t_sg - jobs[i].start;
      const double tolerance = 1e-9 * duration + 4 * (std::nextafter(t_sg, INFINITY) - t_sg);
      EXPECT_NEAR(t_ps, t_sg, tolerance) << "job " << i << " on node " << jobs[i].node << " started at "
                                         << jobs[i].start << " for " << jobs[i].seconds << " s";
      if (duration > 0) worst = std::max(worst, std::abs(t_ps - t_sg) / duration);
    }
    return worst;
  }
};

TEST(CpuEquivalence, ProcessorSharingEndsJobsWhenSimGridsExecsEnd) {
  Comparison c;
  c.random_jobs(1, 2000, 100, 1.1);
  c.run();
  const double worst = c.expect_same_ends();
  RecordProperty("worst_relative_difference", std::to_string(worst));
  std::printf("worst difference relative to the job's duration: %.3g\n", worst);
}

TEST(CpuEquivalence, ProcessorSharingEndsJobsLikeSimGridAtLightLoad) {
  Comparison c;
  c.random_jobs(2, 500, 50, 0.3);
  c.run();
  c.expect_same_ends();
}

TEST(CpuEquivalence, ProcessorSharingEndsJobsLikeSimGridUnderOverload) {
  Comparison c;
  c.random_jobs(3, 500, 50, 3.0);
  c.run();
  c.expect_same_ends();
}

TEST(CpuEquivalence, PowerOffFailsTheSameJobsAtTheSameTimeAsSimGrid) {
  Comparison c;
  c.random_jobs(4, 800, 40, 1.5);
  for (NodeId n = 0; n < c.platform.node_count(); ++n) {
    c.power_off_at(n, 10 + n);
    c.power_on_at(n, 15 + n);
  }
  c.run();
  c.expect_same_ends();
  int failed = 0;
  for (char ok : c.end_ps->ok) failed += ok ? 0 : 1;
  EXPECT_GT(failed, 0) << "the power cuts must have failed some jobs";
}

}  // namespace
}  // namespace mailsim::engine
