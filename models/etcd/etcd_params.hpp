#pragma once
// Params of an etcd component: one member per node, Raft among them (models/common).
#include "config/params.hpp"

namespace mailsim::models {

struct EtcdParams {
  core::Duration heartbeat_interval;
  core::Duration election_timeout;
  bool pre_vote = false;
  bool check_quorum = false;
  core::Duration lease_check_interval;
  core::Bytes request_bytes;
};

const config::ParamTable<EtcdParams>& etcd_params();

}  // namespace mailsim::models
