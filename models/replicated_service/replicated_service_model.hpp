#pragma once
#include "models/common/model_info.hpp"

namespace mailsim::models {

ModelInfo replicated_service_model();

}  // namespace mailsim::models
