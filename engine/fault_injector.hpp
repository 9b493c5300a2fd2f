#pragma once
// Applies a scenario's faults at their times (DESIGN.md decision 5: faults live here, never
// inside models). Targets given by role are resolved when the fault fires; a role nobody
// holds then is logged as fault.skipped.
#include <map>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"

namespace mailsim::engine {

class FaultInjector {
 public:
  FaultInjector(Context& ctx, const config::Scenario& scenario, std::vector<Component*> components);
  void start();

  // Also used directly by tests.
  void crash_node(NodeId n, const std::string& why);
  void restart_node(NodeId n);

 private:
  void fire(const config::FaultSpec& f);
  NodeId resolve_node(const config::FaultTarget& t, const config::FaultSpec& f);
  Component* find(const std::string& name) const;

  Context& ctx_;
  const config::Scenario& scenario_;
  std::vector<Component*> components_;
};

}  // namespace mailsim::engine
