#pragma once
#include "models/common/model_info.hpp"

namespace mailsim::models {

ModelInfo mail_node_model();

}  // namespace mailsim::models
