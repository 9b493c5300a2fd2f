#include "models/cockroachdb/cockroachdb_params.hpp"

namespace mailsim::models {

using P = CockroachDbParams;
using config::param;
using config::range;

// Defaults: CockroachDB pkg/base/config.go as stored at commit cd2988f5 (a v22-era file,
// before COCKROACH_RANGE_LEASE_DURATION; release tag not verified): tick 200 ms, 15 election ticks, 5 heartbeat
// ticks, lease = liveness = 3 x election timeout, renewal at half of it.
const config::ParamTable<P>& cockroachdb_params() {
  static const config::ParamTable<P> table(
      "cockroachdb",
      {
          param(&P::raft_tick_interval, "raft_tick_interval", "200ms", "duration",
                "resolution of the Raft timers; election and heartbeat intervals are counted in ticks",
                "cockroach pkg/base/config.go defaultRaftTickInterval = 200 ms (COCKROACH_RAFT_TICK_INTERVAL)",
                range("1ms", "10s")),
          param(&P::raft_election_timeout_ticks, "raft_election_timeout_ticks", "15", "count",
                "T = ticks x tick (3 s): a follower that hears no leader for a random time in [T, 2T) campaigns "
                "(pre-vote); a leader without a quorum for T steps down (check-quorum)",
                "cockroach pkg/base/config.go defaultRaftElectionTimeoutTicks = 15 (COCKROACH_RAFT_ELECTION_TIMEOUT_TICKS); "
                "etcd-io/raft randomizes it in [T, 2T)",
                range("2", "1000")),
          param(&P::raft_heartbeat_interval_ticks, "raft_heartbeat_interval_ticks", "5", "count",
                "a range's Raft leader heartbeats its followers every ticks x tick (1 s)",
                "cockroach pkg/base/config.go defaultRaftHeartbeatIntervalTicks = 5",
                range("1", "1000")),
          param(&P::liveness_ttl, "liveness_ttl", "9s", "duration",
                "a node's liveness record expires this long after the heartbeat that wrote it; its epoch-based "
                "leases are valid only while it is live",
                "cockroach pkg/base/config.go NodeLivenessDurations: livenessActive = RangeLeaseActiveDuration = "
                "3 (defaultRangeLeaseRaftElectionTimeoutMultiplier) x 3 s election timeout = 9 s",
                range("10ms", "1h")),
          param(&P::liveness_heartbeat_interval, "liveness_heartbeat_interval", "4500ms", "duration",
                "how often each node heartbeats (CPuts) its liveness record through the liveness range",
                "cockroach pkg/base/config.go livenessRenewalFraction = 0.5: renewal = 0.5 x 9 s = 4.5 s",
                range("1ms", "1h")),
          param(&P::liveness_retry_interval, "liveness_retry_interval", "1s", "duration",
                "a liveness heartbeat or epoch increment not applied after this long is sent again",
                "cockroach pkg/base/config.go DefaultRetryOptions: MaxBackoff 1 s",
                range("1ms", "1h")),
          param(&P::unavailable_timeout, "unavailable_timeout", "60s", "duration",
                "per-replica circuit breaker: a range without a usable lease this long fails its waiting and new "
                "requests at once (ReplicaUnavailableError) until it recovers; before that, requests wait",
                "CockroachDB docs, architecture/replication-layer.md (per-replica circuit breakers, enabled by "
                "default since v22.1): kv.replica_circuit_breaker.slow_replication_threshold defaults to 1m0s",
                range("1ms", "1d").zero_means("circuit breakers disabled: requests wait for the lease")),
          param(&P::time_until_store_dead, "time_until_store_dead", "5m", "duration",
                "a node not live for this long is declared dead (event crdb.store_dead); up-replication is not "
                "simulated (see docs/models/cockroachdb.md)",
                "CockroachDB docs, cluster-settings: server.time_until_store_dead default 5m0s",
                range("75s", "30d").because("CockroachDB refuses less than 1m15s: storepool minTimeUntilStoreDead")),
          param(&P::drain_wait, "drain_wait", "0s", "duration",
                "a clean stop (drain): how long the node reports itself unready to load balancers before it "
                "starts moving its leases away",
                "CockroachDB docs, cluster-settings: server.shutdown.drain_wait default 0s", range("0s", "10m")),
          param(&P::lease_transfer_wait, "lease_transfer_wait", "5s", "duration",
                "a clean stop (drain): how long the node keeps transferring its range leases (and Raft "
                "leadership) to other replicas before it stops anyway",
                "CockroachDB docs, cluster-settings: server.shutdown.lease_transfer_wait default 5s",
                range("0s", "10m")),
          param(&P::replication_factor, "replication_factor", "3", "count",
                "replicas per range (num_replicas of the default zone config); a range needs a majority of them",
                "CockroachDB docs, configure-replication-zones.md: num_replicas default 3",
                range("1", "100")),
          param(&P::ranges, "ranges", "9", "count",
                "user ranges the key space is split into, replicas placed round robin over the nodes (range i on "
                "nodes i, i+1, ... mod N; its first replica holds the lease at t = 0); the liveness range is extra",
                "mailsim assumption: a small table split; CockroachDB splits at 512 MiB (range_max_bytes)",
                range("1", "1000").because("mailsim: each range is simulated as a Raft group of its own")),
          param(&P::request_bytes, "request_bytes", "256B", "size",
                "size of a Raft message header, a liveness heartbeat or an internal RPC",
                "mailsim assumption: small messages; negligible on a LAN",
                range("1B", "1MiB")),
          param(&P::raft_log_truncation_threshold, "raft_log_truncation_threshold", "16MiB", "size",
                "a range's Raft log larger than this is truncated to the quorum's commit index even past a follower "
                "that is not recently active (it then catches up from a snapshot); below it, truncation waits for "
                "every follower. The log's size counts request_bytes per entry",
                "cockroach pkg/base/config.go defaultRaftLogTruncationThreshold = 16 MiB "
                "(COCKROACH_RAFT_LOG_TRUNCATION_THRESHOLD); pkg/kv/kvserver/raft_log_queue.go computeTruncateDecision",
                range("1KiB", "1TiB")),
          param(&P::snapshot_bytes, "snapshot_bytes", "128MiB", "size",
                "size of a Raft snapshot of one range on the wire: what a follower behind the truncated log "
                "receives before it can append again",
                "mailsim assumption: a range at the default zone config's range_min_bytes (128 MiB; ranges split at "
                "range_max_bytes, 512 MiB: CockroachDB docs, configure-replication-zones.md)",
                range("1B", "1TiB")),
          param(&P::snapshot_max_rate, "snapshot_max_rate", "33554432B/s", "bandwidth",
                "the sender streams a Raft snapshot at most this fast (32 MiB/s): it takes max(network transit, "
                "snapshot_bytes / this); the follower then ingests it through its disk before it applies it",
                "cockroach pkg/kv/kvserver/store_snapshot.go (v22-era, commit 3cb7eb05): Raft-initiated snapshots "
                "have RECOVERY priority, limited by kv.snapshot_recovery.max_rate = 32<<20 B/s (rebalance "
                "snapshots: kv.snapshot_rebalance.max_rate, also 32 MiB/s; one setting since v23.2)",
                range("1048576B/s", "1000GB/s").because("CockroachDB refuses less than 1 MiB/s: store_snapshot.go minSnapshotRate")),
      });
  return table;
}

const NameTable<CockroachDbRole>& cockroachdb_roles() {
  static const NameTable<CockroachDbRole> roles{{CockroachDbRole::kLeaseholder, "leaseholder"},
                                                {CockroachDbRole::kLivenessLeader, "liveness_leader"}};
  return roles;
}

raft::RaftConfig cockroachdb_raft_config(const CockroachDbParams& p, int id, int peers) {
  raft::RaftConfig c;
  c.id = id;
  c.peers = peers;
  c.heartbeat_interval = p.heartbeat_interval();
  c.election_timeout = p.election_timeout();
  c.election_timeout_spread = 1.0;  // etcd-io/raft resetRandomizedElectionTimeout: [T, 2T), not configurable
  c.pre_vote = true;      // etcd-io/raft PreVote, enabled by CockroachDB (replica_init.go newRaftConfig)
  c.check_quorum = true;  // COCKROACH_RAFT_ENABLE_CHECKQUORUM, default true
  c.snapshot_bytes = p.snapshot_bytes.bytes;
  c.snapshot_stream_time = p.snapshot_stream_time();
  return c;
}

}  // namespace mailsim::models
