#include "models/vip_balancer/haproxy_check_logic.hpp"

#include <gtest/gtest.h>

#include "models/vip_balancer/vip_balancer_params.hpp"

using namespace mailsim::models;

namespace {
// haproxy's defaults from the params table (inter 2s, rise 2, fall 3), with fastinter and
// downinter set apart from inter so the tests can tell the three intervals apart.
CheckConfig defaults() {
  CheckConfig c = check_config(vip_balancer_params().defaults());
  c.fastinter = 1.0;
  c.downinter = 5.0;
  return c;
}
}  // namespace

TEST(HaproxyCheck, TableDefaultsAreHaproxys) {
  // configuration.txt 5.2: inter 2000 ms, rise 2, fall 3; fastinter and downinter default to inter.
  const CheckConfig c = check_config(vip_balancer_params().defaults());
  EXPECT_DOUBLE_EQ(c.inter, 2.0);
  EXPECT_DOUBLE_EQ(c.fastinter, 2.0);
  EXPECT_DOUBLE_EQ(c.downinter, 2.0);
  EXPECT_EQ(c.rise, 2);
  EXPECT_EQ(c.fall, 3);
}

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
