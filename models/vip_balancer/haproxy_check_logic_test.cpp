#include "models/vip_balancer/haproxy_check_logic.hpp"

#include <gtest/gtest.h>

using namespace mailsim::models;

namespace {
CheckConfig defaults() { return {2.0, 1.0, 5.0, 2, 3}; }
}  // namespace

TEST(HaproxyCheck, StartsUpButFallsAtFirstFailure) {
  // src/server.c: health = rise, "up, but will fall down at first failure".
  HaproxyCheckLogic c(defaults());
  EXPECT_TRUE(c.up());
  EXPECT_EQ(c.on_result(false), CheckChange::kMarkedDown);
}

TEST(HaproxyCheck, FullyHealthyServerNeedsFallFailures) {
  HaproxyCheckLogic c(defaults());
  EXPECT_EQ(c.on_result(true), CheckChange::kNone);  // health -> rise + fall - 1
  EXPECT_DOUBLE_EQ(c.next_interval(), 2.0);          // inter while fully healthy
  EXPECT_EQ(c.on_result(false), CheckChange::kNone);
  EXPECT_DOUBLE_EQ(c.next_interval(), 1.0);  // fastinter while going down
  EXPECT_EQ(c.on_result(false), CheckChange::kNone);
  EXPECT_EQ(c.on_result(false), CheckChange::kMarkedDown);
  EXPECT_DOUBLE_EQ(c.next_interval(), 5.0);  // downinter while down
}

TEST(HaproxyCheck, SuccessRestoresFullHealth) {
  HaproxyCheckLogic c(defaults());
  c.on_result(true);
  c.on_result(false);
  c.on_result(false);
  c.on_result(true);  // back to full: three more failures needed
  EXPECT_EQ(c.on_result(false), CheckChange::kNone);
  EXPECT_EQ(c.on_result(false), CheckChange::kNone);
  EXPECT_EQ(c.on_result(false), CheckChange::kMarkedDown);
}

TEST(HaproxyCheck, DownServerNeedsRiseSuccesses) {
  HaproxyCheckLogic c(defaults());
  c.on_result(false);
  ASSERT_FALSE(c.up());
  EXPECT_EQ(c.on_result(true), CheckChange::kNone);
  EXPECT_DOUBLE_EQ(c.next_interval(), 1.0);  // fastinter while rising
  EXPECT_EQ(c.on_result(false), CheckChange::kNone);  // a failure resets the climb
  EXPECT_EQ(c.on_result(true), CheckChange::kNone);
  EXPECT_EQ(c.on_result(true), CheckChange::kMarkedUp);
  EXPECT_EQ(c.health(), 4);  // rise + fall - 1
}
