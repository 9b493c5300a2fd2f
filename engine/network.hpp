#pragma once
// Message transit between nodes. A message takes the route's latency plus the time its
// bytes take on the links it crosses (the sender's access link up, the backbone, the
// receiver's access link down), and those links are shared with the rest of the traffic:
// each link sends the messages offered to it one after another at its bandwidth (FIFO),
// so a busy link queues and a saturated one caps the throughput at its bandwidth. The
// links of a route carry a message at once (cut-through: the backbone forwards packets
// while the NIC still sends), so the message has arrived when its slowest link is done:
// delay = latency + max over its links of (wait for the link + bytes / bandwidth). On idle
// links that is latency + bytes / bottleneck bandwidth, as before links were shared.
// Cost: O(1) per link per message, computed when the message leaves (no timer, no SimGrid
// comm: docs/architecture.md#network says why, and what FIFO means against processor
// sharing). Each link is a resource (kind link, unit B/s).
// Partitions and degraded links are applied here, because SimGrid can only turn whole links
// off, which cannot cut two groups apart while both still reach the rest.
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "core/callback.hpp"
#include "core/rng.hpp"
#include "engine/platform.hpp"
#include "engine/ps_links.hpp"
#include "engine/resources.hpp"
#include "engine/scheduler.hpp"

namespace mailsim::engine {

class Network {
 public:
  Network(const Platform& platform, Scheduler& sched, uint64_t seed);
  // Registers every link as a resource: "<node>.nic.up" / ".nic.down" (node set),
  // "clients.link.up" / ".down" and "backbone" (no node).
  void account(Resources& resources);

  // Delay for a message sent now (its bytes take their place on the route's links), or nullopt when it is lost at once: the sender is down,
  // a partition cuts the pair, or a degraded link drops it. The receiver's state is the
  // caller's to check on arrival (is_up), since a host may die while the message flies.
  // Under processor sharing (`network: {sharing: ps}`) its bytes take their share of the
  // links as any message's do, but the delay is fixed when it leaves, from the shares then
  // (the models' own protocol messages: health checks, VRRP, Raft, WAL); send() is exact.
  std::optional<double> transit(NodeId from, NodeId to, double bytes);
  // Sends a message that `arrive` receives when it is there; false when it is lost at once
  // (as transit). Under FIFO, arrive runs after transit's delay.
  bool send(NodeId from, NodeId to, double bytes, core::Callback arrive);
  // A reply retracing path[hops - 1] -> ... -> path[0]: every hop is checked now and its
  // links carry the bytes at once; it arrives after the summed latencies and the slowest link.
  bool send_back(const NodeId* path, int hops, double bytes, core::Callback arrive);
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
  // One direction of an access link, or the backbone: a FIFO at `bandwidth`.
  struct Link {
    double bandwidth;          // bytes per second
    double free_at = 0;        // when the last message offered to it has been sent
    std::deque<double> starts;  // start times still ahead of the clock: the queue
    ResourceMeter* meter = nullptr;
  };
  Link& up(NodeId n) { return links_[2 * static_cast<size_t>(n)]; }
  Link& down(NodeId n) { return links_[2 * static_cast<size_t>(n) + 1]; }
  // Offers `bytes` to the link now; returns when they have crossed it, from now.
  double send_on(Link& link, double bytes, double now);
  bool cut(NodeId from, NodeId to) const;
  // The hop's latency, or nullopt when it is lost at once (sender down, cut, loss draw).
  std::optional<double> reach(NodeId from, NodeId to);
  double fifo_transfer(NodeId from, NodeId to, double bytes);
  // The route's links (indices into links_) appended to route_.
  void add_route(NodeId from, NodeId to);
  const Platform& platform_;
  Scheduler& sched_;
  std::unique_ptr<PsLinks> ps_;  // under processor sharing; null under FIFO
  std::vector<uint32_t> route_;  // scratch: the links of the message being sent
  std::vector<Link> links_;  // up and down per host (clients last), then the backbone
  core::RngStream rng_;
  std::vector<double> extra_latency_;
  std::vector<double> loss_;
  std::vector<Cut> cuts_;
  int next_cut_id_ = 1;
};

}  // namespace mailsim::engine
