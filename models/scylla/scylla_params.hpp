#pragma once
// Params of a scylla component: leaderless replicas (every node holds every row: the
// replication factor is the node count), a consistency level per request, per-request
// timeouts and the gossip failure detector. Defaults are ScyllaDB's (scylla.yaml).
#include <string>

#include "config/params.hpp"
#include "models/common/names.hpp"

namespace mailsim::models {

struct ScyllaParams {
  std::string consistency;
  core::Duration read_request_timeout;
  core::Duration write_request_timeout;
  core::Duration gossip_interval;
  core::Duration driver_connect_timeout;
  double phi_convict_threshold = 0;
  core::Bytes gossip_bytes;
};

const config::ParamTable<ScyllaParams>& scylla_params();

enum class ScyllaOp { kRead, kWrite };
const NameTable<ScyllaOp>& scylla_ops();
enum class ScyllaRole { kAny };
const NameTable<ScyllaRole>& scylla_roles();

}  // namespace mailsim::models
