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

TEST(VkDbEngine, MysqlFailsOverAtTheNextPollPlusTwoConnectTimeoutsPlusTheRecoveryStatements) {
  auto r = run_vk();
  const double poll = param_s(r, "mysql", "instance_poll"), connect = param_s(r, "mysql", "connect_timeout");
  const double hook = param_s(r, "mysql", "hook_time");
  const nlohmann::json* f = nullptr;
  for (const auto& x : r["failovers"])
    if (x["component"] == "mysql") f = &x;
  ASSERT_NE(f, nullptr);
  EXPECT_EQ((*f)["from"], "db-1");
  EXPECT_EQ((*f)["to"], "db-2");
  // Polls run every instance_poll from t = 0; round trips on the LAN are microseconds, and
  // Orchestrator runs on db-2, the candidate, so its recovery statements stay on the node.
  const double next_poll = std::ceil(kCrash / poll) * poll;
  EXPECT_NEAR((*f)["end_s"].get<double>(), next_poll + 2 * connect + hook, 0.01);
  auto analysis = events_of(r, "orchestrator.analysis");
  ASSERT_EQ(analysis.size(), 1u);
  EXPECT_EQ(analysis[0]["analysis"], "DeadMaster");
  // One replica: no stop-and-sort phase; the candidate is promoted, then the hook runs.
  auto steps = events_of(r, "orchestrator.recovery");
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0]["phase"], "promote");
  EXPECT_EQ(steps[1]["phase"], "post_failover_hook");
  for (const auto& s : steps) EXPECT_EQ(s["result"], "ok");
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

TEST(VkDbEngine, TarantoolFailsOverAtTheNextPingPlusSuspicionPlusFailoverTimeout) {
  auto r = run_vk();
  const double period = param_s(r, "tarantool", "protocol_period"), ack = param_s(r, "tarantool", "ack_timeout");
  const double failover_timeout = param_s(r, "tarantool", "failover_timeout");
  const nlohmann::json* f = nullptr;
  for (const auto& x : r["failovers"])
    if (x["component"] == "tarantool") f = &x;
  ASSERT_NE(f, nullptr);
  EXPECT_EQ((*f)["from"], "db-1");
  EXPECT_EQ((*f)["to"], "db-2");
  // The coordinator (on db-2) pings every protocol_period from t = 0; the put through
  // infraetcd commits in milliseconds.
  const double next_ping = std::floor(kCrash / period + 1) * period;
  const double dead = next_ping + 2 * ack + failover_timeout;
  EXPECT_GE((*f)["end_s"].get<double>(), dead);
  EXPECT_NEAR((*f)["end_s"].get<double>(), dead, 0.05);
  auto status = events_of(r, "membership.status");
  ASSERT_EQ(status.size(), 3u);
  EXPECT_EQ(status[0]["status"], "suspect");
  EXPECT_EQ(status[1]["status"], "dead");
  EXPECT_EQ(status[2]["status"], "alive") << "db-1 back at 90.5 s answers the next ping";
  EXPECT_GT(status[2]["t_s"].get<double>(), kCrash + 60);
  // Nobody refused the clients: every failed imap request timed out.
  const auto& failures = r["services"]["imap"]["failures"];
  EXPECT_EQ(failures.size(), 1u) << failures.dump();
  EXPECT_TRUE(failures.contains("timeout")) << failures.dump();
}
