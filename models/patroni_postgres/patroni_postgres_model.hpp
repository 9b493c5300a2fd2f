#pragma once
#include "models/common/model_info.hpp"

namespace mailsim::models {

ModelInfo patroni_postgres_model();

}  // namespace mailsim::models
