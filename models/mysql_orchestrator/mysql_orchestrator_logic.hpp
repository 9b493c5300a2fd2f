#pragma once
// Orchestrator's holistic failure analysis and its recovery gate, without SimGrid.
//
// Orchestrator (openark/orchestrator, docs/failure-detection.md) declares a primary dead
// only when it both fails to reach the primary and reaches the primary's replicas, which
// confirm that they cannot replicate from it either ("DeadMaster"). When a reachable
// replica still replicates, the primary is only "UnreachableMaster": no failover. When it
// reaches no replica, nobody confirms and there is nobody to promote
// ("DeadMasterAndReplicas"): no failover either.
#include <cstddef>
#include <vector>

namespace mailsim::models {

enum class MasterAnalysis { kNoProblem, kUnreachableMaster, kDeadMaster, kDeadMasterAndReplicas };
const char* analysis_name(MasterAnalysis a);

// What Orchestrator learnt from one replica after its read of the primary failed.
enum class ReplicaView {
  kUnreachable,  // Orchestrator could not read the replica
  kReplicating,  // the replica's IO thread (re)connected to the primary
  kLostPrimary   // the replica is up but cannot reach the primary either
};

MasterAnalysis analyse_master(bool primary_reachable, const std::vector<ReplicaView>& replicas);

// The replica Orchestrator promotes: the first, in instance order, that confirmed the loss
// (every replica is equally advanced in mailsim: there is no replication lag), or -1.
// `replica_index[i]` is the instance index of replicas[i].
int promotion_candidate(const std::vector<ReplicaView>& replicas,
                        const std::vector<int>& replica_index);

// RecoveryPeriodBlockSeconds: one recovery per cluster within the block period.
class RecoveryGate {
 public:
  explicit RecoveryGate(double block) : block_(block) {}
  bool may_recover(double now) const { return last_ < 0 || now - last_ >= block_; }
  void recovered(double now) { last_ = now; }

 private:
  double block_;
  double last_ = -1;
};

}  // namespace mailsim::models
