#pragma once
// CPU work of requests on nodes. A component asks for `seconds` of CPU at the node's own
// speed (Flow::run_cpu); the CPU decides how concurrent jobs share the node's cores and
// tells the owner when the job ends: owner->on_cpu_done(r, ok), ok = false when the node
// lost power first. Two implementations:
//  - ProcessorSharingCpu (processor_sharing_cpu.hpp): SimGrid's sharing rule computed
//    exactly on any Scheduler's timers; used by runs and by the test bed;
//  - SimGridCpu (simgrid_cpu.hpp): an actor-less SimGrid Exec per job, the reference
//    ProcessorSharingCpu is checked against (tests/engine/cpu_equivalence_test.cpp).
// A job whose request was recycled meanwhile (its generation changed) ends silently.
#include "engine/platform.hpp"

namespace mailsim::engine {

class Component;
class Resources;
struct Request;

class Cpu {
 public:
  virtual ~Cpu() = default;
  // Starts `seconds` (> 0) of work for r on node n, owned by `owner`.
  virtual void run(Request& r, NodeId n, double seconds, Component* owner) = 0;
  // Node n lost power: every job running there fails. The owners learn it after this call
  // returns, at the same simulated time (SimGrid reports failed Execs after the callback
  // that turned the host off), so components see on_node_down first.
  virtual void power_off(NodeId n) = 0;
  virtual void power_on(NodeId n) = 0;
  // Registers a meter per node's cores (kind cpu) and keeps it up to date; a CPU that does
  // not account (the SimGrid reference) registers none.
  virtual void account(Resources& resources) { (void)resources; }
};

}  // namespace mailsim::engine
