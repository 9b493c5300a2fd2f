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
#include <cstdint>
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

// The replicas that confirmed the loss, in instance order: the ones a recovery can regroup.
// `replica_index[i]` is the instance index of replicas[i].
std::vector<int> confirmed_replicas(const std::vector<ReplicaView>& replicas,
                                    const std::vector<int>& replica_index);

// The candidate among the replicas Orchestrator regroups: the most advanced (the last
// transaction of the old primary's binlog each holds, as it reports it), the first among
// equals in the order given (instance order): Orchestrator sorts the replicas by exec
// coordinates. -1 when there is none.
int most_advanced(const std::vector<int>& replicas, const std::vector<uint64_t>& position);

// Orchestrator's recovery of a DeadMaster with GTID (go/logic/topology_recovery.go
// recoverDeadMaster: inst.RegroupReplicasGTID, then ApplyMySQLPromotionAfterMasterFailover =
// true, then the PostMasterFailoverProcesses hooks), as phases of statements. Each statement
// is one round trip from Orchestrator to the instance; the statements of a phase run one
// after the other on each instance, the instances of a phase in parallel, and the phases in
// this order.
enum class RecoveryPhase {
  kStopReplicas,     // every confirmed replica, when there are two or more (StopReplicationNicely)
  kRepointReplicas,  // the other confirmed replicas move below the candidate (GTID auto-position)
  kPromote,          // the candidate: replication reset, writable
  kHook              // PostMasterFailoverProcesses: moves the writer address to the candidate
};
const char* phase_name(RecoveryPhase p);
const std::vector<const char*>& phase_statements(RecoveryPhase p);

// Orchestrator stops and sorts the replicas by executed position only when there are two or
// more (sortedReplicasDataCenterHint returns a single replica as it is).
bool stops_replicas_first(size_t confirmed_replicas);

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
