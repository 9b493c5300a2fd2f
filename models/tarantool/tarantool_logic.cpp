#include "models/tarantool/tarantool_logic.hpp"

namespace mailsim::models {

const char* swim_status_name(SwimStatus s) {
  switch (s) {
    case SwimStatus::kAlive:
      return "alive";
    case SwimStatus::kSuspect:
      return "suspect";
    case SwimStatus::kDead:
      return "dead";
  }
  return "?";
}

std::optional<int> make_decision(const Decision& current, const std::vector<SwimStatus>& members,
                                 double now) {
  if (current.leader < 0) return members.empty() ? std::nullopt : std::optional<int>(0);
  if (now < current.immunity || healthy(members[static_cast<size_t>(current.leader)])) return std::nullopt;
  for (size_t i = 0; i < members.size(); ++i)
    if (healthy(members[i])) return static_cast<int>(i);
  return std::nullopt;
}

}  // namespace mailsim::models
