#include "models/disk/node_disk.hpp"

#include "models/disk/disk_params.hpp"

namespace mailsim::models {

engine::Disk* node_disk(engine::Context& ctx, const config::Topology& topo, const std::string& node,
                        const std::string& disk) {
  const config::NodeSpec* ns = topo.find_node(node);
  if (ns == nullptr || ns->disks.empty()) return nullptr;
  const config::DiskSpec* d = &ns->disks.front();
  for (const auto& x : ns->disks)
    if (x.name == disk) d = &x;
  const DiskParams dp = parse_disk(*d, config::YamlReader(topo.file));
  return &ctx.disks.open(ctx.platform.id_of(node), node, d->name, disk_figures(dp));
}

}  // namespace mailsim::models
