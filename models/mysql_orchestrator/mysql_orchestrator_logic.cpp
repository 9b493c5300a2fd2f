#include "models/mysql_orchestrator/mysql_orchestrator_logic.hpp"

namespace mailsim::models {

const char* analysis_name(MasterAnalysis a) {
  switch (a) {
    case MasterAnalysis::kNoProblem:
      return "NoProblem";
    case MasterAnalysis::kUnreachableMaster:
      return "UnreachableMaster";
    case MasterAnalysis::kDeadMaster:
      return "DeadMaster";
    case MasterAnalysis::kDeadMasterAndReplicas:
      return "DeadMasterAndReplicas";
  }
  return "?";
}

MasterAnalysis analyse_master(bool primary_reachable, const std::vector<ReplicaView>& replicas) {
  if (primary_reachable) return MasterAnalysis::kNoProblem;
  bool any_reached = false;
  for (ReplicaView v : replicas) {
    if (v == ReplicaView::kReplicating) return MasterAnalysis::kUnreachableMaster;
    if (v == ReplicaView::kLostPrimary) any_reached = true;
  }
  return any_reached ? MasterAnalysis::kDeadMaster : MasterAnalysis::kDeadMasterAndReplicas;
}

int most_advanced(const std::vector<int>& replicas, const std::vector<uint64_t>& position) {
  int best = -1;
  for (int r : replicas)
    if (best < 0 || position[static_cast<size_t>(r)] > position[static_cast<size_t>(best)]) best = r;
  return best;
}

const char* phase_name(RecoveryPhase p) {
  switch (p) {
    case RecoveryPhase::kStopReplicas:
      return "stop_replicas";
    case RecoveryPhase::kRepointReplicas:
      return "repoint_replicas";
    case RecoveryPhase::kPromote:
      return "promote";
    case RecoveryPhase::kHook:
      return "post_failover_hook";
  }
  return "?";
}

const std::vector<const char*>& phase_statements(RecoveryPhase p) {
  // go/inst/instance_topology_dao.go StopReplicationNicely: read the instance, stop the IO
  // thread, let the SQL thread apply the relay log (WaitForSQLThreadUpToDate reads the
  // instance until it has), stop replication, read it back.
  static const std::vector<const char*> stop{"read instance",   "STOP SLAVE IO_THREAD",
                                             "START SLAVE SQL_THREAD",
                                             "read instance (SQL thread up to date)",
                                             "STOP SLAVE",      "read instance"};
  // moveReplicasViaGTID: CHANGE MASTER TO the candidate with auto-position, then start.
  static const std::vector<const char*> repoint{"CHANGE MASTER TO MASTER_AUTO_POSITION = 1",
                                                "START SLAVE"};
  // ResetReplicationOperation and SetReadOnly (ApplyMySQLPromotionAfterMasterFailover).
  static const std::vector<const char*> promote{"STOP SLAVE", "RESET SLAVE ALL",
                                                "SET GLOBAL read_only = 0"};
  // The hook reaches the promoted node once (a VIP brought up there, a DNS or proxy update
  // naming it); its own run time is the hook_time param.
  static const std::vector<const char*> hook{"PostMasterFailoverProcesses"};
  switch (p) {
    case RecoveryPhase::kStopReplicas:
      return stop;
    case RecoveryPhase::kRepointReplicas:
      return repoint;
    case RecoveryPhase::kPromote:
      return promote;
    case RecoveryPhase::kHook:
      break;
  }
  return hook;
}

bool stops_replicas_first(size_t confirmed_replicas) { return confirmed_replicas >= 2; }

std::vector<int> confirmed_replicas(const std::vector<ReplicaView>& replicas,
                                    const std::vector<int>& replica_index) {
  std::vector<int> out;
  for (size_t i = 0; i < replicas.size(); ++i)
    if (replicas[i] == ReplicaView::kLostPrimary) out.push_back(replica_index[i]);
  return out;
}

}  // namespace mailsim::models
