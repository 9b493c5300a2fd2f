#pragma once
// Params of a replicated_service component. Every default is an assumption: the article
// names these services (Tarantool, MySQL, Scylla, the deployer) but not their settings.
#include <string>

#include "config/params.hpp"
#include "models/common/names.hpp"

namespace mailsim::models {

struct ReplicatedServiceParams {
  std::string mode;
  core::Duration detection_delay;
  core::Duration promotion_delay;
  int quorum = 0;
};

const config::ParamTable<ReplicatedServiceParams>& replicated_service_params();

// The ops a step may name. The generic model serves them alike (the step's CPU demand on
// the serving instance); the names say what the call is in the topology.
enum class ReplicatedServiceOp { kRead, kWrite, kQuery };
const NameTable<ReplicatedServiceOp>& replicated_service_ops();
// Roles a fault can target: the active instance (active_passive), the first live one.
enum class ReplicatedServiceRole { kActive, kAny };
const NameTable<ReplicatedServiceRole>& replicated_service_roles();

}  // namespace mailsim::models
