#pragma once
// Params of a replicated_service component. Every default is an assumption: the article
// names these services (Tarantool, MySQL, Scylla, the deployer) but not their settings.
#include <string>

#include "config/params.hpp"

namespace mailsim::models {

struct ReplicatedServiceParams {
  std::string mode;
  core::Duration detection_delay;
  core::Duration promotion_delay;
  int quorum = 0;
};

const config::ParamTable<ReplicatedServiceParams>& replicated_service_params();

}  // namespace mailsim::models
