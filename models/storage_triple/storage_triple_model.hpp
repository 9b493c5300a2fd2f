#pragma once
#include "models/common/model_info.hpp"

namespace mailsim::models {

ModelInfo storage_triple_model();

}  // namespace mailsim::models
