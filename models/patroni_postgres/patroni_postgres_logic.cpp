#include "models/patroni_postgres/patroni_postgres_logic.hpp"

namespace mailsim::models {

bool patroni_timing_valid(const PatroniConfig& c) { return c.loop_wait + 2 * c.retry_timeout <= c.ttl + 1e-9; }

HaDecision ha_decide(const PatroniConfig& c, const NodeView& me, const ClusterView& cluster) {
  const bool switchover = !cluster.switchover_to.empty();
  if (cluster.leader) {
    // ha.py process_manual_failover_from_leader: the leader named by /failover hands over.
    if (*cluster.leader == me.name && me.running_as_primary && switchover && cluster.switchover_from == me.name &&
        cluster.switchover_to != me.name)
      return {HaAction::kSwitchover, "switchover to " + cluster.switchover_to};
    if (*cluster.leader == me.name) return {HaAction::kUpdateLock, "holds the leader key"};
    if (me.running_as_primary) return {HaAction::kDemote, "leader key held by " + *cluster.leader};
    return {HaAction::kFollow, "following " + *cluster.leader};
  }
  // No leader: the race (ha.py is_healthiest_node / _is_healthiest_node).
  if (me.running_as_primary) return {HaAction::kRace, "primary without a leader key"};
  // ha.py manual_failover_process_no_leader: the candidate takes over, the others wait.
  if (switchover && cluster.switchover_to == me.name) return {HaAction::kTakeOver, "the switchover's candidate"};
  if (switchover) return {HaAction::kWaitNotHealthy, "a switchover names " + cluster.switchover_to};
  if (c.synchronous_mode && !cluster.sync_standby.empty() && cluster.sync_standby != me.name)
    return {HaAction::kWaitNotHealthy, "not the synchronous standby"};
  if (cluster.leader_optime - me.lsn > c.maximum_lag_on_failover)
    return {HaAction::kWaitNotHealthy, "lag above maximum_lag_on_failover"};
  return {HaAction::kRace, "no leader: ask the members"};
}

bool is_healthiest(const NodeView& me, const std::vector<MemberStatus>& members) {
  for (const auto& m : members) {
    if (!m.reachable || m.name == me.name) continue;
    if (!m.in_recovery) return false;  // "Primary is still alive"
    if (m.wal_position > me.lsn) return false;
  }
  return true;
}

bool keep_primary_without_dcs(const PatroniConfig& c, bool all_members_answered_failsafe) {
  return c.failsafe_mode && all_members_answered_failsafe;
}

}  // namespace mailsim::models
