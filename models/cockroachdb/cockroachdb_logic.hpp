#pragma once
// CockroachDB's replication bookkeeping without SimGrid: where each range's replicas are,
// which range a key falls in, the node liveness records (epoch, expiration) and the
// epoch-based range leases that depend on them (pkg/kv/kvserver/liveness, replica_range_lease.go).
//
// Rules (CockroachDB's epoch-based leases, as in the v22-era sources the defaults cite):
//  - A node is live while now < its record's expiration; a heartbeat sets
//    expiration = the heartbeat's send time + liveness_ttl and keeps the epoch. The first
//    heartbeat after a restart increments the node's own epoch.
//  - IncrementEpoch(n) succeeds only once n's record has expired: it bumps the epoch, which
//    invalidates every lease n held (they carry the old epoch).
//  - An epoch-based lease {holder, epoch} is valid while the holder is live and its record
//    still has that epoch. It never needs renewing.
//  - A replica may acquire a range's lease only when the current one is invalid, and only
//    for its own live epoch (the shell also requires it to be the range's Raft leader).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mailsim::models {

struct LivenessRecord {
  uint64_t epoch = 1;
  double expiration = 0;
};

struct RangeLease {
  int holder = -1;  // node index
  uint64_t epoch = 0;
};

class CrdbLogic {
 public:
  // `nodes` nodes, `ranges` user ranges (+ the liveness range, index `ranges`), rf replicas.
  CrdbLogic(int nodes, int ranges, int rf, double liveness_ttl);

  int nodes() const { return nodes_; }
  int ranges() const { return ranges_; }  // user ranges
  int groups() const { return ranges_ + 1; }
  int liveness_group() const { return ranges_; }
  // Node indexes of group g's replicas, replica 0 first (the initial leaseholder/leader):
  // user range i on nodes i, i+1, ..., i+rf-1 (mod N); the liveness range on 0..rf-1.
  const std::vector<int>& replicas(int g) const { return replicas_[static_cast<size_t>(g)]; }
  int replica_index(int g, int node) const;  // -1 when node has no replica of g
  int quorum() const { return rf_ / 2 + 1; }
  // The range a request key maps to (a hash of the key, uniform over ranges).
  int range_of(uint64_t key) const;

  // Liveness.
  const LivenessRecord& record(int node) const { return live_[static_cast<size_t>(node)]; }
  bool is_live(int node, double now) const { return now < record(node).expiration; }
  // Applies a heartbeat sent at `sent` (expiration = sent + ttl, never moved back).
  // bump: the node's first heartbeat after a restart (increments its own epoch).
  void heartbeat(int node, double sent, bool bump);
  // Returns true when the epoch was incremented (the record had expired at `now`).
  bool increment_epoch(int node, double now);

  // Leases.
  const RangeLease& lease(int g) const { return lease_[static_cast<size_t>(g)]; }
  bool lease_valid(int g, double now) const;
  // Whether `node` may propose a lease request for g now (its own record is live and the
  // current lease is invalid, or already its own with a stale epoch).
  bool can_acquire(int g, int node, double now) const;
  // The node whose epoch must be incremented before anyone can take g's lease, or -1.
  int needs_epoch_increment(int g, double now) const;
  // Applies a committed lease request; false when it no longer holds (lease valid again,
  // or the requester's liveness lapsed in between): CockroachDB rejects it below Raft.
  bool acquire(int g, int node, double now);
  // Applies a committed lease transfer (replica_range_lease.go AdminTransferLease): the
  // holder hands its valid lease to `to`, which must be live; false otherwise.
  bool transfer(int g, int from, int to, double now);
  // Test and start-up helper: sets the lease as if acquired at epoch record(node).epoch.
  void set_lease(int g, int node) { lease_[static_cast<size_t>(g)] = {node, record(node).epoch}; }

 private:
  int nodes_, ranges_, rf_;
  double ttl_;
  std::vector<std::vector<int>> replicas_;
  std::vector<LivenessRecord> live_;
  std::vector<RangeLease> lease_;
};

}  // namespace mailsim::models
