#pragma once
// One request-level simulation on SimGrid: topology + scenario + seed -> what happened (the
// services' metrics, the event timeline, the components' resolved params). The app layer
// (app/run_result.hpp) turns that record into the run-result document. One call per
// process: SimGrid's engine is process-global (DESIGN.md decision 1).
#include <functional>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "config/topology.hpp"
#include "engine/simulation.hpp"

namespace mailsim::engine {

struct RunOptions {
  uint64_t seed = 1;
  // Called after the components exist and before time starts; tests use it to schedule
  // their own probes (e.g. reading who holds a VIP at a given time).
  std::function<void(Context&, const std::vector<Component*>&)> before_start;
  // Bounds (mailsim run --max-requests, --time-limit; 0 = none): the run stops cleanly after
  // the first slice of simulated time (a thousandth of the scenario) that passed one, and its
  // record says why (RunRecord::stopped_early). Only a bounded run is advanced in slices.
  uint64_t max_requests = 0;
  double wall_limit_s = 0;
  // End the run at the first metrics window where it is found overloaded (the clients'
  // backlog or failures, overload_detector.hpp); RunRecord::overloaded says when and why.
  // For fault-free load: a fault's outage can look the same to a client.
  bool stop_overloaded = false;
};

RunRecord run_simulation(const config::Topology& topo, const config::Scenario& scen, const ComponentFactory& factory,
                         const RunOptions& opts);

}  // namespace mailsim::engine
