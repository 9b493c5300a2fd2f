#include "models/cockroachdb/cockroachdb_logic.hpp"

#include <algorithm>

namespace mailsim::models {

CrdbLogic::CrdbLogic(int nodes, int ranges, int rf, double liveness_ttl)
    : nodes_(nodes), ranges_(ranges), rf_(rf), ttl_(liveness_ttl) {
  replicas_.resize(static_cast<size_t>(ranges + 1));
  for (int g = 0; g <= ranges; ++g) {
    const int first = g == ranges ? 0 : g % nodes;
    for (int j = 0; j < rf; ++j) replicas_[static_cast<size_t>(g)].push_back((first + j) % nodes);
  }
  // Steady state at t = 0: every node heartbeated at 0 in epoch 1.
  live_.assign(static_cast<size_t>(nodes), LivenessRecord{1, liveness_ttl});
  lease_.resize(static_cast<size_t>(ranges + 1));
  for (int g = 0; g <= ranges; ++g) set_lease(g, replicas_[static_cast<size_t>(g)][0]);
}

int CrdbLogic::replica_index(int g, int node) const {
  const auto& r = replicas(g);
  auto it = std::find(r.begin(), r.end(), node);
  return it == r.end() ? -1 : static_cast<int>(it - r.begin());
}

int CrdbLogic::range_of(uint64_t key) const {
  // splitmix64 finalizer: consecutive request numbers spread evenly over the ranges.
  uint64_t z = key + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<int>(z % static_cast<uint64_t>(ranges_));
}

void CrdbLogic::heartbeat(int node, double sent, bool bump) {
  LivenessRecord& r = live_[static_cast<size_t>(node)];
  if (bump) ++r.epoch;
  r.expiration = std::max(r.expiration, sent + ttl_);
}

bool CrdbLogic::increment_epoch(int node, double now) {
  LivenessRecord& r = live_[static_cast<size_t>(node)];
  if (now < r.expiration) return false;  // ConditionFailed: the node heartbeated meanwhile
  ++r.epoch;
  return true;
}

bool CrdbLogic::lease_valid(int g, double now) const {
  const RangeLease& l = lease(g);
  return l.holder >= 0 && is_live(l.holder, now) && record(l.holder).epoch == l.epoch;
}

int CrdbLogic::needs_epoch_increment(int g, double now) const {
  const RangeLease& l = lease(g);
  if (l.holder < 0 || record(l.holder).epoch != l.epoch) return -1;  // already stale
  return is_live(l.holder, now) ? -1 : l.holder;
}

bool CrdbLogic::can_acquire(int g, int node, double now) const {
  if (!is_live(node, now) || lease_valid(g, now)) return false;
  const RangeLease& l = lease(g);
  return l.holder < 0 || l.holder == node || record(l.holder).epoch != l.epoch;
}

bool CrdbLogic::transfer(int g, int from, int to, double now) {
  if (!lease_valid(g, now) || lease(g).holder != from || !is_live(to, now)) return false;
  set_lease(g, to);
  return true;
}

bool CrdbLogic::acquire(int g, int node, double now) {
  if (!can_acquire(g, node, now)) return false;
  set_lease(g, node);
  return true;
}

}  // namespace mailsim::models
