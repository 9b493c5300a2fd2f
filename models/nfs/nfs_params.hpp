#pragma once
// Params of an nfs component: an NFS server on each of its nodes (mode server), or the two
// heads of an external SAN appliance with its own HA (mode appliance), plus the client
// mount options every caller (mail node) inherits, and RuPost's Maildir instances.
#include <string>
#include <vector>

#include "config/params.hpp"
#include "models/common/names.hpp"
#include "models/disk/disk_logic.hpp"

namespace mailsim::models {

struct NfsParams {
  std::string mode;
  std::string mount;
  core::Duration timeo;
  int retrans = 0;
  core::Duration timeo_max;
  core::Duration grace_period;
  core::Duration grace_retry_min, grace_retry_max;
  core::Duration heartbeat_interval;
  core::Duration takeover_detection;
  core::Duration takeover_export;
  std::vector<std::string> instances;
  core::Duration replica_sync_interval;
  core::Duration backup_sync_interval;
  core::Duration switch_check_interval;
  core::Duration switch_check_timeout;
  int switch_check_fall = 0;
  std::string disk;
  core::Bytes rpc_bytes;
};

const config::ParamTable<NfsParams>& nfs_params();

// The Maildir operations a step names (disk_logic.hpp: what each costs on the server's disk).
const NameTable<MaildirOp>& nfs_ops();

// Roles a fault can target: the instance serving now, RuPost's master or hot replica
// instance, a serving instance that is not the active one.
enum class NfsRole { kActive, kMaster, kReplica, kStandby };
const NameTable<NfsRole>& nfs_roles();

}  // namespace mailsim::models
