#pragma once
#include "models/common/model_info.hpp"

namespace mailsim::models {

ModelInfo etcd_model();

}  // namespace mailsim::models
