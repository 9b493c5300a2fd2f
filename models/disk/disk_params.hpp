#pragma once
// Params of a node's disk (topology `nodes[].disks[]`): a profile (ssd, hdd, nvme) whose
// table holds the defaults, and per-disk overrides. Storage models (nfs, storage_triple)
// turn Maildir operations into disk time with them (disk_logic.hpp).
#include <string>

#include "config/params.hpp"
#include "config/topology.hpp"

namespace mailsim::models {

struct DiskParams {
  std::string name;
  std::string profile;
  core::Bandwidth read_bandwidth;
  core::Bandwidth write_bandwidth;
  core::Duration read_latency;   // per read operation (seek / flash read)
  core::Duration write_latency;  // per metadata or data write reaching the device
  core::Duration fsync_latency;  // a cache flush that makes a write durable
  int queue_depth = 1;           // operations the device serves at once
};

// One table per profile: same fields, the profile's defaults and sources.
const config::ParamTable<DiskParams>& disk_params(const std::string& profile);
const std::vector<std::string>& disk_profiles();
// Parses one disk entry (its `profile` first, then the rest against that profile's table).
DiskParams parse_disk(const config::DiskSpec& d, const config::YamlReader& r);
// Every node's disks parse against their profile's table and make sense (file:line:col).
void validate_disks(const config::Topology& topo);

}  // namespace mailsim::models
