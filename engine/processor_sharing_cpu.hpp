#pragma once
// The CPU of a run (and of the test bed): exact egalitarian processor sharing on each node,
// the rule SimGrid's CPU model (Cas01, max-min over the host's constraint of cores x speed,
// each Exec bounded by one core's speed) applies to Execs on a multi-core host. With k jobs
// on a node of c cores, each job progresses at min(1, c / k) seconds of work per second, so
// a job alone takes exactly its `seconds`. tests/engine/cpu_equivalence_test.cpp checks the
// completion times against SimGridCpu's Execs on random job sets.
//
// How it stays cheap (docs/performance.md): all jobs of a node progress at the same rate, so
// each job gets a finish tag in the node's virtual work (the work every job has received
// since an epoch) and jobs end in tag order. A node keeps its jobs in a heap by (tag, start
// order) and one scheduler timer for the earliest completion, re-armed only when that
// completion moves earlier; a timer that fires early (the rate dropped) re-arms itself. A
// start or an end costs O(log k), whatever the number of jobs.
//
// Same instant: jobs due within 1e-9 s of a completion end with it, in tag then start order,
// as SimGrid ends every action whose date is within its surf/precision (1e-9 s) of the clock.
//
// Accounting (account()): each node's meter sees min(k, cores) cores busy and max(0, k - cores)
// jobs waiting (the jobs beyond one per core, the queue of the equivalent M/M/c: with one
// core, processor sharing has the same number in the system as FIFO), and a job served when
// it starts.
//
// Power: a node powered off fails its jobs, reported just after the call at the same time
// (as SimGrid reports the Execs of a host turned off); a job started while it is off fails
// the same way.
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/cpu.hpp"
#include "engine/resources.hpp"
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
  void account(Resources& resources) override;
  int running(NodeId n) const { return static_cast<int>(nodes_[static_cast<size_t>(n)].jobs.size()); }

 private:
  struct Job {
    double tag;    // the node's virtual work at which the job has had all its seconds
    uint64_t seq;  // start order, for ties
    Request* r;
    uint32_t gen;
    Component* owner;
  };
  struct Node {
    std::vector<Job> jobs;  // a heap: the earliest (tag, seq) at the front
    double cores = 1;
    double work = 0;     // virtual work at `updated`
    double updated = 0;  // simulated time
    bool powered = true;
    double armed_at = std::numeric_limits<double>::infinity();  // the live timer's time
    uint64_t armed_gen = 0;                                     // the live timer's generation
    ResourceMeter* meter = nullptr;                             // null when not accounted
  };
  double rate(const Node& node) const;
  void advance(Node& node);
  double next_end(const Node& node) const;
  void arm(NodeId n);
  void fire(NodeId n, uint64_t gen);
  void report(const std::vector<Job>& jobs, bool ok);
  void measure(Node& node);

  Scheduler& sched_;
  const Platform& platform_;
  std::vector<Node> nodes_;
  uint64_t next_seq_ = 0;
  std::vector<Job> spare_;  // the buffer of the jobs a timer ends
};

}  // namespace mailsim::engine
