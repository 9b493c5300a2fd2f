#include "engine/processor_sharing_cpu.hpp"

#include <algorithm>

#include "engine/component.hpp"
#include "engine/request.hpp"

namespace mailsim::engine {

namespace {
// SimGrid's surf/precision: actions whose end is this close to the clock end together.
constexpr double kSameInstant = 1e-9;
// Finish tags are kept relative to an epoch no more than this much virtual work ago, so a
// tag minus the node's work keeps the precision of a job's own seconds on a node that is
// never idle.
constexpr double kRebaseWork = 1.0;

bool later(const auto& a, const auto& b) { return a.tag != b.tag ? a.tag > b.tag : a.seq > b.seq; }
}  // namespace

ProcessorSharingCpu::ProcessorSharingCpu(Scheduler& sched, const Platform& platform)
    : sched_(sched), platform_(platform), nodes_(static_cast<size_t>(platform.node_count()) + 1) {
  for (size_t n = 0; n < nodes_.size(); ++n) nodes_[n].cores = platform.cores(static_cast<NodeId>(n));
}

// The clients' host stands for the users, not for a machine of the cluster: no meter.
void ProcessorSharingCpu::account(Resources& resources) {
  for (NodeId n = 0; n < platform_.node_count(); ++n) {
    const std::string& node = platform_.name_of(n);
    nodes_[static_cast<size_t>(n)].meter =
        &resources.add({node + ".cpu", "cpu", node, std::nullopt, static_cast<double>(platform_.cores(n)), "cores"});
  }
}

void ProcessorSharingCpu::measure(Node& node) {
  if (node.meter == nullptr) return;
  const double k = static_cast<double>(node.jobs.size());
  node.meter->update(sched_.now(), std::min(k, node.cores), std::max(0.0, k - node.cores));
}

double ProcessorSharingCpu::rate(const Node& node) const {
  return std::min(1.0, node.cores / static_cast<double>(node.jobs.size()));
}

// Brings the node's virtual work up to now, at the rate of its current jobs.
void ProcessorSharingCpu::advance(Node& node) {
  const double now = sched_.now();
  if (node.jobs.empty()) {
    node.work = 0;  // idle: a new epoch
  } else {
    node.work += (now - node.updated) * rate(node);
    if (node.work > kRebaseWork) {
      for (auto& j : node.jobs) j.tag -= node.work;  // order kept: every tag moves alike
      node.work = 0;
    }
  }
  node.updated = now;
}

// When the job at the front ends if the set of jobs stays as it is (the node is up to date).
double ProcessorSharingCpu::next_end(const Node& node) const {
  return node.updated + std::max(0.0, node.jobs.front().tag - node.work) / rate(node);
}

// A live timer at or before the next end stays: it ends the due jobs or re-arms when it fires.
void ProcessorSharingCpu::arm(NodeId n) {
  Node& node = nodes_[static_cast<size_t>(n)];
  if (node.jobs.empty()) return;
  const double t = next_end(node);
  if (node.armed_at <= t) return;
  node.armed_at = t;
  const uint64_t gen = ++node.armed_gen;
  sched_.at(t, [this, n, gen] { fire(n, gen); });
}

void ProcessorSharingCpu::run(Request& r, NodeId n, double seconds, Component* owner) {
  Node& node = nodes_[static_cast<size_t>(n)];
  Job job{0, next_seq_++, &r, r.gen, owner};
  if (!node.powered) {  // SimGrid fails an Exec started on a host that is off
    sched_.after(0, [this, job] { report({job}, false); });
    return;
  }
  advance(node);
  job.tag = node.work + seconds;
  node.jobs.push_back(job);
  std::push_heap(node.jobs.begin(), node.jobs.end(), later<Job, Job>);
  if (node.meter != nullptr) node.meter->served(sched_.now());
  measure(node);
  arm(n);
}

void ProcessorSharingCpu::fire(NodeId n, uint64_t gen) {
  Node& node = nodes_[static_cast<size_t>(n)];
  if (gen != node.armed_gen) return;  // a later arm replaced this timer
  node.armed_at = std::numeric_limits<double>::infinity();
  advance(node);
  // Every job due within the same instant ends now; the remaining work of each is measured
  // at the rate before any of them leaves.
  const double due = node.work + kSameInstant * rate(node);
  std::vector<Job> done = std::move(spare_);  // reused: no allocation per completion
  done.clear();
  while (!node.jobs.empty() && node.jobs.front().tag <= due) {
    std::pop_heap(node.jobs.begin(), node.jobs.end(), later<Job, Job>);
    done.push_back(node.jobs.back());
    node.jobs.pop_back();
  }
  measure(node);
  arm(n);
  report(done, true);  // owners may start new jobs here: the node is consistent
  spare_ = std::move(done);
}

void ProcessorSharingCpu::power_off(NodeId n) {
  Node& node = nodes_[static_cast<size_t>(n)];
  node.powered = false;
  ++node.armed_gen;  // the pending timer ends nothing
  node.armed_at = std::numeric_limits<double>::infinity();
  std::vector<Job> failed = std::move(node.jobs);
  node.jobs.clear();
  measure(node);
  // Reported in start order, as SimGrid fails a host's Execs.
  std::sort(failed.begin(), failed.end(), [](const Job& a, const Job& b) { return a.seq < b.seq; });
  if (!failed.empty()) sched_.after(0, [this, failed = std::move(failed)] { report(failed, false); });
}

void ProcessorSharingCpu::power_on(NodeId n) {
  Node& node = nodes_[static_cast<size_t>(n)];
  node.powered = true;
  node.work = 0;
  node.updated = sched_.now();
}

void ProcessorSharingCpu::report(const std::vector<Job>& jobs, bool ok) {
  for (const auto& j : jobs)
    if (j.r->gen == j.gen) j.owner->on_cpu_done(*j.r, ok);  // a recycled request: nobody to tell
}

}  // namespace mailsim::engine
