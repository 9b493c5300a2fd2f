#pragma once
// Params of a storage_triple component (VK WorkSpace's storage nodes).
#include <string>

#include "config/params.hpp"
#include "models/common/names.hpp"

namespace mailsim::models {

struct StorageTripleParams {
  core::Duration rpc_timeout;
  core::Duration probe_interval;
  int objects_per_pair = 0;
  std::string disk;
};

const config::ParamTable<StorageTripleParams>& storage_triple_params();
// Steps name write or read (data_ops()); a fault targets any_role().

}  // namespace mailsim::models
