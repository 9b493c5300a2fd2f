#include "engine/platform.hpp"

#include <algorithm>
#include <limits>

namespace mailsim::engine {

Platform::Platform(const config::Topology& topo)
    : name_(topo.name),
      sharing_(topo.network.sharing),
      backbone_{"backbone", topo.network.backbone_latency.seconds, topo.network.backbone_bandwidth.bytes_per_s} {
  const auto& net = topo.network;
  for (const auto& n : topo.nodes)
    hosts_.push_back({n.name, n.zone, n.cores, n.speed.flops,
                      {n.name + ".nic", net.nic_latency.seconds, n.nic.value_or(net.nic_bandwidth).bytes_per_s}});
  // Clients: many users behind one access link; they never fail in this model.
  hosts_.push_back({"clients", "", 1024, 1e12, {"clients.nic", net.client_latency.seconds, net.client_bandwidth.bytes_per_s}});
  up_.assign(hosts_.size(), 1);
  disk_slowdown_.assign(hosts_.size(), 1.0);
}

NodeId Platform::id_of(const std::string& name) const {
  auto it = std::find_if(hosts_.begin(), hosts_.end(), [&name](const Host& h) { return h.name == name; });
  return it == hosts_.end() ? -1 : static_cast<NodeId>(it - hosts_.begin());
}

std::vector<NodeId> Platform::ids_of(const std::vector<std::string>& names) const {
  std::vector<NodeId> ids;
  for (const auto& n : names) ids.push_back(id_of(n));
  return ids;
}

double Platform::bandwidth(NodeId a, NodeId b) const {
  if (a == b) return std::numeric_limits<double>::infinity();
  return std::min({host(a).access.bandwidth, backbone_.bandwidth, host(b).access.bandwidth});
}

}  // namespace mailsim::engine
