#pragma once
// Message transit between nodes. Small messages (requests, VRRP adverts, health checks)
// take the route's latency plus size over the bottleneck bandwidth, without SimGrid flow
// sharing: mail requests are small and max-min sharing costs grow with concurrent flows
// (SIMGRID-NOTES.md). Partitions and degraded links are applied here, because SimGrid can
// only turn whole links off, which cannot cut two groups apart while both still reach the
// rest (docs/architecture.md).
#include <optional>
#include <vector>

#include "core/rng.hpp"
#include "engine/platform.hpp"

namespace mailsim::engine {

class Network {
 public:
  Network(const Platform& platform, uint64_t seed)
      : platform_(platform),
        rng_(seed, "network"),
        extra_latency_(platform.node_count() + 1, 0.0),
        loss_(platform.node_count() + 1, 0.0) {}

  // Delay for a message sent now, or nullopt when it is lost at once: the sender is down,
  // a partition cuts the pair, or a degraded link drops it. The receiver's state is the
  // caller's to check on arrival (is_up), since a host may die while the message flies.
  std::optional<double> transit(NodeId from, NodeId to, double bytes);
  bool reachable(NodeId from, NodeId to) const;  // no partition between them, both up

  // Partitions: group_a cannot send to group_b (and, unless one_way, the reverse).
  int add_cut(std::vector<NodeId> group_a, std::vector<NodeId> group_b, bool one_way);
  void remove_cut(int id);
  void set_degrade(NodeId n, double extra_latency, double loss) {
    extra_latency_[n] = extra_latency;
    loss_[n] = loss;
  }

 private:
  struct Cut {
    int id;
    std::vector<char> in_a, in_b;
    bool one_way;
  };
  bool cut(NodeId from, NodeId to) const;
  const Platform& platform_;
  core::RngStream rng_;
  std::vector<double> extra_latency_;
  std::vector<double> loss_;
  std::vector<Cut> cuts_;
  int next_cut_id_ = 1;
};

}  // namespace mailsim::engine
