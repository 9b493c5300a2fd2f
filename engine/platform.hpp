#pragma once
// Topology -> SimGrid platform: one host per node (cores, speed), a split-duplex NIC link
// per node to a shared backbone (a star zone), and a "clients" host behind its own link
// standing for the users' side. Nodes are numbered in topology order; the clients host is
// number node_count().
#include <simgrid/s4u.hpp>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/topology.hpp"

namespace mailsim::engine {

using NodeId = int;

class Platform {
 public:
  explicit Platform(const config::Topology& topo);

  int node_count() const { return static_cast<int>(names_.size()) - 1; }
  NodeId clients() const { return node_count(); }
  NodeId id_of(const std::string& name) const;  // -1 when unknown
  std::vector<NodeId> ids_of(const std::vector<std::string>& names) const;  // a component's nodes
  const std::string& name_of(NodeId n) const { return names_[n]; }
  simgrid::s4u::Host* host(NodeId n) const { return hosts_[n]; }
  bool is_up(NodeId n) const { return hosts_[n]->is_on(); }
  double speed(NodeId n) const { return speeds_[n]; }
  const std::string& zone_of(NodeId n) const { return zones_[n]; }
  // How many times slower than its profile the node's disks are now (a `slow_disk` fault:
  // a failing drive retrying reads, a degraded RAID rebuilding); models with disks
  // (disk_logic.hpp users) scale their service times by it.
  double disk_slowdown(NodeId n) const { return disk_slowdown_[n]; }
  void set_disk_slowdown(NodeId n, double factor) { disk_slowdown_[n] = factor; }

  // One-way latency and bottleneck bandwidth of the route, read from SimGrid's routing
  // once per pair and cached.
  double latency(NodeId a, NodeId b) const;
  double bandwidth(NodeId a, NodeId b) const;

 private:
  std::vector<std::string> names_;
  std::vector<std::string> zones_;
  std::vector<simgrid::s4u::Host*> hosts_;
  std::vector<double> speeds_;
  std::vector<double> disk_slowdown_;  // per node, 1 unless a slow_disk fault is on
  struct Route {
    double latency;
    double bandwidth;
  };
  const Route& route(NodeId a, NodeId b) const;
  // Routes actually used, keyed by (a, b): a flow touches O(nodes) pairs, so a dense
  // (N+1)^2 matrix would waste memory at 1000+ nodes. Lookup only; never iterated.
  mutable std::unordered_map<uint64_t, Route> routes_;
};

}  // namespace mailsim::engine
