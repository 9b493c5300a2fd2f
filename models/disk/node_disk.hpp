#pragma once
// The disk a component uses on one of its nodes: engine::Disks shares one metered disk per
// node and disk name among the components there (engine/disk.hpp).
#include <string>

#include "config/topology.hpp"
#include "engine/context.hpp"

namespace mailsim::models {

// The disk named `disk` on `node` (the node's first disk when `disk` is empty); nullptr when
// the node declares no disks: its components' operations then take no disk time.
engine::Disk* node_disk(engine::Context& ctx, const config::Topology& topo, const std::string& node,
                        const std::string& disk);

}  // namespace mailsim::models
