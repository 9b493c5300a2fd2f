#include "engine/simgrid_cpu.hpp"

#include <simgrid/s4u/Activity.hpp>

#include "engine/component.hpp"

namespace sg4 = simgrid::s4u;

namespace mailsim::engine {

namespace {
// SimGrid calls this for every activity that ends; all of mailsim's activities are job
// Execs whose data points at their Job.
void on_activity_end(const sg4::Activity& a) {
  auto* job = a.get_data<SimGridCpu::Job>();
  if (job == nullptr || job->owner == nullptr) return;
  job->cpu->ended(*job, a.get_state() == sg4::Activity::State::FINISHED);
}
}  // namespace

SimGridCpu::SimGridCpu(const Platform& platform, const SimGridPlatform& hosts) : platform_(platform), hosts_(hosts) {
  static bool connected = false;  // one simulation per process: connect once
  if (!connected) sg4::Activity::on_completion_cb(on_activity_end);
  connected = true;
}

void SimGridCpu::run(Request& r, NodeId n, double seconds, Component* owner) {
  Job* job;
  if (free_.empty()) {
    job = &jobs_.emplace_back();
  } else {
    job = free_.back();
    free_.pop_back();
  }
  *job = Job{this, &r, r.gen, owner, sg4::Exec::init()};  // drops the slot's previous, ended Exec
  job->exec->set_flops_amount(seconds * platform_.speed(n))->set_host(hosts_.host(n));
  job->exec->set_data(job);
  job->exec->start();
}

void SimGridCpu::ended(Job& job, bool ok) {
  Component* owner = job.owner;
  job.owner = nullptr;
  // A request recycled while its job ran (its client got an answer, e.g. a proxy's timeout)
  // is another request now: the job's end concerns nobody.
  if (job.r->gen == job.gen) owner->on_cpu_done(*job.r, ok);
  free_.push_back(&job);
}

void SimGridCpu::power_off(NodeId n) { hosts_.host(n)->turn_off(); }

void SimGridCpu::power_on(NodeId n) { hosts_.host(n)->turn_on(); }

}  // namespace mailsim::engine
