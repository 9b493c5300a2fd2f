#pragma once
#include "models/common/model_info.hpp"

namespace mailsim::models {

ModelInfo scylla_model();

}  // namespace mailsim::models
