#pragma once
// The decisions of one Patroni HA cycle (patroni/ha.py run_cycle), without SimGrid: what a
// node does given its PostgreSQL state and the cluster it read from the DCS. The shell
// (patroni_postgres.cpp) performs the DCS calls, timers and PostgreSQL state changes.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mailsim::models {

// Built from the params (patroni_config in patroni_postgres_params.hpp); the defaults live
// only in the params table.
struct PatroniConfig {
  double ttl{}, loop_wait{}, retry_timeout{};  // seconds
  double maximum_lag_on_failover{};            // bytes
  bool synchronous_mode{};
  bool synchronous_mode_strict{};
  bool failsafe_mode{};
};

// Patroni's documented rule (dynamic_configuration.rst): loop_wait + 2 * retry_timeout <= ttl,
// so that a primary that cannot reach the DCS demotes before its leader key can expire.
bool patroni_timing_valid(const PatroniConfig& c);

// What the node read from the DCS (one range read of the cluster's prefix).
struct ClusterView {
  std::optional<std::string> leader;        // holder of the leader key
  std::map<std::string, double> member_lsn; // member keys: name -> WAL position they last published
  double leader_optime = 0;                 // /optime/leader: last position the leader published
  std::string sync_standby;                 // /sync: the synchronous standby ("" none)
  // /failover, written by POST /switchover (patronictl switchover): the leader that is to
  // hand over and the candidate that is to take over ("" none).
  std::string switchover_from, switchover_to;
};

struct NodeView {
  std::string name;
  bool running_as_primary = false;  // PostgreSQL accepts writes (not in recovery)
  double lsn = 0;                   // own WAL position (written or received)
};

enum class HaAction : uint8_t {
  kUpdateLock,     // we hold the key: refresh it (CAS on our own value); promote if still a replica
  kFollow,         // someone else holds it: stay / become a replica of them
  kDemote,         // we run as primary but the key belongs to someone else
  kRace,           // no leader and we may be the healthiest: ask the members (is_healthiest), then race
  kWaitNotHealthy,  // no leader but we lag too much behind /optime/leader, or are not the sync standby
  kSwitchover,      // we hold the key and /failover asks us to hand it to its candidate
  kTakeOver         // no leader and /failover names us its candidate: take the key, no race
};

struct HaDecision {
  HaAction action;
  std::string reason;
};

HaDecision ha_decide(const PatroniConfig& c, const NodeView& me, const ClusterView& cluster);

// What a member answered on GET /patroni during the race (ha.py _MemberStatus).
struct MemberStatus {
  std::string name;
  bool reachable = false;   // answered within the REST timeout
  bool in_recovery = true;  // false: it runs as a primary
  double wal_position = 0;  // bytes received or replayed
};

// ha.py _is_healthiest_node, the part that uses the members' answers: a reachable member
// still running as primary, or one ahead of us in WAL, makes us not the healthiest; an
// unreachable member does not count (its data is not current).
bool is_healthiest(const NodeView& me, const std::vector<MemberStatus>& members);

// The DCS could not be reached for retry_timeout. A primary demotes, unless failsafe_mode
// is on and every other member acknowledged POST /failsafe (dcs_failsafe_mode.rst).
bool keep_primary_without_dcs(const PatroniConfig& c, bool all_members_answered_failsafe);

}  // namespace mailsim::models
