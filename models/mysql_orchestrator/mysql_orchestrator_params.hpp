#pragma once
// Params of a mysql_orchestrator component: MySQL instances (one writable primary, the
// others replicas) and the Orchestrator that watches and recovers them. Defaults are
// Orchestrator's own (go/config/config.go) unless the source says otherwise.
#include <string>

#include "config/params.hpp"
#include "models/common/names.hpp"

namespace mailsim::models {

struct MysqlOrchestratorParams {
  std::string orchestrator_node;
  core::Duration instance_poll;
  core::Duration connect_timeout;
  core::Duration topology_read_timeout;
  core::Duration hook_time;
  core::Duration recovery_block;
  core::Bytes probe_bytes;
  core::Bytes binlog_window;
  core::Duration connect_retry;
};

const config::ParamTable<MysqlOrchestratorParams>& mysql_orchestrator_params();

enum class MysqlOp { kRead, kWrite, kQuery };
const NameTable<MysqlOp>& mysql_ops();
// Roles a fault can target: the writable primary, the first replica.
enum class MysqlRole { kPrimary, kReplica };
const NameTable<MysqlRole>& mysql_roles();

}  // namespace mailsim::models
