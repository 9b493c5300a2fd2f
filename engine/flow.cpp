#include "engine/flow.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace mailsim::engine {

Flow::Flow(Scheduler& sched, Platform& platform, Network& net, Cpu& cpu, uint64_t seed)
    : sched_(sched), platform_(platform), net_(net), cpu_(cpu), seed_(seed) {}

Flow::~Flow() = default;

int Flow::add_service(ServiceRuntime s) {
  // One CPU-demand stream per (service, step), named after them, so that adding a service
  // or a component leaves the other streams' draws unchanged.
  std::vector<core::RngStream> streams;
  for (size_t i = 0; i < s.steps.size(); ++i)
    streams.emplace_back(seed_, "cpu." + s.name + "." + std::to_string(i));
  cpu_rng_.push_back(std::move(streams));
  if (s.accept_steps <= 0) s.accept_steps = static_cast<int>(s.steps.size());
  s.op_slot.clear();
  for (size_t i = 0; i < s.steps.size(); ++i) s.op_slot.push_back(s.steps[i]->register_op(s.ops[i]));
  services_.push_back(std::make_unique<ServiceRuntime>(std::move(s)));
  return static_cast<int>(services_.size()) - 1;
}

int Flow::service_index(const std::string& name) const {
  for (size_t i = 0; i < services_.size(); ++i)
    if (services_[i]->name == name) return static_cast<int>(i);
  return -1;
}

// ---------------------------------------------------------------- the pool

Request& Flow::acquire() {
  if (free_.empty()) {
    pool_.push_back(std::make_unique<Request>());
    pool_.back()->slot = static_cast<uint32_t>(pool_.size() - 1);
    free_.push_back(pool_.back().get());
  }
  Request* r = free_.back();
  free_.pop_back();
  return *r;
}

void Flow::release(Request& r) {
  ++r.gen;
  r.hops = -1;  // marks "not in use"
  r.proxy = nullptr;
  free_.push_back(&r);
}

// A fresh request of service svc to run steps [first, last], standing at `at` (its path
// starts there).
Request& Flow::new_request(int svc, int first, int last, NodeId at) {
  Request& r = acquire();
  r.service = svc;
  r.step = first;
  r.last_step = last;
  r.t_start = sched_.now();
  r.seq = 0;
  r.user = 0;
  r.at = at;
  r.target = -1;
  r.path[0] = at;
  r.hops = 1;
  r.step_entry_at = at;
  r.step_entry_hops = 1;
  r.step_entry_target = -1;
  r.proxy = nullptr;
  r.proxy_node = -1;
  r.proxy_server = -1;
  r.attempts = 0;
  r.syn_retransmits = 0;
  return r;
}

Request& Flow::arrive(int svc) {
  ServiceRuntime& s = *services_[static_cast<size_t>(svc)];
  Request& r = new_request(svc, 0, s.accept_steps - 1, platform_.clients());
  r.seq = s.metrics.on_arrival(sched_.now());
  r.user = r.seq;  // no session: a user per request, for `balance: user_hash`
  return r;
}

Request& Flow::launch(int svc, int first, int last, NodeId at) { return new_request(svc, first, last, at); }

// ---------------------------------------------------------------- steps

// A proxy picks the instance of the step it forwards to (r.target); any other target left
// over from an earlier step names a node of another component and must not be used.
void Flow::enter_step(Request& r) {
  const ServiceRuntime& svc = *services_[static_cast<size_t>(r.service)];
  Component* c = svc.steps[static_cast<size_t>(r.step)];
  if (!svc.local.empty() && svc.local[static_cast<size_t>(r.step)]) r.target = caller_instance(r, *c);
  if (r.target >= 0 && c->instance_of(r.target) < 0) r.target = -1;
  r.step_entry_at = r.at;
  r.step_entry_hops = r.hops;
  r.step_entry_target = r.target;
  c->on_request(r);
}

// A `local` step: the nearest earlier node of r's path that runs c (the caller's own
// instance; config checks that an earlier step runs on such a node).
NodeId Flow::caller_instance(const Request& r, const Component& c) const {
  for (int i = r.hops - 1; i >= 0; --i)
    if (c.instance_of(r.path[static_cast<size_t>(i)]) >= 0) return r.path[static_cast<size_t>(i)];
  return -1;
}

void Flow::next_step(Request& r) {
  if (r.step >= r.last_step) return complete(r);
  ++r.step;
  enter_step(r);
}

void Flow::skip_steps(Request& r, int n) {
  if (r.step + n >= r.last_step) return complete(r);
  r.step += n + 1;
  enter_step(r);
}

void Flow::complete(Request& r) {
  for (FlowFeature* f : services_[static_cast<size_t>(r.service)]->features) f->on_complete(r);
  answer(r, Outcome::kOk);
}

void Flow::run_cpu(Request& r, double seconds, Component* owner) {
  if (seconds <= 0) {
    owner->on_cpu_done(r, platform_.is_up(r.at));
    return;
  }
  cpu_.run(r, r.at, seconds, owner);
}

double Flow::sample_cpu(Request& r) {
  return services_[static_cast<size_t>(r.service)]->cpu[static_cast<size_t>(r.step)].sample(
      cpu_rng_[static_cast<size_t>(r.service)][static_cast<size_t>(r.step)]);
}

// ---------------------------------------------------------------- endings

void Flow::fail(Request& r, Outcome o) { answer(r, o); }

void Flow::lose(Request& r) { finish(r, Outcome::kTimeout); }

void Flow::syn_unanswered(Request& r, NodeId address) {
  if (r.syn_retransmits >= syn_retries_) return lose(r);
  syn_unanswered(r);
  r.target = address;  // not the next instance in round robin: the same address again
}

void Flow::syn_unanswered(Request& r) {
  if (r.syn_retransmits >= syn_retries_) return lose(r);
  double rto = initial_rto_ * static_cast<double>(1 << r.syn_retransmits);
  ++r.syn_retransmits;
  // The connection is retried from where the step began: the clients for the first step,
  // the calling node (e.g. a webmail node connecting to an IMAP VIP) for a later one.
  r.at = r.step_entry_at;
  r.hops = r.step_entry_hops;
  r.target = r.step_entry_target;
  const uint32_t gen = r.gen;
  Request* rp = &r;
  sched_.after(rto, [this, rp, gen] {
    if (alive(*rp, gen))
      services_[static_cast<size_t>(rp->service)]->steps[static_cast<size_t>(rp->step)]->on_request(*rp);
  });
}

void Flow::orphan(Request& r) {
  if (r.proxy != nullptr && r.proxy->on_orphan(r)) return;
  lose(r);
}

// The answer retraces the path hop by hop; all hops are applied now and the client gets it
// after their summed delay (a node dying during those few hundred microseconds is not
// seen: documented in docs/architecture.md).
void Flow::answer(Request& r, Outcome o) {
  const double bytes = o == Outcome::kOk ? services_[static_cast<size_t>(r.service)]->response_bytes : 0;
  uint32_t gen = r.gen;
  Request* rp = &r;
  if (!net_.send_back(r.path.data(), r.hops, bytes, [this, rp, gen, o] {
        if (alive(*rp, gen)) finish(*rp, o);
      }))
    lose(r);
}

// The proxy's session ends, the service's plug-ins see the outcome (in attach order; one may
// take the request over), the metrics count it, and the request goes back to the pool.
void Flow::finish(Request& r, Outcome o) {
  if (finish_observer_) finish_observer_(r, o);
  if (r.proxy != nullptr) r.proxy->on_session_end(r, o);
  ServiceRuntime& svc = *services_[static_cast<size_t>(r.service)];
  for (FlowFeature* f : svc.features)
    if (f->on_finish(r, o)) return release(r);
  svc.metrics.on_outcome(r.seq, o, sched_.now());
  release(r);
}

void Flow::finish_metrics(double now) {
  for (auto& s : services_) s->metrics.flush(now, true);
}

}  // namespace mailsim::engine
