#pragma once
#include "models/common/model_info.hpp"

namespace mailsim::models {

ModelInfo tarantool_model();

}  // namespace mailsim::models
