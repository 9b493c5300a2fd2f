#pragma once
#include "models/common/model_info.hpp"

namespace mailsim::models {

ModelInfo memcached_model();

}  // namespace mailsim::models
