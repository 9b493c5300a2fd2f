#pragma once
// SimGrid's own CPU model, the reference ProcessorSharingCpu (which runs use) is checked
// against in tests/engine/cpu_equivalence_test.cpp. Each job is a SimGrid Exec that no
// actor waits on (Exec::init, flops = seconds x the host's speed, start). SimGrid's CPU model shares a host's cores among its
// Execs; its end arrives through Activity::on_completion_cb, connected once per process
// (one simulation per process, DESIGN.md decision 1). Turning a host off fails its Execs.
#include <simgrid/s4u/Exec.hpp>

#include <deque>
#include <vector>

#include "engine/cpu.hpp"
#include "engine/simgrid_platform.hpp"

namespace mailsim::engine {

class SimGridCpu final : public Cpu {
 public:
  SimGridCpu(const Platform& platform, const SimGridPlatform& hosts);
  SimGridCpu(const SimGridCpu&) = delete;
  SimGridCpu& operator=(const SimGridCpu&) = delete;

  void run(Request& r, NodeId n, double seconds, Component* owner) override;
  void power_off(NodeId n) override;
  void power_on(NodeId n) override;

  struct Job {
    SimGridCpu* cpu = nullptr;
    Request* r = nullptr;
    uint32_t gen = 0;
    Component* owner = nullptr;  // null once the end was reported
    // Kept until the slot is reused, after the completion callback returned: SimGrid must
    // not free the Exec while it reports its end.
    simgrid::s4u::ExecPtr exec;
  };
  void ended(Job& job, bool ok);

 private:
  const Platform& platform_;
  const SimGridPlatform& hosts_;
  std::deque<Job> jobs_;  // stable addresses: an Exec's data points at its Job
  std::vector<Job*> free_;
};

}  // namespace mailsim::engine
