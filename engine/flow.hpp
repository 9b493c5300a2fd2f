#pragma once
// The request path: requests enter from the clients host, visit each step's component and
// return along the path they came. Components call back into the Flow to move a request
// (hop), use CPU (run_cpu), pass it to the next step, answer, fail or lose it. The Flow
// keeps routing and the request lifecycle only; client sessions, MTA retries, delivery
// phases, cache skips and held workers are step plug-ins (step_features.hpp) that a service
// attaches (FlowFeature hooks).
//
// Cost per request (the hot path): one timer per network hop, one CPU job (processor
// sharing: a heap entry and at most one timer of the node's) per CPU step, one timer for the
// whole reply path; no actor, no allocation beyond the pools.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/distribution.hpp"
#include "core/rng.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"
#include "engine/flow_feature.hpp"
#include "engine/outcome.hpp"
#include "engine/service_metrics.hpp"

namespace mailsim::engine {

struct ServiceRuntime {
  std::string name;
  std::vector<Component*> steps;
  std::vector<double> request_bytes;    // per step
  std::vector<core::Distribution> cpu;  // per step
  std::vector<std::string> ops;         // per step
  double response_bytes = 0;            // the reply's size, all steps' responses together
  double timeout = 0;                   // the clients' timeout for this service
  // steps[0, accept_steps) answer the client; the rest run afterwards as delivery attempts
  // (topology `queue:`/`delivery:`). 0 means all steps answer the client.
  int accept_steps = 0;
  ServiceMetrics metrics;
  // Set by the Flow.
  std::vector<int> op_slot;              // per step, from the step's component (register_op)
  std::vector<FlowFeature*> features;    // the plug-ins attached, in hook order
  std::vector<char> local;               // per step: `local: true` (empty: none)
};

class Flow {
 public:
  Flow(Scheduler& sched, Platform& platform, Network& net, Cpu& cpu, uint64_t seed);
  ~Flow();

  int add_service(ServiceRuntime s);  // returns its index
  // Service svc uses feature f: its hooks run for svc's requests, after those attached before.
  void attach(int svc, FlowFeature* f) { services_[static_cast<size_t>(svc)]->features.push_back(f); }
  int service_count() const { return static_cast<int>(services_.size()); }
  ServiceRuntime& service(int i) { return *services_[static_cast<size_t>(i)]; }
  const ServiceRuntime& service(int i) const { return *services_[static_cast<size_t>(i)]; }
  int service_index(const std::string& name) const;

  // A new client request of service `svc` arrives from the clients now and goes to step 0.
  void start(int svc) { begin(arrive(svc)); }
  // The same in two halves, for plug-ins that start client requests (sessions, MTAs) and set
  // their own state in between: arrive() takes a request from the pool, at the clients,
  // registered with the service's metrics; begin() hands it to step 0's component.
  Request& arrive(int svc);
  void begin(Request& r) { services_[static_cast<size_t>(r.service)]->steps[0]->on_request(r); }
  // A request that no client waits for (a delivery attempt): at `at`, to run steps
  // [first, last], not counted in the metrics; start it with enter_step().
  Request& launch(int svc, int first, int last, NodeId at);
  // Hands r to the component of its current step (r.target kept if it names one of its
  // instances), noting where the step began for a connection retry.
  void enter_step(Request& r);

  // Moves r from r.at to `to`. On arrival (to still up) r.at = to and on_arrival(r) runs;
  // when the message is lost (partition, loss, sender or receiver down) on_lost(r) runs at
  // the time the loss happens: the sender does not learn of it, so callers usually lose r
  // or start their own timeout.
  template <class OnArrival, class OnLost>
  void hop(Request& r, NodeId to, double bytes, OnArrival on_arrival, OnLost on_lost);

  // The current step is done at r.at: the next step's component gets r (r.target kept as
  // set by a proxy), or, after its last step, the reply goes back to the client.
  void next_step(Request& r);
  // The current step answered for the next n as well (a cache hit): r goes on after them.
  void skip_steps(Request& r, int n);
  // Runs `seconds` of CPU for r on r.at (cpu.hpp); owner->on_cpu_done(r, ok) follows.
  void run_cpu(Request& r, double seconds, Component* owner);
  double sample_cpu(Request& r);  // this step's CPU demand, from the component's stream

  void fail(Request& r, Outcome o);  // an error answer travels back to the client
  void lose(Request& r);             // nobody answers: the client times out
  // The client's connection attempt (the first hop) got no answer: the client's TCP stack
  // re-sends its SYN after the retransmission timeout (1 s, doubling: at 1, 3, 7, 15 ... s)
  // up to syn_retries times, so a short black hole delays requests instead of failing them.
  // The SYN goes to the same address: the one the step began with (a VIP, or the instance a
  // proxy chose), or `address`, the instance the client itself picked (round robin): Linux
  // retransmits to one address, and only the client's own timeout ends the attempt.
  void syn_unanswered(Request& r);
  void syn_unanswered(Request& r, NodeId address);
  void set_client_tcp(int syn_retries, double initial_rto) {
    syn_retries_ = syn_retries;
    initial_rto_ = initial_rto;
  }
  void orphan(Request& r);  // r's server died with r: its proxy decides, else lost

  bool alive(const Request& r, uint32_t gen) const { return r.gen == gen && in_use(r); }
  // Tests (test_bed.hpp): told of every request that ends, just before it is recycled.
  void observe_finish(std::function<void(const Request&, Outcome)> f) { finish_observer_ = std::move(f); }
  void finish_metrics(double now);
  double request_bytes(const Request& r) const { return step_request_bytes(r.service, r.step); }
  double step_request_bytes(int svc, int step) const {
    return services_[static_cast<size_t>(svc)]->request_bytes[static_cast<size_t>(step)];
  }
  int op_slot(const Request& r) const {
    return services_[static_cast<size_t>(r.service)]->op_slot[static_cast<size_t>(r.step)];
  }
  double response_bytes(int svc) const { return services_[static_cast<size_t>(svc)]->response_bytes; }

 private:
  Request& acquire();
  void release(Request& r);
  Request& new_request(int svc, int first, int last, NodeId at);
  bool in_use(const Request& r) const { return r.hops >= 0; }
  void complete(Request& r);  // the last step is done: plug-ins, then the ok answer
  NodeId caller_instance(const Request& r, const Component& c) const;
  void answer(Request& r, Outcome o);
  void finish(Request& r, Outcome o);

  Scheduler& sched_;
  Platform& platform_;
  Network& net_;
  Cpu& cpu_;
  uint64_t seed_;
  std::vector<std::unique_ptr<ServiceRuntime>> services_;
  std::vector<std::unique_ptr<Request>> pool_;
  std::vector<Request*> free_;
  int syn_retries_ = 6;
  double initial_rto_ = 1.0;
  std::vector<std::vector<core::RngStream>> cpu_rng_;  // [service][step]
  std::function<void(const Request&, Outcome)> finish_observer_;
};

template <class OnArrival, class OnLost>
void Flow::hop(Request& r, NodeId to, double bytes, OnArrival on_arrival, OnLost on_lost) {
  uint32_t gen = r.gen;
  Request* rp = &r;
  const bool sent = net_.send(r.at, to, bytes, [this, rp, gen, to, on_arrival = std::move(on_arrival), on_lost]() mutable {
    if (!alive(*rp, gen)) return;
    if (!platform_.is_up(to)) {
      on_lost(*rp);
      return;
    }
    rp->at = to;
    if (rp->hops < Request::kMaxHops) rp->path[rp->hops++] = to;
    on_arrival(*rp);
  });
  if (!sent) on_lost(r);
}

}  // namespace mailsim::engine
