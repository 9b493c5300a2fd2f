#include "engine/processor_sharing_cpu.hpp"

#include <algorithm>

#include "engine/component.hpp"

namespace mailsim::engine {

namespace {
// Jobs within this much work of the earliest one end with it: remaining work is updated by
// subtraction, so jobs due at the same instant differ by rounding residues.
constexpr double kSameInstant = 1e-12;

template <class Jobs>
double least_work(const Jobs& jobs) {
  double least = jobs.front().remaining;
  for (const auto& j : jobs) least = std::min(least, j.remaining);
  return std::max(least, 0.0);
}
}  // namespace

ProcessorSharingCpu::ProcessorSharingCpu(Scheduler& sched, const Platform& platform)
    : sched_(sched), platform_(platform), nodes_(static_cast<size_t>(platform.node_count()) + 1) {}

double ProcessorSharingCpu::rate(const Node& node, NodeId n) const {
  const double k = static_cast<double>(node.jobs.size());
  return std::min(1.0, static_cast<double>(platform_.cores(n)) / k);
}

void ProcessorSharingCpu::advance(Node& node, NodeId n) {
  const double now = sched_.now();
  if (!node.jobs.empty()) {
    const double done = (now - node.updated) * rate(node, n);
    for (auto& j : node.jobs) j.remaining -= done;
  }
  node.updated = now;
}

void ProcessorSharingCpu::reschedule(NodeId n) {
  Node& node = nodes_[static_cast<size_t>(n)];
  if (node.jobs.empty()) return node.next.cancel();
  node.next.arm(sched_, least_work(node.jobs) / rate(node, n), [this, n] { complete_due(n); });
}

void ProcessorSharingCpu::run(Request& r, NodeId n, double seconds, Component* owner) {
  Node& node = nodes_[static_cast<size_t>(n)];
  Job job{&r, r.gen, owner, seconds};
  if (!node.powered) {  // SimGrid fails an Exec started on a host that is off
    sched_.after(0, [this, job] { report({job}, false); });
    return;
  }
  advance(node, n);
  node.jobs.push_back(job);
  reschedule(n);
}

void ProcessorSharingCpu::complete_due(NodeId n) {
  Node& node = nodes_[static_cast<size_t>(n)];
  if (node.jobs.empty()) return;
  advance(node, n);
  // The timer was armed for the job with the least work left: it ends now, whatever
  // rounding left of its work, and so do the jobs due at the same instant.
  const double threshold = least_work(node.jobs) + kSameInstant;
  std::vector<Job> done;
  auto split = std::stable_partition(node.jobs.begin(), node.jobs.end(),
                                     [threshold](const Job& j) { return j.remaining > threshold; });
  done.assign(split, node.jobs.end());
  node.jobs.erase(split, node.jobs.end());
  reschedule(n);
  report(std::move(done), true);  // owners may start new jobs here: the node is consistent
}

void ProcessorSharingCpu::power_off(NodeId n) {
  Node& node = nodes_[static_cast<size_t>(n)];
  node.powered = false;
  node.next.cancel();
  std::vector<Job> failed = std::move(node.jobs);
  node.jobs.clear();
  if (!failed.empty()) sched_.after(0, [this, failed = std::move(failed)]() mutable { report(std::move(failed), false); });
}

void ProcessorSharingCpu::power_on(NodeId n) {
  Node& node = nodes_[static_cast<size_t>(n)];
  node.powered = true;
  node.updated = sched_.now();
}

void ProcessorSharingCpu::report(std::vector<Job> jobs, bool ok) {
  for (auto& j : jobs)
    if (j.r->gen == j.gen) j.owner->on_cpu_done(*j.r, ok);  // a recycled request: nobody to tell
}

}  // namespace mailsim::engine
