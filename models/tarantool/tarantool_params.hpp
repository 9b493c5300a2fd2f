#pragma once
// Params of a tarantool component: Tarantool instances of one replica set (the first node
// starts as the leader) under Tarantool Cartridge's stateful failover, with an etcd
// component as the external state provider and a failover coordinator on its own node.
// Defaults are Cartridge's and its membership module's unless the source says otherwise.
#include <string>

#include "config/params.hpp"
#include "models/common/names.hpp"

namespace mailsim::models {

struct TarantoolParams {
  std::string state_provider;
  std::string coordinator_node;
  core::Duration protocol_period;
  core::Duration ack_timeout;
  core::Duration failover_timeout;
  core::Duration immunity_timeout;
  core::Duration call_timeout;
  core::Duration reconnect_period;
  core::Duration lock_delay;
  core::Duration longpoll_timeout;
  core::Duration longpoll_reconnect;
  bool fencing_enabled = false;
  core::Duration fencing_timeout;
  core::Duration fencing_pause;
  core::Bytes probe_bytes;
};

const config::ParamTable<TarantoolParams>& tarantool_params();

enum class TarantoolOp { kRead, kWrite, kQuery };
const NameTable<TarantoolOp>& tarantool_ops();
// Roles a fault can target: the leader the routers send to, the first other live instance.
enum class TarantoolRole { kLeader, kReplica };
const NameTable<TarantoolRole>& tarantool_roles();

}  // namespace mailsim::models
