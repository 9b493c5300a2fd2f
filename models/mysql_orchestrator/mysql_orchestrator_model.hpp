#pragma once
#include "models/common/model_info.hpp"

namespace mailsim::models {

ModelInfo mysql_orchestrator_model();

}  // namespace mailsim::models
