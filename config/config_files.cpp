#include "config/config_files.hpp"

namespace mailsim::config {

std::string ConfigWarning::text() const { return core::located(mark, "warning: " + message); }

}  // namespace mailsim::config
