#include "models/vip_balancer/vrrp_logic.hpp"

#include <gtest/gtest.h>

using namespace mailsim::models;

TEST(VrrpLogic, TimersFollowRfc3768ForVersion2) {
  VrrpLogic v({2, 1.0, 100, true, 1});
  EXPECT_DOUBLE_EQ(v.skew_time(), 156.0 / 256.0);
  EXPECT_DOUBLE_EQ(v.master_down_interval(), 3.0 + 156.0 / 256.0);
}

TEST(VrrpLogic, SkewScalesWithAdvertIntervalInVersion3) {
  VrrpLogic v({3, 2.0, 100, true, 1});
  EXPECT_DOUBLE_EQ(v.skew_time(), 156.0 * 2.0 / 256.0);
  EXPECT_DOUBLE_EQ(v.master_down_interval(), 6.0 + 156.0 * 2.0 / 256.0);
}

TEST(VrrpLogic, BackupBecomesMasterWhenMasterDownTimerFires) {
  VrrpLogic v({2, 1.0, 100, true, 1});
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
  VrrpLogic v({2, 1.0, 100, true, 1});
  v.startup();
  auto a = v.on_advert(150, 2, 1.0);
  ASSERT_TRUE(a.arm_master_down);
  EXPECT_DOUBLE_EQ(*a.arm_master_down, v.master_down_interval());
  EXPECT_EQ(v.state(), VrrpState::kBackup);
}

TEST(VrrpLogic, PreemptingBackupIgnoresLowerPriorityMaster) {
  VrrpLogic v({2, 1.0, 150, true, 1});
  v.startup();
  auto a = v.on_advert(100, 2, 1.0);
  EXPECT_FALSE(a.arm_master_down);  // the timer runs out and we take over
  VrrpLogic np({2, 1.0, 150, false, 1});
  np.startup();
  EXPECT_TRUE(np.on_advert(100, 2, 1.0).arm_master_down);  // nopreempt: lower master accepted
}

TEST(VrrpLogic, PriorityZeroAdvertShortensWaitToSkewTime) {
  VrrpLogic v({2, 1.0, 100, true, 1});
  v.startup();
  auto a = v.on_advert(0, 2, 1.0);
  ASSERT_TRUE(a.arm_master_down);
  EXPECT_DOUBLE_EQ(*a.arm_master_down, v.skew_time());
}

TEST(VrrpLogic, GracefulShutdownOfMasterSendsPriorityZero) {
  VrrpLogic v({2, 1.0, 100, true, 1});
  v.startup(true);
  auto a = v.shutdown();
  EXPECT_TRUE(a.send_advert);
  EXPECT_EQ(a.advert_priority, 0);
  EXPECT_TRUE(a.release_vip);
  EXPECT_EQ(v.state(), VrrpState::kInit);
}

TEST(VrrpLogic, MasterStepsDownForHigherPriorityAndTieGoesToHigherAddress) {
  VrrpLogic v({2, 1.0, 100, true, 5});
  v.startup(true);
  auto lower_addr = v.on_advert(100, 4, 1.0);
  EXPECT_EQ(v.state(), VrrpState::kMaster);
  EXPECT_TRUE(lower_addr.refresh_arp);  // keepalived: lower prio advert -> advert + GARP
  auto higher_addr = v.on_advert(100, 6, 1.0);
  EXPECT_EQ(v.state(), VrrpState::kBackup);
  EXPECT_TRUE(higher_addr.release_vip);
}

TEST(VrrpLogic, PriorityOwnerStartsAsMaster) {
  VrrpLogic v({2, 1.0, 255, true, 1});
  EXPECT_TRUE(v.startup().acquire_vip);
  EXPECT_EQ(v.state(), VrrpState::kMaster);
}
