#pragma once
// Params of an nfs component: an NFS server on each of its nodes (mode server), or the two
// heads of an external SAN appliance with its own HA (mode appliance), plus the client
// mount options every caller (mail node) inherits, and RuPost's Maildir instances.
#include <string>
#include <vector>

#include "config/params.hpp"

namespace mailsim::models {

struct NfsParams {
  std::string mode;
  std::string mount;
  core::Duration timeo;
  int retrans = 0;
  core::Duration timeo_max;
  core::Duration grace_period;
  core::Duration grace_retry_min, grace_retry_max;
  core::Duration takeover_time;
  std::vector<std::string> instances;
  core::Duration replication_lag;
  core::Duration switch_check_interval;
  int switch_check_fall = 0;
  std::string disk;
  core::Bytes rpc_bytes;
};

const config::ParamTable<NfsParams>& nfs_params();

}  // namespace mailsim::models
