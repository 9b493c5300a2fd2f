#pragma once
// One request-level simulation: topology + scenario + seed -> what happened (the services'
// metrics, the event timeline, the components' resolved params). The app layer
// (app/run_result.hpp) turns that record into the run-result document. One call per
// process: SimGrid's engine is process-global (DESIGN.md decision 1).
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "config/scenario.hpp"
#include "config/topology.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"
#include "engine/event_log.hpp"

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

struct RunRecord {
  double end_s = 0;          // when the simulation stopped (load end + drain)
  nlohmann::json engine;     // the manifest's `engine`: simgrid version, network model, end_s
  nlohmann::json services;   // service -> its metrics (ServiceMetrics, messages, delivery, sessions)
  nlohmann::json params;     // component -> every param as resolved
  EventLog events;
  RunStats stats;
};

RunRecord run_simulation(const config::Topology& topo, const config::Scenario& scen, const ComponentFactory& factory,
                         const RunOptions& opts);

}  // namespace mailsim::engine
