#pragma once
// Params of an etcd component: one member per node, Raft among them (models/common).
#include "config/params.hpp"
#include "models/common/names.hpp"
#include "models/common/raft_logic.hpp"

namespace mailsim::models {

struct EtcdParams {
  core::Duration heartbeat_interval;
  core::Duration election_timeout;
  double election_timeout_spread = 0;
  bool pre_vote = false;
  bool check_quorum = false;
  core::Duration lease_check_interval;
  core::Bytes request_bytes;
};

const config::ParamTable<EtcdParams>& etcd_params();

// Roles a fault can target. etcd serves no step: it is not on the request path.
enum class EtcdRole { kLeader, kFollower };
const NameTable<EtcdRole>& etcd_roles();

// Member `id` of `peers` (the Raft config from the params).
raft::RaftConfig etcd_raft_config(const EtcdParams& p, int id, int peers);

}  // namespace mailsim::models
