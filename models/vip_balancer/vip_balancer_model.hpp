#pragma once
#include "models/common/model_info.hpp"

namespace mailsim::models {

ModelInfo vip_balancer_model();

}  // namespace mailsim::models
