#pragma once
// Params of a storage_triple component (VK WorkSpace's storage nodes).
#include <string>

#include "config/params.hpp"

namespace mailsim::models {

struct StorageTripleParams {
  core::Duration resync_time;
  int objects_per_pair = 0;
  std::string disk;
};

const config::ParamTable<StorageTripleParams>& storage_triple_params();

}  // namespace mailsim::models
