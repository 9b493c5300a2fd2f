#pragma once
// The disk side of the operational laws (analysis/capacity_model): what one call of a step
// asks of the disks of the node that serves it, as the models' shells submit it
// (docs/architecture.md "Disks"), so a disk can be a predicted bottleneck.
#include <string>
#include <vector>

#include "config/topology.hpp"
#include "core/disk_op.hpp"

namespace mailsim::analysis {

struct DiskDemand {
  std::string disk;     // the disk's name on the node
  core::DiskFigures figures;
  double seconds = 0;   // device occupancy per call of the step served on this node
};

// The disk occupancy one call of `step` (a call of `comp`) costs on `node`, one serving
// instance: none for a model or op that does not touch a disk, or a node without disks where
// the model allows that. The multiplicity of the call on other nodes (a storage pair's
// second copy, a Raft group's followers, a Patroni replica) is in `copies`: the number of
// nodes of the component that pay the same cost per call (1 for a single instance).
std::vector<DiskDemand> step_disk_demand(const config::Topology& topo, const config::ComponentSpec& comp,
                                         const config::StepSpec& step, const std::string& node, double* copies);

}  // namespace mailsim::analysis
