#pragma once
// One run's world, wired on a given scheduler, platform and CPU: the network, the event log,
// the request flow with the topology's services, the components (from the app's factory),
// the load generator and the fault injector. The SimGrid run (run.cpp) and the SimGrid-free
// test bed (test_bed.hpp) both build it, so a unit test exercises the same wiring as a run.
// It does not advance time: its owner's scheduler does.
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "config/scenario.hpp"
#include "config/topology.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"
#include "engine/fault_injector.hpp"
#include "engine/flow.hpp"
#include "engine/load_generator.hpp"
#include "engine/overload_detector.hpp"
#include "engine/step_features.hpp"

namespace mailsim::engine {

using ComponentFactory = std::function<std::unique_ptr<Component>(const config::ComponentSpec&, Context&)>;

struct RunStats {
  double wall_seconds = 0;
  uint64_t requests = 0;
};

// What happened in one run; the app layer (app/run_result.hpp) turns it into the
// run-result document.
struct RunRecord {
  double end_s = 0;          // when the simulation stopped (load end + drain)
  nlohmann::json engine;     // the manifest's `engine`: simgrid version, network model, end_s
  nlohmann::json services;   // service -> its metrics (ServiceMetrics, messages, delivery, sessions)
  nlohmann::json params;     // component -> every param as resolved
  nlohmann::json resources;  // {resources: [...], bottleneck} (resources.hpp)
  EventLog events;
  RunStats stats;
  std::string stopped_early;  // why a bounded run stopped before its end; "" = it ran to the end
  std::optional<Overload> overloaded;  // the run was ended because it could not keep up
  nlohmann::json durability;  // the durability ledger per store (empty: no store reports to it)
};

class Simulation {
 public:
  Simulation(const config::Topology& topo, const config::Scenario& scen, const ComponentFactory& factory,
             uint64_t seed, Scheduler& sched, Platform& platform, Cpu& cpu);
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Time 0: every component boots, then the load's and the faults' first timers are set.
  void start();

  Context& context() { return ctx_; }
  Flow& flow() { return flow_; }
  StepFeatures& features() { return features_; }
  EventLog& events() { return events_; }
  const EventLog& events() const { return events_; }
  FaultInjector& faults() { return *faults_; }
  const std::vector<Component*>& components() const { return comps_; }
  Component* component(const std::string& name) const;

  // The longest client timeout of any service: the run goes on this long after the load.
  double longest_timeout() const { return max_timeout_; }
  // How long after the load (plus timeout) MTA retries and delivery queues may keep the run
  // going until every deferred message is accepted or bounced.
  double drain_limit() const { return max_lifetime_; }
  // Messages deferred and waiting for their next attempt (MTA clients, delivery queues),
  // and the latest time one is due: the run goes on until they are resolved.
  int64_t pending() const;
  double latest_due() const;
  // Client requests answered or timed out so far, all services.
  uint64_t requests() const;
  // Per service, in order: what the overload detector reads at `now`, and a detector for
  // this run's services sampling every metrics window.
  std::vector<ServiceProgress> progress(double now) const;
  OverloadDetector overload_detector() const;

  // Ends the run at end_s: the services' metrics (flushed), the components' resolved
  // params, the event log (moved out) and the request count; `engine` and the wall time are
  // the caller's to fill.
  RunRecord finish(double end_s);

 private:
  void add_services(const config::Topology& topo, const config::Scenario& scen, uint64_t seed);

  const config::Scenario bound_;  // the scenario's faults made concrete for the topology
  Network net_;
  EventLog events_;
  Flow flow_;
  DurabilityLedger ledger_;  // before features_: the mail queues report to it
  StepFeatures features_;
  Resources resources_;
  Disks disks_;  // after resources_: each disk's meter is one of them
  Context ctx_;
  std::vector<std::unique_ptr<Component>> owned_;
  std::vector<Component*> comps_;
  double max_timeout_ = 0;
  double max_lifetime_ = 0;
  // Built once the services and components exist.
  std::unique_ptr<LoadGenerator> load_;
  std::unique_ptr<FaultInjector> faults_;
};

}  // namespace mailsim::engine
