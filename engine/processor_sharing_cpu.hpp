#pragma once
// A Cpu without SimGrid, for unit tests of model shells: egalitarian processor sharing on
// each node, the rule SimGrid's CPU model applies to Execs on a multi-core host. With k jobs
// on a node of c cores, each job progresses at min(1, c / k) seconds of work per second, so
// a job alone takes exactly its `seconds`. Completion times are recomputed whenever a job
// starts or ends on the node. Jobs finishing at the same instant are reported in the order
// they started.
#include <vector>

#include "engine/cpu.hpp"
#include "engine/scheduler.hpp"

namespace mailsim::engine {

class ProcessorSharingCpu final : public Cpu {
 public:
  ProcessorSharingCpu(Scheduler& sched, const Platform& platform);
  ProcessorSharingCpu(const ProcessorSharingCpu&) = delete;
  ProcessorSharingCpu& operator=(const ProcessorSharingCpu&) = delete;

  void run(Request& r, NodeId n, double seconds, Component* owner) override;
  void power_off(NodeId n) override;
  void power_on(NodeId n) override;
  int running(NodeId n) const { return static_cast<int>(nodes_[static_cast<size_t>(n)].jobs.size()); }

 private:
  struct Job {
    Request* r;
    uint32_t gen;
    Component* owner;
    double remaining;  // seconds of work at full speed of one core
  };
  struct Node {
    std::vector<Job> jobs;
    double updated = 0;  // when `remaining` was last brought up to date
    bool powered = true;
    Timer next;          // the earliest completion
  };
  double rate(const Node& node, NodeId n) const;
  void advance(Node& node, NodeId n);
  void reschedule(NodeId n);
  void complete_due(NodeId n);
  void report(std::vector<Job> jobs, bool ok);

  Scheduler& sched_;
  const Platform& platform_;
  std::vector<Node> nodes_;
};

}  // namespace mailsim::engine
