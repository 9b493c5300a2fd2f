#pragma once
#include "models/common/model_info.hpp"

namespace mailsim::models {

ModelInfo cockroachdb_model();

}  // namespace mailsim::models
