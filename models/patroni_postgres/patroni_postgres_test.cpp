// Patroni's HA-cycle decisions without SimGrid.
#include <gtest/gtest.h>

#include "models/patroni_postgres/patroni_postgres_logic.hpp"
#include "models/patroni_postgres/patroni_postgres_params.hpp"

namespace mailsim::models {
namespace {

// Patroni's defaults, from the params table (ttl 30s, loop_wait 10s, retry_timeout 10s,
// maximum_lag_on_failover 1 MiB, no synchronous or failsafe mode).
PatroniConfig defaults() { return patroni_config(patroni_postgres_params().defaults()); }

TEST(PatroniLogic, TimingRuleOfTheDocs) {
  PatroniConfig c = defaults();  // 30 / 10 / 10: 10 + 20 <= 30
  EXPECT_TRUE(patroni_timing_valid(c));
  c.retry_timeout = 11;
  EXPECT_FALSE(patroni_timing_valid(c));
}

TEST(PatroniLogic, HolderUpdatesOthersFollowAPrimaryWithoutTheKeyDemotes) {
  PatroniConfig c = defaults();
  ClusterView v;
  v.leader = "pg-1";
  EXPECT_EQ(ha_decide(c, {"pg-1", true, 100}, v).action, HaAction::kUpdateLock);
  EXPECT_EQ(ha_decide(c, {"pg-1", false, 100}, v).action, HaAction::kUpdateLock);  // re-promote
  EXPECT_EQ(ha_decide(c, {"pg-2", false, 90}, v).action, HaAction::kFollow);
  EXPECT_EQ(ha_decide(c, {"pg-2", true, 90}, v).action, HaAction::kDemote);
}

TEST(PatroniLogic, RaceIsGatedByLagBehindLeaderOptimeAndBySyncStandby) {
  PatroniConfig c = defaults();
  ClusterView v;
  v.leader_optime = 10'000'000;
  EXPECT_EQ(ha_decide(c, {"pg-2", false, 10'000'000 - 1048576}, v).action, HaAction::kRace);
  EXPECT_EQ(ha_decide(c, {"pg-2", false, 10'000'000 - 1048577}, v).action, HaAction::kWaitNotHealthy);
  // Positions the members published in the DCS do not decide: they may be stale (the
  // members are asked over REST, see is_healthiest).
  v.member_lsn = {{"pg-2", 9'999'000}, {"pg-3", 9'999'500}};
  EXPECT_EQ(ha_decide(c, {"pg-2", false, 9'999'000}, v).action, HaAction::kRace);
  c.synchronous_mode = true;
  v.sync_standby = "pg-2";
  EXPECT_EQ(ha_decide(c, {"pg-3", false, 9'999'500}, v).action, HaAction::kWaitNotHealthy);
}

TEST(PatroniLogic, HealthiestOnlyIfNoReachableMemberIsAheadOrStillPrimary) {
  const NodeView me{"pg-2", false, 9'999'000};
  EXPECT_TRUE(is_healthiest(me, {}));
  EXPECT_FALSE(is_healthiest(me, {{"pg-3", true, true, 9'999'500}}));   // answered, ahead
  EXPECT_TRUE(is_healthiest(me, {{"pg-3", true, true, 9'998'000}}));    // answered, behind
  EXPECT_TRUE(is_healthiest(me, {{"pg-3", false, true, 9'999'500}}));   // silent: not counted
  EXPECT_FALSE(is_healthiest(me, {{"pg-1", true, false, 0}}));          // the primary still runs
}

TEST(PatroniLogic, FailsafeKeepsThePrimaryOnlyIfEveryMemberAnswered) {
  PatroniConfig c = defaults();
  EXPECT_FALSE(keep_primary_without_dcs(c, true));
  c.failsafe_mode = true;
  EXPECT_TRUE(keep_primary_without_dcs(c, true));
  EXPECT_FALSE(keep_primary_without_dcs(c, false));
}

}  // namespace
}  // namespace mailsim::models
