#pragma once
// The Platform built in SimGrid, for the SimGrid CPU (simgrid_cpu.hpp): one star zone, a
// host per node and for the clients (cores, speed), a split-duplex access link per host to
// a shared backbone link. Messages do not use these links (network.hpp); they are there so
// that SimGrid's routing agrees with Platform::latency / bandwidth (platform_route_test) and
// any SimGrid comm would see the topology's figures.
#include <simgrid/s4u/Host.hpp>

#include <vector>

#include "engine/platform.hpp"

namespace mailsim::engine {

class SimGridPlatform {
 public:
  // Needs a SimGrid engine; call once per engine (the zone becomes its root).
  explicit SimGridPlatform(const Platform& platform);
  simgrid::s4u::Host* host(NodeId n) const { return hosts_[static_cast<size_t>(n)]; }

 private:
  std::vector<simgrid::s4u::Host*> hosts_;
};

}  // namespace mailsim::engine
