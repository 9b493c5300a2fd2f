// Orchestrator's holistic analysis and its anti-flapping gate (no SimGrid).
#include <gtest/gtest.h>

#include "models/mysql_orchestrator/mysql_orchestrator_logic.hpp"
#include "models/mysql_orchestrator/mysql_orchestrator_params.hpp"

namespace mailsim::models {
namespace {

using V = ReplicaView;

TEST(OrchestratorAnalysis, ReachablePrimaryIsNoProblemWhateverTheReplicasSay) {
  EXPECT_EQ(analyse_master(true, {V::kLostPrimary, V::kUnreachable}), MasterAnalysis::kNoProblem);
}

TEST(OrchestratorAnalysis, DeadMasterNeedsEveryReachedReplicaToHaveLostThePrimary) {
  EXPECT_EQ(analyse_master(false, {V::kLostPrimary}), MasterAnalysis::kDeadMaster);
  EXPECT_EQ(analyse_master(false, {V::kLostPrimary, V::kUnreachable}), MasterAnalysis::kDeadMaster);
}

TEST(OrchestratorAnalysis, AReplicaStillReplicatingMeansOnlyUnreachableMaster) {
  // Orchestrator cut from the primary, the replicas not: no failover.
  EXPECT_EQ(analyse_master(false, {V::kReplicating}), MasterAnalysis::kUnreachableMaster);
  EXPECT_EQ(analyse_master(false, {V::kLostPrimary, V::kReplicating}),
            MasterAnalysis::kUnreachableMaster);
}

TEST(OrchestratorAnalysis, NoReplicaReachedIsDeadMasterAndReplicasWithNobodyToPromote) {
  EXPECT_EQ(analyse_master(false, {V::kUnreachable, V::kUnreachable}),
            MasterAnalysis::kDeadMasterAndReplicas);
  EXPECT_EQ(analyse_master(false, {}), MasterAnalysis::kDeadMasterAndReplicas);
  EXPECT_TRUE(confirmed_replicas({V::kUnreachable}, {1}).empty());
}

TEST(OrchestratorAnalysis, RegroupsOnlyTheReplicasThatConfirmedTheLoss) {
  EXPECT_EQ(confirmed_replicas({V::kUnreachable, V::kLostPrimary, V::kLostPrimary}, {1, 2, 3}),
            (std::vector<int>{2, 3}));
}

TEST(OrchestratorRecovery, PromotesTheMostAdvancedReplicaTheFirstAmongEquals) {
  const std::vector<uint64_t> position{100, 40, 90, 90};  // instance 0: the old primary
  EXPECT_EQ(most_advanced({1, 2, 3}, position), 2);
  EXPECT_EQ(most_advanced({3, 1}, position), 3);
  EXPECT_EQ(most_advanced({}, position), -1);
}

TEST(OrchestratorRecovery, StopsAndSortsReplicasOnlyWhenThereAreTwoOrMore) {
  EXPECT_FALSE(stops_replicas_first(0));
  EXPECT_FALSE(stops_replicas_first(1));
  EXPECT_TRUE(stops_replicas_first(2));
}

TEST(OrchestratorRecovery, PromotionResetsReplicationThenMakesTheCandidateWritable) {
  const auto& s = phase_statements(RecoveryPhase::kPromote);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_STREQ(s[1], "RESET SLAVE ALL");
  EXPECT_STREQ(s.back(), "SET GLOBAL read_only = 0");
  EXPECT_EQ(phase_statements(RecoveryPhase::kHook).size(), 1u);
}

TEST(OrchestratorRecoveryGate, BlocksASecondRecoveryWithinRecoveryPeriodBlockSeconds) {
  const double block = mysql_orchestrator_params().defaults().recovery_block.seconds;
  RecoveryGate gate(block);
  EXPECT_TRUE(gate.may_recover(10));
  gate.recovered(10);
  EXPECT_FALSE(gate.may_recover(10 + block - 1));
  EXPECT_TRUE(gate.may_recover(10 + block));
}

}  // namespace
}  // namespace mailsim::models
