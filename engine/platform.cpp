#include "engine/platform.hpp"

#include <algorithm>
#include <limits>

namespace sg4 = simgrid::s4u;

namespace mailsim::engine {

Platform::Platform(const config::Topology& topo) {
  const auto& net = topo.network;
  auto* zone = sg4::create_star_zone(topo.name);
  // The backbone is one shared link all routes cross: the switch fabric.
  auto* backbone = zone->create_link("backbone", net.backbone_bandwidth.bytes_per_s)
                       ->set_latency(net.backbone_latency.seconds)
                       ->seal();
  auto add = [&](const std::string& name, int cores, double speed, double lat, double bw) {
    auto* h = zone->create_host(name, speed)->set_core_count(cores)->seal();
    auto* nic = zone->create_split_duplex_link(name + ".nic", bw)->set_latency(lat)->seal();
    zone->add_route(h->get_netpoint(), nullptr, nullptr, nullptr,
                    {sg4::LinkInRoute{nic, sg4::LinkInRoute::Direction::UP}, sg4::LinkInRoute{backbone}}, true);
    names_.push_back(name);
    hosts_.push_back(h);
    speeds_.push_back(speed);
    disk_slowdown_.push_back(1.0);
  };
  for (const auto& n : topo.nodes) {
    add(n.name, n.cores, n.speed.flops, net.nic_latency.seconds, net.nic_bandwidth.bytes_per_s);
    zones_.push_back(n.zone);
  }
  // Clients: many users behind one access link; they never fail in this model.
  add("clients", 1024, 1e12, net.client_latency.seconds, net.client_bandwidth.bytes_per_s);
  zones_.push_back("");
  zone->seal();
}

NodeId Platform::id_of(const std::string& name) const {
  auto it = std::find(names_.begin(), names_.end(), name);
  return it == names_.end() ? -1 : static_cast<NodeId>(it - names_.begin());
}

std::vector<NodeId> Platform::ids_of(const std::vector<std::string>& names) const {
  std::vector<NodeId> ids;
  for (const auto& n : names) ids.push_back(id_of(n));
  return ids;
}

const Platform::Route& Platform::route(NodeId a, NodeId b) const {
  uint64_t key = (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
  auto it = routes_.find(key);
  if (it != routes_.end()) return it->second;
  Route r{0, std::numeric_limits<double>::infinity()};
  if (a != b) {
    std::vector<sg4::Link*> links;
    hosts_[a]->route_to(hosts_[b], links, &r.latency);
    for (auto* l : links) r.bandwidth = std::min(r.bandwidth, l->get_bandwidth());
  }
  return routes_.emplace(key, r).first->second;
}

double Platform::latency(NodeId a, NodeId b) const { return route(a, b).latency; }

double Platform::bandwidth(NodeId a, NodeId b) const { return route(a, b).bandwidth; }

}  // namespace mailsim::engine
