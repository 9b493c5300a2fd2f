// The VIP pair under faults, end to end through SimGrid. Expected windows come from the
// mechanisms' documented timers (RFC 3768, haproxy configuration.txt), not from constants
// of the model: defaults advert_int 1 s, priority 100 on lb-2, inter 2 s, fall 3.
#include <gtest/gtest.h>

#include "tests/engine/run_helpers.hpp"

using mailsim::testing::events_of;
using mailsim::testing::run_tutorial;

namespace {
constexpr double kAdvertInt = 1.0;
constexpr double kSkewLb2 = (256.0 - 100.0) / 256.0;      // lb-2 has priority 100
constexpr double kMasterDown = 3 * kAdvertInt + kSkewLb2;  // RFC 3768 6.1
constexpr double kNetSlack = 0.01;  // a few LAN hops
}  // namespace

TEST(VipBalancerEngine, MasterCrashMovesVipWithinRfcWindow) {
  auto run = run_tutorial("lb-master-crash");
  ASSERT_EQ(run["failovers"].size(), 1u);
  const auto& f = run["failovers"][0];
  EXPECT_EQ(f["from"], "lb-1");
  EXPECT_EQ(f["to"], "lb-2");
  EXPECT_DOUBLE_EQ(f["start_s"].get<double>(), 30.0);
  // The backup heard the last advert at most advert_int before the crash, so its
  // master-down timer fires between MDI - advert_int and MDI after the crash.
  double d = f["duration_s"].get<double>();
  EXPECT_GE(d, kMasterDown - kAdvertInt - kNetSlack);
  EXPECT_LE(d, kMasterDown + kNetSlack);
  // While the VIP points at the dead node, new connections are black-holed; the clients'
  // TCP re-sends its SYN after 1 s, 2 s, ... (RFC 6298), so those requests are delayed,
  // not failed. Only requests already inside lb-1 when it died are lost.
  for (const char* svc : {"smtp", "imap"}) {
    const auto& s = run["services"][svc];
    double max_s = s["latency_ms"]["max"].get<double>() / 1000;
    EXPECT_GE(max_s, d - 0.1) << svc;
    EXPECT_LE(max_s, 2 * d + 1) << svc;  // one RTO past the end of the black hole at most
    EXPECT_LE(s["failed"].get<uint64_t>(), 5u) << svc;
    for (const auto& o : s["outages"]) {
      EXPECT_GE(o["start_s"].get<double>(), 30.0 - 0.1) << svc;
      EXPECT_LE(o["end_s"].get<double>(), 30.0 + 0.1) << svc;
    }
  }
  // lb-1 reboots at 90 s as a backup, then preempts (priority 150) after its own
  // master-down interval: 3 + (256-150)/256.
  auto acquired = events_of(run, "vip.acquired");
  ASSERT_EQ(acquired.size(), 3u);
  EXPECT_EQ(acquired[2]["node"], "lb-1");
  EXPECT_NEAR(acquired[2]["t_s"].get<double>(), 90.0 + 3 + 106.0 / 256.0, kNetSlack);
}

TEST(VipBalancerEngine, GracefulStopHandsOverAfterSkewTime) {
  auto run = run_tutorial("lb-graceful-stop");
  ASSERT_EQ(run["failovers"].size(), 1u);
  double d = run["failovers"][0]["duration_s"].get<double>();
  EXPECT_GE(d, kSkewLb2);
  EXPECT_LE(d, kSkewLb2 + kNetSlack);
  EXPECT_EQ(run["failovers"][0]["cause"], "stop");
}

TEST(VipBalancerEngine, BackendCrashFailsRequestsOnlyUntilMarkedDown) {
  auto run = run_tutorial("backend-crash");
  // Each haproxy marks mail-1 down on its own checks: the first check after the crash
  // (within inter) times out after inter, then two more after fastinter + inter each.
  double marked_down = -1;
  for (const auto& e : events_of(run, "backend.down"))
    if (e["server"] == "mail-1" && e["node"] == "lb-1") marked_down = e["t_s"].get<double>();
  ASSERT_GT(marked_down, 0);
  EXPECT_GE(marked_down, 30.0 + 3 * 2.0 + 2 * 2.0 - kNetSlack);
  EXPECT_LE(marked_down, 30.0 + 2.0 + 3 * 2.0 + 2 * 2.0 + kNetSlack);
  for (const char* svc : {"smtp", "imap"}) {
    const auto& s = run["services"][svc];
    EXPECT_GT(s["failed"].get<uint64_t>(), 0u);
    // Failed requests arrived between the crash and the mark-down, never after.
    for (const auto& o : s["outages"]) {
      EXPECT_GE(o["start_s"].get<double>(), 30.0 - 0.1);
      EXPECT_LE(o["end_s"].get<double>(), marked_down + 0.1);
    }
  }
  // mail-1 returns at 70 s and is marked up again after `rise` successful checks.
  bool back_up = false;
  for (const auto& e : events_of(run, "backend.up"))
    back_up = back_up || (e["server"] == "mail-1" && e["t_s"].get<double>() > 70.0);
  EXPECT_TRUE(back_up);
}

TEST(VipBalancerEngine, PartitionMakesBothMastersThenHeals) {
  auto run = run_tutorial("lb-split-brain");
  auto acquired = events_of(run, "vip.acquired");
  ASSERT_EQ(acquired.size(), 2u);  // lb-1 at start, lb-2 during the partition
  EXPECT_EQ(acquired[1]["node"], "lb-2");
  double t2 = acquired[1]["t_s"].get<double>();
  EXPECT_GE(t2, 30.0 + kMasterDown - kAdvertInt - kNetSlack);
  EXPECT_LE(t2, 30.0 + kMasterDown + kNetSlack);
  // lb-1 never released the VIP: both were master from t2 until the heal at 60.5 s.
  for (const auto& e : events_of(run, "vip.released")) {
    EXPECT_EQ(e["node"], "lb-2");
    EXPECT_GE(e["t_s"].get<double>(), 60.5);
  }
  // After the heal lb-1 hears lb-2's lower-priority advert and refreshes ARP.
  auto refreshed = events_of(run, "vip.arp_refreshed");
  ASSERT_EQ(refreshed.size(), 1u);
  EXPECT_EQ(refreshed[0]["node"], "lb-1");
  EXPECT_LE(refreshed[0]["t_s"].get<double>(), 60.5 + kAdvertInt + kNetSlack);
}

TEST(VipBalancerEngine, PreemptDelayHoldsTheRebootedMasterBackThatLong) {
  // lb-master-crash: lb-1 (priority 150) reboots at 90 s as a backup and, preempting,
  // takes the VIP back one Master_Down_Interval later (93.41 s). With preempt_delay 20s
  // (keepalived.conf(5)) it accepts lb-2's advertisements until 110 s first.
  auto in = mailsim::app::load_inputs("topologies/tutorial/lb-pair.yaml", "scenarios/tutorial/lb-master-crash.yaml");
  for (auto& c : in.topology.components)
    if (c.name == "front_lb") c.params["preempt_delay"] = "20s";
  const auto run = mailsim::app::run_one(in, in.scenario.seed);
  double back = -1;
  for (const auto& e : events_of(run, "vip.acquired"))
    if (e["node"] == "lb-1" && e["t_s"].get<double>() > 90.0) back = e["t_s"].get<double>();
  const double skew_lb1 = (256.0 - 150.0) / 256.0;
  // The last advertisement it accepts arrives in the second before 110 s; its timer runs
  // out Master_Down_Interval (3 x advert_int + skew) after that.
  EXPECT_GE(back, 110.0 - kAdvertInt + 3 * kAdvertInt + skew_lb1 - kNetSlack);
  EXPECT_LE(back, 110.0 + 3 * kAdvertInt + skew_lb1 + kNetSlack);
}
