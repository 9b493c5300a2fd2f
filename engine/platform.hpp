#pragma once
// The cluster's hardware as plain state, without SimGrid: one entry per node (name, zone,
// cores, speed, up or down, disk slowdown) plus the "clients" host standing for the users,
// and the network: a star, each host behind its own access link (a node's NIC, the
// clients' link) to one shared backbone link (the switch fabric). Nodes are numbered in
// topology order; the clients host is number node_count(). SimGridPlatform
// (simgrid_platform.hpp) builds the same star in SimGrid for the SimGrid CPU.
#include <cstdint>
#include <string>
#include <vector>

#include "config/topology.hpp"

namespace mailsim::engine {

using NodeId = int;

class Platform {
 public:
  struct Link {
    std::string name;
    double latency;    // one way, seconds
    double bandwidth;  // bytes per second
  };
  struct Host {
    std::string name;
    std::string zone;  // failure domain; "" for the clients
    int cores;
    double speed;  // flops per second per core
    Link access;   // split duplex: the same figures both ways
  };

  explicit Platform(const config::Topology& topo);

  const std::string& name() const { return name_; }
  int node_count() const { return static_cast<int>(hosts_.size()) - 1; }
  NodeId clients() const { return node_count(); }
  NodeId id_of(const std::string& name) const;  // -1 when unknown
  std::vector<NodeId> ids_of(const std::vector<std::string>& names) const;  // a component's nodes
  const Host& host(NodeId n) const { return hosts_[static_cast<size_t>(n)]; }
  const Link& backbone() const { return backbone_; }
  const std::string& name_of(NodeId n) const { return host(n).name; }
  const std::string& zone_of(NodeId n) const { return host(n).zone; }
  int cores(NodeId n) const { return host(n).cores; }
  double speed(NodeId n) const { return host(n).speed; }

  // Whether the node is powered on. Only the fault injector changes it (it also tells the
  // CPU, which fails the work running there); the clients never fail.
  bool is_up(NodeId n) const { return up_[static_cast<size_t>(n)] != 0; }
  void set_up(NodeId n, bool up) { up_[static_cast<size_t>(n)] = up ? 1 : 0; }
  // How many times slower than its profile the node's disks are now (a `slow_disk` fault:
  // a failing drive retrying reads, a degraded RAID rebuilding); models with disks
  // (engine::Disk) scale their service times by it.
  double disk_slowdown(NodeId n) const { return disk_slowdown_[static_cast<size_t>(n)]; }
  void set_disk_slowdown(NodeId n, double factor) { disk_slowdown_[static_cast<size_t>(n)] = factor; }

  // One-way latency and bottleneck bandwidth of the route a -> b, as SimGrid's star zone
  // routes it: a's access link, the backbone, b's access link, latencies summed in that
  // order (platform_route_test checks both against Host::route_to bit for bit). A node to
  // itself: no link, latency 0, bandwidth infinite.
  double latency(NodeId a, NodeId b) const {
    if (a == b) return 0;
    return host(a).access.latency + backbone_.latency + host(b).access.latency;
  }
  double bandwidth(NodeId a, NodeId b) const;
  config::LinkSharing link_sharing() const { return sharing_; }

 private:
  std::string name_;
  config::LinkSharing sharing_;
  std::vector<Host> hosts_;
  Link backbone_;
  std::vector<char> up_;
  std::vector<double> disk_slowdown_;  // per node, 1 unless a slow_disk fault is on
};

}  // namespace mailsim::engine
