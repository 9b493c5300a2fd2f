#pragma once
// One request-level simulation: topology + scenario + seed -> the run result (a JSON
// document, schema "mailsim.run/1", docs/formats.md). One call per process: SimGrid's
// engine is process-global (DESIGN.md decision 1).
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/config/scenario.hpp"
#include "sim/config/topology.hpp"
#include "sim/engine/component.hpp"
#include "sim/engine/context.hpp"

namespace mailsim::engine {

using ComponentFactory = std::function<std::unique_ptr<Component>(const config::ComponentSpec&, Context&)>;

struct RunOptions {
  uint64_t seed = 1;
  // Called after the components exist and before time starts; tests use it to schedule
  // their own probes (e.g. reading who holds a VIP at a given time).
  std::function<void(Context&, const std::vector<Component*>&)> before_start;
};

struct RunStats {
  double wall_seconds = 0;
  uint64_t requests = 0;
};

nlohmann::json run_simulation(const config::Topology& topo, const config::Scenario& scen,
                              const ComponentFactory& factory, const RunOptions& opts, RunStats* stats = nullptr);

}  // namespace mailsim::engine
