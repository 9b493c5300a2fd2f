#include "engine/processor_sharing_cpu.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "engine/manual_scheduler.hpp"
#include "engine/request.hpp"
#include "engine/test_support.hpp"

namespace mailsim::engine {
namespace {

// Records when each request's CPU job ended and how.
class Recorder : public testing::StubComponent {
 public:
  explicit Recorder(const Scheduler& s) : StubComponent("recorder"), sched_(s) {}
  struct End {
    const Request* r;
    bool ok;
    double t;
  };
  std::vector<End> ends;
  void on_cpu_done(Request& r, bool ok) override { ends.push_back({&r, ok, sched_.now()}); }

 private:
  const Scheduler& sched_;
};

struct Bench {
  Platform platform{testing::one_node_topology(2)};
  ManualScheduler sched;
  ProcessorSharingCpu cpu{sched, platform};
  Recorder owner{sched};
  std::vector<Request> requests = std::vector<Request>(8);
  void run(int i, double at, double seconds) {
    sched.at(at, [this, i, seconds] { cpu.run(requests[static_cast<size_t>(i)], 0, seconds, &owner); });
  }
};

TEST(ProcessorSharingCpu, AJobWithACoreToItselfTakesExactlyItsSeconds) {
  Bench b;
  b.run(0, 1, 0.25);
  b.run(1, 1, 0.5);  // two jobs, two cores: no sharing
  b.sched.run_until(10);
  ASSERT_EQ(b.owner.ends.size(), 2u);
  EXPECT_DOUBLE_EQ(b.owner.ends[0].t, 1.25);
  EXPECT_DOUBLE_EQ(b.owner.ends[1].t, 1.5);
  EXPECT_TRUE(b.owner.ends[0].ok && b.owner.ends[1].ok);
}

TEST(ProcessorSharingCpu, MoreJobsThanCoresShareTheCoresEqually) {
  Bench b;
  // Four 1 s jobs on two cores: each runs at half speed and all end at 2 s.
  for (int i = 0; i < 4; ++i) b.run(i, 0, 1);
  b.sched.run_until(10);
  ASSERT_EQ(b.owner.ends.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(b.owner.ends[static_cast<size_t>(i)].t, 2, 1e-12);
    EXPECT_EQ(b.owner.ends[static_cast<size_t>(i)].r, &b.requests[static_cast<size_t>(i)]) << "same instant: start order";
  }
}

TEST(ProcessorSharingCpu, ALateArrivalSlowsTheRunningJobsFromThenOn) {
  Bench b;
  // Three 1 s jobs on two cores; the third arrives at 0.5 s. Until then jobs 0 and 1 run at
  // full speed (0.5 s done each); then all three run at 2/3: jobs 0 and 1 end after
  // 0.5 / (2/3) = 0.75 s more, at 1.25 s; job 2 did 0.5 s of work by then and finishes the
  // other 0.5 alone at full speed, at 1.75 s.
  b.run(0, 0, 1);
  b.run(1, 0, 1);
  b.run(2, 0.5, 1);
  b.sched.run_until(10);
  ASSERT_EQ(b.owner.ends.size(), 3u);
  EXPECT_NEAR(b.owner.ends[0].t, 1.25, 1e-12);
  EXPECT_NEAR(b.owner.ends[1].t, 1.25, 1e-12);
  EXPECT_NEAR(b.owner.ends[2].t, 1.75, 1e-12);
}

TEST(ProcessorSharingCpu, PowerOffFailsTheRunningJobsAfterTheCallAndJobsStartedWhileOffFail) {
  Bench b;
  b.run(0, 0, 1);
  b.run(1, 0, 1);
  b.sched.run_until(0.5);
  b.cpu.power_off(0);
  EXPECT_TRUE(b.owner.ends.empty()) << "owners hear of it after the fault's callback returned";
  b.sched.run_until(0.5);
  ASSERT_EQ(b.owner.ends.size(), 2u);
  EXPECT_FALSE(b.owner.ends[0].ok);
  EXPECT_FALSE(b.owner.ends[1].ok);
  EXPECT_DOUBLE_EQ(b.owner.ends[0].t, 0.5);
  b.run(2, 1, 1);
  b.sched.run_until(1);
  ASSERT_EQ(b.owner.ends.size(), 3u);
  EXPECT_FALSE(b.owner.ends[2].ok);
  b.cpu.power_on(0);
  b.run(3, 2, 1);
  b.sched.run_until(10);
  ASSERT_EQ(b.owner.ends.size(), 4u);
  EXPECT_TRUE(b.owner.ends[3].ok);
  EXPECT_DOUBLE_EQ(b.owner.ends[3].t, 3);
}

TEST(ProcessorSharingCpu, AJobOfARecycledRequestEndsSilently) {
  Bench b;
  b.run(0, 0, 1);
  b.sched.run_until(0.5);
  ++b.requests[0].gen;  // the Flow recycled it: its client got an answer meanwhile
  b.sched.run_until(10);
  EXPECT_TRUE(b.owner.ends.empty());
}

}  // namespace
}  // namespace mailsim::engine
