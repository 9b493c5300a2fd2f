// VK WorkSpace's databases under a database node's loss, end to end through SimGrid
// (library/cache-node-loss: db-1 crashes at 30.5 s for 60 s). Expected windows come from the
// components' params as the run resolved them (manifest.params), never from measured numbers.
#include <gtest/gtest.h>

#include <cmath>

#include "core/units.hpp"
#include "tests/engine/run_helpers.hpp"

using mailsim::testing::events_of;

namespace {

constexpr double kCrash = 30.5;  // cache-node-loss: the memcached node db-1 crashes

nlohmann::json run_vk() {
  auto in = mailsim::app::load_inputs("topologies/vk-workspace-8.yaml", "scenarios/library/cache-node-loss.yaml");
  return mailsim::app::run_one(in, in.scenario.seed);
}

double param_s(const nlohmann::json& r, const char* component, const char* key) {
  return mailsim::core::parse_duration(r["manifest"]["params"][component][key].get<std::string>()).seconds;
}

}  // namespace

TEST(VkDbEngine, MysqlFailsOverAtTheNextPollPlusTwoConnectTimeoutsPlusPromotion) {
  auto r = run_vk();
  const double poll = param_s(r, "mysql", "instance_poll"), connect = param_s(r, "mysql", "connect_timeout");
  const double promote = param_s(r, "mysql", "promotion_time");
  const nlohmann::json* f = nullptr;
  for (const auto& x : r["failovers"])
    if (x["component"] == "mysql") f = &x;
  ASSERT_NE(f, nullptr);
  EXPECT_EQ((*f)["from"], "db-1");
  EXPECT_EQ((*f)["to"], "db-2");
  // Polls run every instance_poll from t = 0; round trips on the LAN are microseconds.
  const double next_poll = std::ceil(kCrash / poll) * poll;
  EXPECT_NEAR((*f)["end_s"].get<double>(), next_poll + 2 * connect + promote, 0.01);
  auto analysis = events_of(r, "orchestrator.analysis");
  ASSERT_EQ(analysis.size(), 1u);
  EXPECT_EQ(analysis[0]["analysis"], "DeadMaster");
}

TEST(VkDbEngine, ScyllaDeliveriesWaitAtMostTheDriversConnectTimeoutAndLoseNothing) {
  auto r = run_vk();
  const double connect = param_s(r, "scylla", "driver_connect_timeout");
  const auto& delay = r["services"]["smtp"]["delivery"]["store_delay_s"];
  // Until gossip convicts db-1, deliveries whose driver plan starts there wait one connect
  // timeout and go to db-2; none waits longer, none is lost.
  EXPECT_GE(delay["max"].get<double>(), connect);
  EXPECT_LT(delay["max"].get<double>(), connect + 0.1);
  EXPECT_EQ(r["lost_acknowledged_messages"].get<uint64_t>(), 0u);
}
