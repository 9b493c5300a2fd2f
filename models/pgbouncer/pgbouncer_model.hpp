#pragma once
#include "models/common/model_info.hpp"

namespace mailsim::models {

ModelInfo pgbouncer_model();

}  // namespace mailsim::models
