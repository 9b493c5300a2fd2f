#pragma once
// Params of a node's disk (topology `nodes[].disks[]`): a profile (hdd, sata_ssd, nvme) whose
// table holds the defaults, each from a vendor datasheet, and per-disk overrides. A
// component on the node reaches the disk through engine::Disks (models/disk/node_disk.hpp),
// which meters it as a resource; the models turn their operations into disk operations
// (disk_logic.hpp).
#include <string>

#include "config/params.hpp"
#include "config/topology.hpp"
#include "core/disk_op.hpp"

namespace mailsim::models {

struct DiskParams {
  std::string name;
  std::string profile;
  core::Rate read_iops;   // random 4 KiB reads per second
  core::Rate write_iops;  // random 4 KiB writes per second
  core::Bandwidth read_bandwidth;
  core::Bandwidth write_bandwidth;
  core::Duration read_latency;   // per read operation on an idle device (seek / flash read)
  core::Duration write_latency;  // per write operation on an idle device
  core::Duration fsync_latency;  // a cache flush that makes written data durable
};

// One table per profile: same fields, the profile's defaults and sources.
const config::ParamTable<DiskParams>& disk_params(const std::string& profile);
const std::vector<std::string>& disk_profiles();
// Parses one disk entry (its `profile` first, then the rest against that profile's table).
DiskParams parse_disk(const config::DiskSpec& d, const config::YamlReader& r);
// Every node's disks parse against their profile's table and make sense (file:line:col).
void validate_disks(const config::Topology& topo);
// The figures the engine's disk runs with.
core::DiskFigures disk_figures(const DiskParams& p);

}  // namespace mailsim::models
