#pragma once
// Params of a cockroachdb component: one CockroachDB node per topology node, the key space
// split into `ranges` Raft groups of `replication_factor` replicas each, epoch-based range
// leases tied to node liveness (models/cockroachdb/cockroachdb.hpp).
#include "config/params.hpp"
#include "models/common/names.hpp"
#include "models/common/raft_logic.hpp"

namespace mailsim::models {

struct CockroachDbParams {
  core::Duration raft_tick_interval;
  int raft_election_timeout_ticks = 0;
  int raft_heartbeat_interval_ticks = 0;
  core::Duration liveness_ttl;
  core::Duration liveness_heartbeat_interval;
  core::Duration liveness_retry_interval;
  core::Duration unavailable_timeout;
  core::Duration time_until_store_dead;
  int replication_factor = 0;
  int ranges = 0;
  core::Bytes request_bytes;
  core::Duration drain_wait;
  core::Duration lease_transfer_wait;
  core::Bytes raft_log_truncation_threshold;
  core::Bytes snapshot_bytes;
  core::Bandwidth snapshot_max_rate;

  double election_timeout() const { return raft_election_timeout_ticks * raft_tick_interval.seconds; }
  double heartbeat_interval() const { return raft_heartbeat_interval_ticks * raft_tick_interval.seconds; }
  // The least time a snapshot takes to stream at the sender's rate limit.
  double snapshot_stream_time() const { return snapshot_bytes.bytes / snapshot_max_rate.bytes_per_s; }
};

const config::ParamTable<CockroachDbParams>& cockroachdb_params();

// Steps name read or write (data_ops()): a write replicates through the range's Raft
// group, a read is served by the leaseholder. Roles a fault can target: the holder of the
// first user range's lease, the leader of the liveness range.
enum class CockroachDbRole { kLeaseholder, kLivenessLeader };
const NameTable<CockroachDbRole>& cockroachdb_roles();

// Replica `id` of a range of `peers` replicas.
raft::RaftConfig cockroachdb_raft_config(const CockroachDbParams& p, int id, int peers);

}  // namespace mailsim::models
