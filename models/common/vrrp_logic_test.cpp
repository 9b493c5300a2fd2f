#include "models/common/vrrp_logic.hpp"

#include <gtest/gtest.h>

#include "models/vip_balancer/vip_balancer_params.hpp"

using namespace mailsim::models;

namespace {
// keepalived's defaults from the params table (VRRP v2, advert_int 1s, priority 100,
// preempt), for the router with primary address `address`, and `priority` if given.
VrrpConfig router(int address, int priority = 0, bool preempt = true) {
  VrrpConfig c = vrrp_config(vip_balancer_params().defaults().vrrp, 0);
  c.address = address;
  if (priority > 0) c.priority = priority;
  c.preempt = preempt;
  return c;
}
}  // namespace

TEST(VrrpLogic, TableDefaultsAreKeepalivedsVersion2) {
  const VrrpConfig c = vrrp_config(vip_balancer_params().defaults().vrrp, 0);
  EXPECT_EQ(c.version, 2);
  EXPECT_DOUBLE_EQ(c.advert_int, 1.0);
  EXPECT_EQ(c.priority, 100);
  EXPECT_TRUE(c.preempt);
  EXPECT_EQ(c.address, 1);  // node order: the first node has the lowest address
}

TEST(VrrpLogic, TimersFollowRfc3768ForVersion2) {
  VrrpLogic v(router(1));
  EXPECT_DOUBLE_EQ(v.skew_time(), 156.0 / 256.0);
  EXPECT_DOUBLE_EQ(v.master_down_interval(), 3.0 + 156.0 / 256.0);
}

TEST(VrrpLogic, SkewScalesWithAdvertIntervalInVersion3) {
  VrrpConfig c = router(1);
  c.version = 3;
  c.advert_int = 2.0;
  VrrpLogic v(c);
  EXPECT_DOUBLE_EQ(v.skew_time(), 156.0 * 2.0 / 256.0);
  EXPECT_DOUBLE_EQ(v.master_down_interval(), 6.0 + 156.0 * 2.0 / 256.0);
}

TEST(VrrpLogic, BackupBecomesMasterWhenMasterDownTimerFires) {
  VrrpLogic v(router(1));
  auto a = v.startup();
  EXPECT_EQ(v.state(), VrrpState::kBackup);
  ASSERT_TRUE(a.arm_master_down);
  EXPECT_DOUBLE_EQ(*a.arm_master_down, v.master_down_interval());
  a = v.on_master_down_timer();
  EXPECT_EQ(v.state(), VrrpState::kMaster);
  EXPECT_TRUE(a.acquire_vip);
  EXPECT_TRUE(a.send_advert);
  EXPECT_EQ(a.advert_priority, 100);
}

TEST(VrrpLogic, AdvertFromHigherPriorityResetsTheTimer) {
  VrrpLogic v(router(1));
  v.startup();
  auto a = v.on_advert(150, 2, 1.0);
  ASSERT_TRUE(a.arm_master_down);
  EXPECT_DOUBLE_EQ(*a.arm_master_down, v.master_down_interval());
  EXPECT_EQ(v.state(), VrrpState::kBackup);
}

TEST(VrrpLogic, PreemptingBackupIgnoresLowerPriorityMaster) {
  VrrpLogic v(router(1, 150));
  v.startup();
  auto a = v.on_advert(100, 2, 1.0);
  EXPECT_FALSE(a.arm_master_down);  // the timer runs out and we take over
  VrrpLogic np(router(1, 150, false));
  np.startup();
  EXPECT_TRUE(np.on_advert(100, 2, 1.0).arm_master_down);  // nopreempt: lower master accepted
}

TEST(VrrpLogic, PriorityZeroAdvertShortensWaitToSkewTime) {
  VrrpLogic v(router(1));
  v.startup();
  auto a = v.on_advert(0, 2, 1.0);
  ASSERT_TRUE(a.arm_master_down);
  EXPECT_DOUBLE_EQ(*a.arm_master_down, v.skew_time());
}

TEST(VrrpLogic, GracefulShutdownOfMasterSendsPriorityZero) {
  VrrpLogic v(router(1));
  v.startup(true);
  auto a = v.shutdown();
  EXPECT_TRUE(a.send_advert);
  EXPECT_EQ(a.advert_priority, 0);
  EXPECT_TRUE(a.release_vip);
  EXPECT_EQ(v.state(), VrrpState::kInit);
}

TEST(VrrpLogic, MasterStepsDownForHigherPriorityAndTieGoesToHigherAddress) {
  VrrpLogic v(router(5));
  v.startup(true);
  auto lower_addr = v.on_advert(100, 4, 1.0);
  EXPECT_EQ(v.state(), VrrpState::kMaster);
  EXPECT_TRUE(lower_addr.refresh_arp);  // keepalived: lower prio advert -> advert + GARP
  auto higher_addr = v.on_advert(100, 6, 1.0);
  EXPECT_EQ(v.state(), VrrpState::kBackup);
  EXPECT_TRUE(higher_addr.release_vip);
}

TEST(VrrpLogic, PriorityOwnerStartsAsMaster) {
  VrrpLogic v(router(1, 255));
  EXPECT_TRUE(v.startup().acquire_vip);
  EXPECT_EQ(v.state(), VrrpState::kMaster);
}

TEST(VrrpLogic, PreemptDelayKeepsAHigherPriorityBackupWaitingThatLongAfterItStarts) {
  // keepalived.conf(5) preempt_delay: lb-1 (150) reboots at 100 s as a backup while lb-2
  // (100) holds the VIP; it accepts lb-2's advertisements until 120 s, then preempts.
  VrrpConfig c = router(1, 150);
  c.preempt_delay = 20;
  VrrpLogic v(c);
  v.startup(false, 100.0);
  EXPECT_TRUE(v.on_advert(100, 2, 1.0, 101.0).arm_master_down);
  EXPECT_TRUE(v.on_advert(100, 2, 1.0, 119.5).arm_master_down);
  EXPECT_FALSE(v.on_advert(100, 2, 1.0, 120.0).arm_master_down);  // the timer runs out
  EXPECT_TRUE(v.on_master_down_timer().acquire_vip);
  // Without the delay it preempts at once: the first lower advertisement is ignored.
  VrrpLogic now(router(1, 150));
  now.startup(false, 100.0);
  EXPECT_FALSE(now.on_advert(100, 2, 1.0, 101.0).arm_master_down);
}

TEST(VrrpLogic, PreemptDelayRestartsWhenALowerMasterIsHeardAfterAHigherOne) {
  VrrpConfig c = router(2, 150);
  c.preempt_delay = 5;
  VrrpLogic v(c);
  v.startup(false, 0.0);
  EXPECT_TRUE(v.on_advert(200, 3, 1.0, 1.0).arm_master_down);    // a higher master: no delay running
  EXPECT_TRUE(v.on_advert(100, 1, 1.0, 10.0).arm_master_down);   // a lower one: the delay starts
  EXPECT_TRUE(v.on_advert(100, 1, 1.0, 14.9).arm_master_down);
  EXPECT_FALSE(v.on_advert(100, 1, 1.0, 15.0).arm_master_down);  // 5 s after it was first heard
  // nopreempt: no delay to wait, lower masters are always accepted.
  VrrpConfig np = router(2, 150, false);
  np.preempt_delay = 5;
  VrrpLogic n(np);
  n.startup(false, 0.0);
  EXPECT_TRUE(n.on_advert(100, 1, 1.0, 60.0).arm_master_down);
}
