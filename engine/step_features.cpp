#include "engine/step_features.hpp"

namespace mailsim::engine {

void check_step_options(const config::Topology& topo, const std::function<StepRoles(const config::ComponentSpec&)>& roles) {
  auto role_of = [&](const std::string& component) {
    const config::ComponentSpec* c = topo.find_component(component);
    return c != nullptr ? roles(*c) : StepRoles{};
  };
  CacheSkip::check(topo, [&](const std::string& c) { return role_of(c).cache; });
  HeldWorkers::check(topo, [&](const std::string& c) { return role_of(c).worker_pool; });
}

}  // namespace mailsim::engine
