#include "engine/simgrid_platform.hpp"

#include <simgrid/s4u.hpp>

namespace sg4 = simgrid::s4u;

namespace mailsim::engine {

SimGridPlatform::SimGridPlatform(const Platform& platform) {
  auto* zone = sg4::create_star_zone(platform.name());
  const Platform::Link& bb = platform.backbone();
  auto* backbone = zone->create_link(bb.name, bb.bandwidth)->set_latency(bb.latency)->seal();
  for (NodeId n = 0; n <= platform.node_count(); ++n) {
    const Platform::Host& h = platform.host(n);
    auto* host = zone->create_host(h.name, h.speed)->set_core_count(h.cores)->seal();
    auto* nic = zone->create_split_duplex_link(h.access.name, h.access.bandwidth)->set_latency(h.access.latency)->seal();
    zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr,
                    {sg4::LinkInRoute{nic, sg4::LinkInRoute::Direction::UP}, sg4::LinkInRoute{backbone}}, true);
    hosts_.push_back(host);
  }
  zone->seal();
}

}  // namespace mailsim::engine
