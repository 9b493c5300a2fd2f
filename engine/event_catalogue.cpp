#include "engine/event_catalogue.hpp"

#include <string>

#include "core/error.hpp"

namespace mailsim::engine {

namespace {

using C = EventClass;
using K = EventKind;
using T = FieldType;

// Fields most kinds share.
constexpr FieldSpec kComponent{"component", T::kText};
constexpr FieldSpec kNode{"node", T::kText};
constexpr FieldSpec kServer{"server", T::kText};
constexpr FieldSpec kCause{"cause", T::kText};

// The VRRP group's events (vip_balancer, and memcached in mode vip).
const std::vector<std::string_view> kVrrp = {"vip_balancer", "memcached"};
const std::vector<std::string_view> kRaft = {"etcd", "cockroachdb"};

EventSpec fault(EventSpec s, EventKind ends, std::vector<std::string_view> scope,
                std::string_view label, bool drops_roles = false) {
  s.ends = ends;
  s.scope = std::move(scope);
  s.label = label;
  s.drops_roles = drops_roles;
  return s;
}

EventSpec role(EventSpec s, std::string_view role, std::string_view holder,
               std::string_view group = {}, std::string_view previous = {}) {
  s.role = role;
  s.holder = holder;
  s.group = group;
  s.previous = previous;
  return s;
}

std::vector<EventSpec> build() {
  std::vector<EventSpec> c = {
      // ---- Faults (the fault injector) --------------------------------------------------
      fault({K::kNodeCrashed,
             "node.crashed",
             C::kFault,
             {kNode, kCause},
             "a node powered off: every component on it lost its in-memory state",
             {"engine"}},
            K::kNodeRestarted, {"node"}, "crash", true),
      {K::kNodeRestarted,
       "node.restarted",
       C::kFaultEnd,
       {kNode},
       "a crashed node booted again; its components start",
       {"engine"}},
      fault({K::kComponentStopped,
             "component.stopped",
             C::kFault,
             {kComponent, kNode},
             "one component's instance on a node was stopped (the rest of the node runs)",
             {"engine"}},
            K::kComponentStarted, {"component", "node"}, "stop"),
      {K::kComponentStarted,
       "component.started",
       C::kFaultEnd,
       {kComponent, kNode},
       "a stopped instance was started again",
       {"engine"}},
      fault({K::kPartitionStarted,
             "partition.started",
             C::kFault,
             {{"groups", T::kList}, {"one_way", T::kBool}},
             "the network was cut between groups of nodes (one_way: only from the first group)",
             {"engine"}},
            K::kPartitionHealed, {"groups"}, "partition"),
      {K::kPartitionHealed,
       "partition.healed",
       C::kFaultEnd,
       {{"groups", T::kList}},
       "a partition healed",
       {"engine"}},
      fault({K::kDiskSlowed,
             "disk.slowed",
             C::kFault,
             {kNode, {"factor", T::kNumber}},
             "every disk operation on a node takes `factor` times as long",
             {"engine"}},
            K::kDiskRestored, {"node"}, "slow disk"),
      {K::kDiskRestored,
       "disk.restored",
       C::kFaultEnd,
       {kNode},
       "a slowed disk is back to its speed",
       {"engine"}},
      fault({K::kLinkDegraded,
             "link.degraded",
             C::kFault,
             {kNode, {"extra_latency_s", T::kNumber}, {"loss", T::kNumber}},
             "a node's link got extra latency and a loss rate",
             {"engine"}},
            K::kLinkRestored, {"node"}, "degrade"),
      {K::kLinkRestored,
       "link.restored",
       C::kFaultEnd,
       {kNode},
       "a degraded link is back to normal",
       {"engine"}},
      {K::kFaultSkipped,
       "fault.skipped",
       C::kState,
       {{"fault", T::kText}, {"target", T::kText}, {"reason", T::kText}},
       "a fault's target resolved to nothing (no such model, or nobody held the role)",
       {"engine"}},

      // ---- Failovers and the durability ledger ------------------------------------------
      {K::kFailoverStarted,
       "failover.started",
       C::kFailoverStarted,
       {kComponent, {"from", T::kText}, kCause},
       "the instance holding the component's role was lost",
       {"vip_balancer", "memcached", "nfs", "etcd", "cockroachdb",
        "patroni_postgres", "mysql_orchestrator", "tarantool"}},
      {K::kFailoverCompleted,
       "failover.completed",
       C::kFailoverCompleted,
       {kComponent,
        {"from", T::kText},
        {"to", T::kText},
        {"lost_commits", T::kInteger, false},
        {"lost_messages", T::kInteger, false},
        {"elections", T::kInteger, false}},
       "another instance took the role (lost_commits / lost_messages: acknowledged data it never "
       "got; elections: the Raft terms the gap took)",
       {"vip_balancer", "memcached", "nfs", "etcd", "cockroachdb",
        "patroni_postgres", "mysql_orchestrator", "tarantool"}},
      {K::kMailLost,
       "mail.lost",
       C::kLedger,
       {kComponent, {"service", T::kText}, {"count", T::kInteger}, {"cause", T::kText, false}},
       "acknowledged messages of a service that the new role holder never received",
       {"nfs", "patroni_postgres", "mysql_orchestrator"}},

      // ---- Roles: the VIP -----------------------------------------------------------------
      role({K::kVipAcquired,
            "vip.acquired",
            C::kRoleTaken,
            {kComponent, kNode},
            "a router became VRRP master and sent its gratuitous ARP",
            kVrrp},
           "VIP", "node"),
      role({K::kVipReleased,
            "vip.released",
            C::kRoleLost,
            {kComponent, kNode, kCause},
            "a router stopped holding the VIP (crash, stop, or preempted)",
            kVrrp},
           "VIP", "node"),
      {K::kVipArpRefreshed,
       "vip.arp_refreshed",
       C::kState,
       {kComponent, kNode},
       "a master re-sent its gratuitous ARP and the gateway moved to it (not an acquisition)",
       kVrrp},
      {K::kVipArpReresolved,
       "vip.arp_reresolved",
       C::kState,
       {kComponent, kNode},
       "the gateway's stale ARP entry was probed and now points at the current master",
       kVrrp},

      // ---- Roles: Raft leadership ----------------------------------------------------------
      role({K::kRaftLeaderElected,
            "raft.leader_elected",
            C::kRoleTaken,
            {kComponent, kNode, {"term", T::kInteger}, {"group", T::kText, false}},
            "a member became Raft leader for `term` (group: the range, for several Raft groups)",
            kRaft},
           "leader", "node", "group"),
      role({K::kRaftLeaderSteppedDown,
            "raft.leader_stepped_down",
            C::kRoleLost,
            {kComponent, kNode, {"term", T::kInteger}, kCause, {"group", T::kText, false}},
            "a Raft leader stepped down (crash, check-quorum, a higher term)",
            kRaft},
           "leader", "node", "group"),

      // ---- Roles: the PostgreSQL writable primary (Patroni) --------------------------------
      role({K::kPgWritable,
            "pg.writable",
            C::kRoleTaken,
            {kComponent, kNode, kCause},
            "a PostgreSQL node started accepting writes (initial primary, or promoted)",
            {"patroni_postgres"}},
           "writable primary", "node"),
      role({K::kPgReadOnly,
            "pg.read_only",
            C::kRoleLost,
            {kComponent, kNode, kCause, {"lsn", T::kNumber}},
            "a PostgreSQL node stopped accepting writes (crash, demotion); lsn: its WAL position then, in "
            "bytes",
            {"patroni_postgres"}},
           "writable primary", "node"),
      {K::kPgPromoted,
       "pg.promoted",
       C::kState,
       {kComponent, kNode, {"timeline", T::kInteger}, {"lost_commits", T::kInteger}, {"lsn", T::kNumber}},
       "a replica finished promotion on a new timeline; lsn: the WAL position it starts from, in bytes",
       {"patroni_postgres"}},
      {K::kPgDemoted,
       "pg.demoted",
       C::kState,
       {kComponent, kNode, kCause},
       "Patroni demoted a primary",
       {"patroni_postgres"}},
      {K::kPgRewound,
       "pg.rewound",
       C::kState,
       {kComponent, kNode, {"method", T::kText}, {"discarded_commits", T::kInteger}},
       "a former primary or lagging replica is back on the leader's timeline (method: pg_rewind "
       "or a base backup), discarding commits",
       {"patroni_postgres"}},
      {K::kPgResyncStarted,
       "pg.resync_started",
       C::kState,
       {kComponent, kNode, {"method", T::kText}, {"bytes", T::kNumber}, {"expected_s", T::kNumber}},
       "a member that cannot follow the leader started pg_rewind or pg_basebackup",
       {"patroni_postgres"}},
      {K::kPgSyncStandby,
       "pg.sync_standby",
       C::kState,
       {kComponent, kNode, {"standby", T::kText}},
       "the primary chose a synchronous standby (\"\": none)",
       {"patroni_postgres"}},
      {K::kPgReplicationLag,
       "pg.replication_lag",
       C::kState,
       {kComponent, kNode, {"primary", T::kText}, {"flush_lag_bytes", T::kNumber}, {"replay_lag_bytes", T::kNumber}},
       "a replica's periodic status reached the primary: WAL the primary has written and the replica "
       "has not yet flushed / replayed (pg_stat_replication, every wal_receiver_status_interval)",
       {"patroni_postgres"}},

      // ---- Roles: CockroachDB leases and ranges --------------------------------------------
      role({K::kCrdbLeaseAcquired,
            "crdb.lease_acquired",
            C::kRoleTaken,
            {kComponent, {"range", T::kText}, kNode, {"epoch", T::kInteger}, {"from", T::kText}},
            "a node took a range's epoch-based lease (from: the previous holder, \"\" if none)",
            {"cockroachdb"}},
           "lease holder", "node", "range", "from"),
      {K::kCrdbRangeUnavailable,
       "crdb.range_unavailable",
       C::kState,
       {kComponent, {"range", T::kText}, {"holder", T::kText}, kCause},
       "a range cannot serve: its lease holder was lost",
       {"cockroachdb"}},
      {K::kCrdbRangeAvailable,
       "crdb.range_available",
       C::kState,
       {kComponent, {"range", T::kText}, kNode, {"unavailable_s", T::kNumber}},
       "a range serves again from `node`",
       {"cockroachdb"}},
      {K::kCrdbLivenessEpochIncremented,
       "crdb.liveness_epoch_incremented",
       C::kState,
       {kComponent, kNode, {"epoch", T::kInteger}, {"by", T::kText}, {"range", T::kText}},
       "a node's liveness record expired and `by` incremented its epoch, voiding its leases",
       {"cockroachdb"}},
      {K::kCrdbCircuitBreakerTripped,
       "crdb.circuit_breaker_tripped",
       C::kState,
       {kComponent, {"range", T::kText}},
       "a range unavailable for unavailable_timeout: its requests fail fast",
       {"cockroachdb"}},
      {K::kCrdbStoreDead,
       "crdb.store_dead",
       C::kState,
       {kComponent, kNode},
       "a node down for time_until_store_dead is declared dead",
       {"cockroachdb"}},
      {K::kCrdbSnapshotApplied,
       "crdb.snapshot_applied",
       C::kState,
       {kComponent, {"range", T::kText}, kNode, {"index", T::kInteger}, {"transfer_s", T::kNumber}},
       "a follower cut off by log truncation applied the range's Raft snapshot (index: its last entry; "
       "transfer_s: from the start of the stream, rate-limited, to the end of its ingestion on the disk)",
       {"cockroachdb"}},

      // ---- Roles: the serving NFS store -------------------------------------------------------
      role({K::kStoreServing,
            "store.serving",
            C::kRoleTaken,
            {kComponent, kNode, kCause},
            "the NFS instance that calls go to serves (start, takeover, switch to the replica, "
            "restart)",
            {"nfs"}},
           "serving store", "node"),
      role({K::kStoreNotServing,
            "store.not_serving",
            C::kRoleLost,
            {kComponent, kNode, kCause},
            "the NFS instance that calls go to stopped serving (crash, stop)",
            {"nfs"}},
           "serving store", "node"),

      // ---- Health and state of the mechanisms ------------------------------------------------
      {K::kBackendDown,
       "backend.down",
       C::kState,
       {kComponent, kNode, kServer},
       "haproxy on `node` marked a backend server down (fall failed checks)",
       {"vip_balancer", "pgbouncer"}},
      {K::kBackendUp,
       "backend.up",
       C::kState,
       {kComponent, kNode, kServer},
       "haproxy on `node` marked a backend server up (rise passed checks)",
       {"vip_balancer", "pgbouncer"}},
      {K::kPoolExhausted,
       "pool.exhausted",
       C::kState,
       {kComponent, kNode, {"op", T::kText}},
       "a request queued with every worker or server connection busy",
       {"mail_node", "pgbouncer"}},
      {K::kPoolRecovered,
       "pool.recovered",
       C::kState,
       {kComponent, kNode, {"op", T::kText}},
       "the queue of an exhausted pool emptied",
       {"mail_node", "pgbouncer"}},
      {K::kPatroniRace,
       "patroni.race",
       C::kState,
       {kComponent, kNode},
       "a replica found no leader key and races for it",
       {"patroni_postgres"}},
      {K::kPatroniNotHealthiest,
       "patroni.not_healthiest",
       C::kState,
       {kComponent, kNode},
       "a replica found no leader key but another member is further ahead: it does not race",
       {"patroni_postgres"}},
      {K::kPatroniLockAcquired,
       "patroni.lock_acquired",
       C::kState,
       {kComponent, kNode, {"unreplayed_wal_bytes", T::kNumber}},
       "a member won the leader key and starts promoting; unreplayed_wal_bytes: WAL it received but has not "
       "applied yet, which the promotion replays first",
       {"patroni_postgres"}},
      {K::kPatroniDcsUnreachable,
       "patroni.dcs_unreachable",
       C::kState,
       {kComponent, kNode},
       "a member could not reach the DCS within retry_timeout",
       {"patroni_postgres"}},
      {K::kPatroniFailsafeActive,
       "patroni.failsafe_active",
       C::kState,
       {kComponent, kNode},
       "failsafe mode: every member confirmed the primary, which keeps running without the DCS",
       {"patroni_postgres"}},
      {K::kEtcdLeaseRevoked,
       "etcd.lease_revoked",
       C::kState,
       {kComponent, kNode, {"lease", T::kInteger}, {"keys", T::kTextList}},
       "the leader revoked an expired lease and deleted its keys",
       {"etcd"}},
      {K::kPgBouncerLoginFailed,
       "pgbouncer.login_failed",
       C::kState,
       {kComponent, kNode, kServer},
       "server logins started failing (reported once until one succeeds)",
       {"pgbouncer"}},
      {K::kPgBouncerLoginOk,
       "pgbouncer.login_ok",
       C::kState,
       {kComponent, kNode, kServer},
       "a server login succeeded after failures",
       {"pgbouncer"}},
      {K::kPgBouncerServersClosed,
       "pgbouncer.servers_closed",
       C::kState,
       {kComponent, kNode, kServer},
       "the pool's server connections were closed to move to another server",
       {"pgbouncer"}},
      {K::kPgBouncerCrashed,
       "pgbouncer.crashed",
       C::kState,
       {kComponent, kNode, kCause},
       "a pgbouncer instance died: its clients' requests are orphaned",
       {"pgbouncer"}},
      {K::kPgBouncerStopped,
       "pgbouncer.stopped",
       C::kState,
       {kComponent, kNode, kCause},
       "a pgbouncer instance stopped gracefully: its clients' requests are refused",
       {"pgbouncer"}},
      {K::kPgBouncerCheckFailed,
       "pgbouncer.check_failed",
       C::kState,
       {kComponent, kNode, kServer},
       "a server connection failed its server_check_query: the query is retried elsewhere",
       {"pgbouncer"}},
      {K::kStoragePairReadWrite,
       "storage.pair_read_write",
       C::kState,
       {kComponent, {"pair", T::kInteger}, {"nodes", T::kTextList}},
       "a disk pair accepts writes again (both copies in sync)",
       {"storage_triple"}},
      {K::kStoragePairReadOnly,
       "storage.pair_read_only",
       C::kState,
       {kComponent, {"pair", T::kInteger}, {"nodes", T::kTextList}},
       "a disk pair lost a copy and serves reads only",
       {"storage_triple"}},
      {K::kStoragePairUnavailable,
       "storage.pair_unavailable",
       C::kState,
       {kComponent, {"pair", T::kInteger}, {"nodes", T::kTextList}},
       "both copies of a disk pair are gone",
       {"storage_triple"}},
      {K::kStorageResyncStarted,
       "storage.resync_started",
       C::kState,
       {kComponent,
        {"pair", T::kInteger},
        kNode,
        {"bytes", T::kNumber},
        {"duration_s", T::kNumber}},
       "a returning copy started resynchronising what diverged from `node`",
       {"storage_triple"}},
      {K::kStorageResyncCompleted,
       "storage.resync_completed",
       C::kState,
       {kComponent, {"pair", T::kInteger}},
       "a pair's resync finished: both copies hold the same data",
       {"storage_triple"}},
      {K::kStorageCopyUnreachable,
       "storage.copy_unreachable",
       C::kState,
       {kComponent, kServer, kCause},
       "the client stopped using a copy after its RPC timed out or was refused",
       {"storage_triple"}},
      {K::kStorageCopyReachable,
       "storage.copy_reachable",
       C::kState,
       {kComponent, kServer},
       "a copy the client had given up on answered again",
       {"storage_triple"}},
      {K::kNfsNotResponding,
       "nfs.not_responding",
       C::kState,
       {kComponent, kServer, {"mount", T::kText}},
       "the client hit its major timeout (the kernel's \"server not responding\")",
       {"nfs"}},
      {K::kNfsOk,
       "nfs.ok",
       C::kState,
       {kComponent, kServer},
       "a call completed after \"not responding\" (the kernel's \"server OK\")",
       {"nfs"}},
      {K::kNfsGraceStarted,
       "nfs.grace_started",
       C::kState,
       {kComponent, kServer},
       "the serving server began its grace period: stateful calls get NFS4ERR_GRACE",
       {"nfs"}},
      {K::kNfsGraceEnded,
       "nfs.grace_ended",
       C::kState,
       {kComponent, kServer},
       "the grace period ended",
       {"nfs"}},
      {K::kNfsTakeoverStarted,
       "nfs.takeover_started",
       C::kState,
       {kComponent, {"from", T::kText}, {"to", T::kText}},
       "the partner head missed the active head's heartbeats and starts taking its exports over",
       {"nfs"}},
      {K::kNfsSyncCompleted,
       "nfs.sync_completed",
       C::kState,
       {kComponent,
        {"from", T::kText},
        {"to", T::kText},
        {"messages", T::kInteger},
        {"bytes", T::kNumber},
        {"duration_s", T::kNumber},
        {"lag_max_s", T::kNumber},
        {"behind_s", T::kNumber}},
       "a periodic Maildir copy (rsync) run to the replica finished",
       {"nfs"}},
      {K::kNfsSyncFailed,
       "nfs.sync_failed",
       C::kState,
       {kComponent,
        {"from", T::kText},
        {"to", T::kText},
        {"messages", T::kInteger},
        {"bytes", T::kNumber},
        {"duration_s", T::kNumber},
        {"lag_max_s", T::kNumber},
        {"behind_s", T::kNumber}},
       "a periodic Maildir copy run broke off (a side crashed); what it copied stays copied",
       {"nfs"}},
      {K::kCacheTko,
       "cache.tko",
       C::kState,
       {kComponent, kServer, kCause},
       "mcrouter marked a server TKO (consecutive timeouts, or a refused connection)",
       {"memcached"}},
      {K::kCacheTkoEnded,
       "cache.tko_ended",
       C::kState,
       {kComponent, kServer},
       "a TKO server answered a probe and takes traffic again",
       {"memcached"}},
      {K::kCacheServerSkipped,
       "cache.server_skipped",
       C::kState,
       {kComponent, kServer, {"for_s", T::kNumber}},
       "the client skips a failed server for retry_interval",
       {"memcached"}},
      {K::kOrchestratorAnalysis,
       "orchestrator.analysis",
       C::kState,
       {kComponent, {"primary", T::kText}, {"analysis", T::kText}, {"recovery", T::kText}},
       "Orchestrator could not read the primary and asked its replicas: DeadMaster (they lost it too), "
       "UnreachableMaster (one still replicates) or DeadMasterAndReplicas (none reached); recovery: started, "
       "blocked (RecoveryPeriodBlockSeconds) or none",
       {"mysql_orchestrator"}},
      {K::kOrchestratorRecovery,
       "orchestrator.recovery",
       C::kState,
       {kComponent, {"phase", T::kText}, {"instance", T::kText}, {"result", T::kText}},
       "one phase of Orchestrator's recovery ended on an instance: stop_replicas, repoint_replicas, promote "
       "or post_failover_hook (which moves the writer address); result: ok, or failed (a statement went "
       "unanswered or was refused: a replica is left out, a failed promote or hook ends the recovery)",
       {"mysql_orchestrator"}},
      {K::kMembershipStatus,
       "membership.status",
       C::kState,
       {kComponent, {"member", T::kText}, {"status", T::kText}},
       "the failover coordinator's membership (SWIM) view of an instance changed: suspect (a direct and "
       "the indirect pings unacked), dead (suspect for failover_timeout) or alive (an ack)",
       {"tarantool"}},
      {K::kTarantoolRole,
       "tarantool.role",
       C::kState,
       {kComponent, {"node", T::kText}, {"role", T::kText}, {"cause", T::kText}},
       "a Tarantool instance became writable (leader) or read-only (replica, or fenced: it lost the "
       "state provider and a replica for fencing_timeout); cause: initial, appointment or fencing",
       {"tarantool"}},
      {K::kSwitchoverRequested,
       "switchover.requested",
       C::kState,
       {kComponent, {"candidate", T::kText}},
       "a scenario's planned switchover: the operator asked the component to hand its role over (candidate: "
       "the node named, \"\" for the software's choice)",
       {"engine"}},
  };
  for (size_t i = 0; i < c.size(); ++i)
    MAILSIM_ASSERT(static_cast<size_t>(c[i].kind) == i,
                   "event catalogue out of EventKind order at " + std::string(c[i].name));
  MAILSIM_ASSERT(c.size() == static_cast<size_t>(EventKind::kCount),
                 "event catalogue lacks a kind");
  return c;
}

bool type_matches(FieldType type, const nlohmann::json& v) {
  switch (type) {
    case T::kText:
      return v.is_string();
    case T::kNumber:
      return v.is_number();
    case T::kInteger:
      return v.is_number_integer();
    case T::kBool:
      return v.is_boolean();
    case T::kTextList:
      if (!v.is_array()) return false;
      for (const auto& x : v)
        if (!x.is_string()) return false;
      return true;
    case T::kList:
      return v.is_array();
  }
  return false;
}

}  // namespace

const std::vector<EventSpec>& event_catalogue() {
  static const std::vector<EventSpec> catalogue = build();
  return catalogue;
}

const EventSpec& event_spec(EventKind kind) {
  MAILSIM_ASSERT(kind < EventKind::kCount, "event kind out of range");
  return event_catalogue()[static_cast<size_t>(kind)];
}

std::string_view event_name(EventKind kind) {
  return event_spec(kind).name;
}

const EventSpec* find_event(std::string_view name) {
  for (const auto& s : event_catalogue())
    if (s.name == name) return &s;
  return nullptr;
}

std::string_view class_name(EventClass cls) {
  switch (cls) {
    case C::kFault:
      return "fault";
    case C::kFaultEnd:
      return "fault end";
    case C::kRoleTaken:
      return "role taken";
    case C::kRoleLost:
      return "role lost";
    case C::kFailoverStarted:
      return "failover started";
    case C::kFailoverCompleted:
      return "failover completed";
    case C::kLedger:
      return "ledger";
    case C::kState:
      return "state";
  }
  return "?";
}

std::string_view field_type_name(FieldType type) {
  switch (type) {
    case T::kText:
      return "text";
    case T::kNumber:
      return "number";
    case T::kInteger:
      return "integer";
    case T::kBool:
      return "bool";
    case T::kTextList:
      return "text list";
    case T::kList:
      return "list";
  }
  return "?";
}

void check_event_fields(const EventSpec& spec, const nlohmann::json& fields) {
  const std::string where = "event " + std::string(spec.name) + ": ";
  MAILSIM_ASSERT(fields.is_object(), where + "fields are not an object");
  size_t declared_present = 0;
  for (const auto& f : spec.fields) {
    auto it = fields.find(f.name);
    if (it == fields.end()) {
      MAILSIM_ASSERT(!f.required, where + "missing required field '" + std::string(f.name) + "'");
      continue;
    }
    MAILSIM_ASSERT(type_matches(f.type, *it),
                   where + "field '" + std::string(f.name) + "' is not " +
                       std::string(field_type_name(f.type)) + ": " + it->dump());
    ++declared_present;
  }
  if (declared_present == fields.size()) return;
  for (const auto& [key, value] : fields.items()) {
    bool declared = false;
    for (const auto& f : spec.fields) declared = declared || f.name == key;
    MAILSIM_ASSERT(declared, where + "undeclared field '" + key + "'");
  }
}

}  // namespace mailsim::engine
