#pragma once
#include "models/common/model_info.hpp"

namespace mailsim::models {

ModelInfo nfs_model();

}  // namespace mailsim::models
