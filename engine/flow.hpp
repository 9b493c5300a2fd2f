#pragma once
// The request path: requests enter from the clients host, visit each step's component and
// return along the path they came. Components call back into the Flow to move a request
// (hop), use CPU (run_cpu), pass it to the next step, answer, fail or lose it.
//
// Cost per request (the hot path): one timer per network hop, one CPU job (a SimGrid Exec
// in a run) per CPU step, one timer for the whole reply path; no actor, no allocation
// beyond the pool.
#include <functional>
#include <memory>
#include <vector>

#include "config/scenario.hpp"
#include "config/topology.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"
#include "engine/outcome.hpp"
#include "engine/message_stats.hpp"
#include "engine/service_metrics.hpp"
#include "engine/delivery_queue.hpp"

namespace mailsim::engine {

struct ServiceRuntime {
  std::string name;
  std::vector<Component*> steps;
  std::vector<double> request_bytes;  // per step
  std::vector<core::Distribution> cpu;  // per step
  std::vector<std::string> ops;         // per step
  std::vector<int> op_slot;             // per step, from the step's component (register_op)
  double response_bytes = 0;            // the reply's size, all steps' responses together
  ServiceMetrics metrics;
  std::vector<char> hold_worker;        // per step: keeps the previous step's worker (StepSpec)
  std::vector<char> fallback;           // per step: a cache step's hit skips this many next steps (0: not a cache step)
  double timeout = 0;                   // the clients' timeout for this service
  std::unique_ptr<MessageStats> messages;  // set when the clients are MTAs that retry
  // steps[0, accept_steps) answer the client; the rest deliver the queued message
  // afterwards (topology `queue:`/`delivery:`). 0 means all steps answer the client.
  int accept_steps = 0;
  std::unique_ptr<DeliveryQueue> delivery;  // set with a delivery phase
  struct SessionStats {
    uint64_t started = 0, completed = 0, broken = 0, reconnects = 0;
    uint64_t cut_at_end = 0;  // sessions whose next command would start after the load ends
  };
  std::unique_ptr<SessionStats> sessions;  // set when the load comes as sessions
};

class Flow {
 public:
  Flow(Scheduler& sched, Platform& platform, Network& net, Cpu& cpu, uint64_t seed);
  ~Flow();

  void add_service(ServiceRuntime s);
  int service_count() const { return static_cast<int>(services_.size()); }
  ServiceRuntime& service(int i) { return *services_[i]; }
  int service_index(const std::string& name) const;

  // A new request of service `svc` arrives from the clients now (a new message, for MTA
  // clients).
  void start(int svc);
  // MTA clients: messages deferred and waiting for their next attempt, plus messages in a
  // delivery queue, and the latest time one is scheduled (the run goes on until they are
  // resolved).
  int64_t retries_pending() const;
  double latest_retry_at() const { return latest_retry_at_; }

  // Moves r from r.at to `to`. On arrival (to still up) r.at = to and on_arrival(r) runs;
  // when the message is lost (partition, loss, sender or receiver down) on_lost(r) runs at
  // the time the loss happens: the sender does not learn of it, so callers usually lose r
  // or start their own timeout.
  template <class OnArrival, class OnLost>
  void hop(Request& r, NodeId to, double bytes, OnArrival on_arrival, OnLost on_lost);

  // The current step is done at r.at: the next step's component gets r (r.target kept as
  // set by a proxy), or, after the last step, the reply goes back to the client.
  void next_step(Request& r);
  // The current step answered for the next ones too (a cache hit): the request skips the
  // step's `on_hit_skip` next steps (1 unless the topology says) and goes on after them.
  void skip_next_step(Request& r);
  // Step options (topology `hold_worker`, `fallback`); false past the last step.
  bool step_holds_worker(int svc, int step) const {
    const auto& v = services_[svc]->hold_worker;
    return step >= 0 && static_cast<size_t>(step) < v.size() && v[static_cast<size_t>(step)];
  }
  bool step_falls_back(const Request& r) const {
    const auto& v = services_[r.service]->fallback;
    return static_cast<size_t>(r.step) < v.size() && v[static_cast<size_t>(r.step)];
  }
  // Runs `seconds` of CPU for r on r.at (cpu.hpp); owner->on_cpu_done(r, ok) follows.
  void run_cpu(Request& r, double seconds, Component* owner);
  double sample_cpu(Request& r);  // this step's CPU demand, from the component's stream

  void fail(Request& r, Outcome o);  // an error answer travels back to the client
  void lose(Request& r);             // nobody answers: the client times out
  // The client's connection attempt (the first hop) got no answer: the client's TCP stack
  // re-sends its SYN after the retransmission timeout (1 s, doubling) up to syn_retries
  // times, so a short black hole delays requests instead of failing them.
  void syn_unanswered(Request& r);
  // Sessions send no command after the load's end (so every command ends within the run).
  void set_load_end(double t) { load_end_ = t; }
  void set_client_tcp(int syn_retries, double initial_rto) {
    syn_retries_ = syn_retries;
    initial_rto_ = initial_rto;
  }
  void orphan(Request& r);           // r's server died with r: its proxy decides, else lost

  // Client sessions (a load's `session:`): `commands` requests one after another, `think`
  // apart, over one connection. A balancer calls session_pin() to learn which server the
  // session's connection is on (server -1: none yet, or it broke) and pin_session() once
  // it connected one; a failed command breaks the connection, the next one reconnects.
  void start_session(int svc, const config::LoadSpec::Session& spec, uint64_t user);
  struct SessionPin {
    NodeId node = -1;  // the balancer instance holding the connection
    int server = -1;
  };
  SessionPin session_pin(const Request& r) const;
  void pin_session(const Request& r, NodeId node, int server);

  // Delivery phases. A queue component calls at_queue_step() when it makes a write durable:
  // true for the step after which the client gets its 250, and message_id() then names the
  // message. A model that later loses that write (an async failover) calls message_lost():
  // the ledger counts it and its delivery, if still pending, is dropped.
  bool at_queue_step(const Request& r) const {
    const ServiceRuntime& s = *services_[r.service];
    return s.delivery && !r.delivery && r.step == s.accept_steps - 1;
  }
  uint64_t message_id(Request& r);
  void message_lost(int svc, uint64_t id);

  bool alive(const Request& r, uint32_t gen) const { return r.gen == gen && in_use(r); }
  // Tests (test_bed.hpp): told of every request that ends, just before it is recycled.
  void observe_finish(std::function<void(const Request&, Outcome)> f) { finish_observer_ = std::move(f); }
  void finish_metrics(double now);
  double request_bytes(const Request& r) const { return services_[r.service]->request_bytes[r.step]; }
  double step_request_bytes(int svc, int step) const { return services_[svc]->request_bytes[step]; }
  int op_slot(const Request& r) const { return services_[r.service]->op_slot[r.step]; }
  double response_bytes(int svc) const { return services_[svc]->response_bytes; }

 private:
  Request* acquire();
  void release(Request& r);
  Request* new_request(int svc, int step, NodeId at, const MessageState& m);
  struct Session {
    int svc = 0;
    int remaining = 0;   // commands still to send, this one included
    uint64_t user = 0;
    const config::LoadSpec::Session* spec = nullptr;
    SessionPin pin;
    int pin_step = -1;   // the step whose balancer holds the connection
    bool started = false;
  };
  void session_command(int32_t id);
  void session_outcome(const Request& r, bool ok);
  std::vector<Session> sessions_;
  std::vector<int32_t> free_sessions_;
  core::RngStream think_rng_;
  double load_end_ = 1e300;
  bool in_use(const Request& r) const { return r.hops >= 0; }
  void answer(Request& r, Outcome o);
  void finish(Request& r, Outcome o);
  int last_step(const Request& r) const {
    const ServiceRuntime& s = *services_[r.service];
    return (r.delivery ? static_cast<int>(s.steps.size()) : s.accept_steps) - 1;
  }
  void complete(Request& r);  // the last step is done: answer, or queue and answer
  void accept_message(Request& r);
  void start_delivery(int svc, uint64_t id, NodeId agent, const MessageState& m);
  void delivery_outcome(Request& r, bool ok);
  void defer_delivery(int svc, uint64_t id, NodeId agent, MessageState m);

  Scheduler& sched_;
  Platform& platform_;
  Network& net_;
  Cpu& cpu_;
  std::vector<std::unique_ptr<ServiceRuntime>> services_;
  std::vector<std::unique_ptr<Request>> pool_;
  std::vector<Request*> free_;
  uint64_t seed_;
  double latest_retry_at_ = 0;
  void start_attempt(int svc, const MessageState& m);
  void enter_step(Request& r);
  void sender_outcome(Request& r, bool ok);
  int syn_retries_ = 6;
  double initial_rto_ = 1.0;
  std::vector<std::vector<core::RngStream>> cpu_rng_;  // [service][step]
  std::function<void(const Request&, Outcome)> finish_observer_;
};

template <class OnArrival, class OnLost>
void Flow::hop(Request& r, NodeId to, double bytes, OnArrival on_arrival, OnLost on_lost) {
  auto delay = net_.transit(r.at, to, bytes);
  if (!delay) {
    on_lost(r);
    return;
  }
  uint32_t gen = r.gen;
  Request* rp = &r;
  sched_.after(*delay, [this, rp, gen, to, on_arrival = std::move(on_arrival), on_lost = std::move(on_lost)]() mutable {
    if (!alive(*rp, gen)) return;
    if (!platform_.is_up(to)) {
      on_lost(*rp);
      return;
    }
    rp->at = to;
    if (rp->hops < Request::kMaxHops) rp->path[rp->hops++] = to;
    on_arrival(*rp);
  });
}

}  // namespace mailsim::engine
