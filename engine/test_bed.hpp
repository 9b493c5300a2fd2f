#pragma once
// A run's world without SimGrid, for unit tests of model shells: the same Simulation a run
// builds (services, components, load, faults), on a ManualScheduler and a
// ProcessorSharingCpu. The test moves time itself (run_until) and may crash nodes, send
// requests and read the event log between steps. Several test beds may live in one process.
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/manual_scheduler.hpp"
#include "engine/processor_sharing_cpu.hpp"
#include "engine/simulation.hpp"

namespace mailsim::engine {

class TestBed {
 public:
  // Keeps its own copies of the inputs: the world points into them.
  TestBed(config::Topology topo, config::Scenario scen, const ComponentFactory& factory, uint64_t seed);

  // Time 0: components boot, the scenario's load and faults are scheduled.
  void start() { sim_.start(); }
  void run_until(double t) { sched_.run_until(t); }

  const config::Topology& topology() const { return topo_; }
  ManualScheduler& sched() { return sched_; }
  Platform& platform() { return platform_; }
  ProcessorSharingCpu& cpu() { return cpu_; }
  Simulation& sim() { return sim_; }
  Context& ctx() { return sim_.context(); }
  NodeId node(const std::string& name) const;  // asserts the node exists
  template <class C>
  C& component(const std::string& name) {
    auto* c = dynamic_cast<C*>(sim_.component(name));
    MAILSIM_ASSERT(c != nullptr, "test bed: no component '" + name + "' of that model");
    return *c;
  }

  // Faults, as the fault injector applies them.
  void crash(const std::string& name) { sim_.faults().crash_node(node(name), "test"); }
  void restart(const std::string& name) { sim_.faults().restart_node(node(name)); }

  // A request of `service` arriving from the clients now; `on_end` gets its outcome and the
  // time it ended (an answer's arrival at the client, or the moment it was lost).
  void send(const std::string& service, std::function<void(Outcome, double)> on_end);

  // The events of `kind` so far, in time order.
  std::vector<Event> events(EventKind kind) const;

 private:
  const config::Topology topo_;
  const config::Scenario scen_;
  Platform platform_;
  ManualScheduler sched_;
  ProcessorSharingCpu cpu_;
  Simulation sim_;
  // Outcome callbacks of requests sent with send(), by (service, arrival sequence number).
  std::map<std::pair<int, uint64_t>, std::function<void(Outcome, double)>> waiting_;
};

}  // namespace mailsim::engine
