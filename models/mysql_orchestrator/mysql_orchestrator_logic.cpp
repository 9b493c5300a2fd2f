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

int promotion_candidate(const std::vector<ReplicaView>& replicas,
                        const std::vector<int>& replica_index) {
  for (size_t i = 0; i < replicas.size(); ++i)
    if (replicas[i] == ReplicaView::kLostPrimary) return replica_index[i];
  return -1;
}

}  // namespace mailsim::models
