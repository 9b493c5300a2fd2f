#include "engine/flow.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace mailsim::engine {

Flow::Flow(Scheduler& sched, Platform& platform, Network& net, Cpu& cpu, uint64_t seed)
    : think_rng_(seed, "session.think"), sched_(sched), platform_(platform), net_(net), cpu_(cpu), seed_(seed) {}

Flow::~Flow() = default;

void Flow::add_service(ServiceRuntime s) {
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
}

int Flow::service_index(const std::string& name) const {
  for (size_t i = 0; i < services_.size(); ++i)
    if (services_[i]->name == name) return static_cast<int>(i);
  return -1;
}

Request* Flow::acquire() {
  if (free_.empty()) {
    pool_.push_back(std::make_unique<Request>());
    free_.push_back(pool_.back().get());
  }
  Request* r = free_.back();
  free_.pop_back();
  return r;
}

void Flow::release(Request& r) {
  ++r.gen;
  r.hops = -1;  // marks "not in use"
  r.proxy = nullptr;
  r.worker_holder = nullptr;
  free_.push_back(&r);
}

// A fresh request of service svc at step `step`, standing at `at` (its path starts there).
Request* Flow::new_request(int svc, int step, NodeId at, const MessageState& m) {
  Request* r = acquire();
  r->service = svc;
  r->step = step;
  r->t_start = sched_.now();
  r->at = at;
  r->target = -1;
  r->path[0] = at;
  r->hops = 1;
  r->step_entry_at = at;
  r->step_entry_hops = 1;
  r->step_entry_target = -1;
  r->proxy = nullptr;
  r->proxy_node = -1;
  r->proxy_server = -1;
  r->attempts = 0;
  r->syn_retransmits = 0;
  r->message = m;
  r->sender_decided = false;
  r->delivery = false;
  r->message_id = 0;
  r->session = -1;
  r->user = 0;
  return r;
}

void Flow::start_attempt(int svc, const MessageState& m) {
  ServiceRuntime& s = *services_[svc];
  Request* r = new_request(svc, 0, platform_.clients(), m);
  r->seq = s.metrics.on_arrival(sched_.now());
  r->user = r->seq;  // no session: a user per request, for `balance: user_hash`
  if (s.messages) {
    // The sending MTA gives up on this attempt at its timeout and defers the message,
    // whatever the server does later (a late success is then a duplicate delivery).
    const uint32_t gen = r->gen;
    sched_.after(s.timeout, [this, r, gen] {
      if (alive(*r, gen) && !r->sender_decided) sender_outcome(*r, false);
    });
  }
  s.steps[0]->on_request(*r);
}

// ---------------------------------------------------------------- client sessions

void Flow::start_session(int svc, const config::LoadSpec::Session& spec, uint64_t user) {
  ServiceRuntime& s = *services_[svc];
  if (!s.sessions) s.sessions = std::make_unique<ServiceRuntime::SessionStats>();
  ++s.sessions->started;
  int32_t id;
  if (free_sessions_.empty()) {
    id = static_cast<int32_t>(sessions_.size());
    sessions_.emplace_back();
  } else {
    id = free_sessions_.back();
    free_sessions_.pop_back();
  }
  sessions_[static_cast<size_t>(id)] = Session{svc, spec.commands, user, &spec, {}, -1, false};
  session_command(id);
}

void Flow::session_command(int32_t id) {
  Session& se = sessions_[static_cast<size_t>(id)];
  ServiceRuntime& s = *services_[se.svc];
  // A command after a broken connection opens a new one through the VIP.
  if (se.started && se.pin.server < 0) ++s.sessions->reconnects;
  se.started = true;
  Request* r = new_request(se.svc, 0, platform_.clients(), MessageState{});
  r->seq = s.metrics.on_arrival(sched_.now());
  r->session = id;
  r->user = se.user;
  s.steps[0]->on_request(*r);
}

void Flow::session_outcome(const Request& r, bool ok) {
  const int32_t id = r.session;
  Session& se = sessions_[static_cast<size_t>(id)];
  ServiceRuntime& s = *services_[se.svc];
  if (!ok && se.pin.server >= 0) {
    ++s.sessions->broken;  // the connection is gone: the next command reconnects
    se.pin = {};
    se.pin_step = -1;
  }
  if (--se.remaining <= 0) {
    ++s.sessions->completed;
    free_sessions_.push_back(id);
    return;
  }
  const double at = sched_.now() + se.spec->think.sample(think_rng_);
  if (at >= load_end_) {  // the measured period is over: the client logs out
    ++s.sessions->cut_at_end;
    free_sessions_.push_back(id);
    return;
  }
  sched_.at(at, [this, id] { session_command(id); });
}

Flow::SessionPin Flow::session_pin(const Request& r) const {
  if (r.session < 0) return {};
  const Session& se = sessions_[static_cast<size_t>(r.session)];
  return se.pin_step == r.step ? se.pin : SessionPin{};
}

void Flow::pin_session(const Request& r, NodeId node, int server) {
  if (r.session < 0) return;
  Session& se = sessions_[static_cast<size_t>(r.session)];
  if (se.pin_step >= 0 && se.pin_step != r.step) return;  // pinned at an earlier balancer
  se.pin = {node, server};
  se.pin_step = r.step;
}

void Flow::start(int svc) {
  ServiceRuntime& s = *services_[svc];
  start_attempt(svc, s.messages ? s.messages->first(sched_.now()) : MessageState{});
}

int64_t Flow::retries_pending() const {
  int64_t n = 0;
  for (const auto& s : services_) {
    if (s->messages) n += s->messages->pending();
    if (s->delivery) n += s->delivery->in_queue();  // deferred, or an attempt still running
  }
  return n;
}

void Flow::sender_outcome(Request& r, bool ok) {
  r.sender_decided = true;
  MessageStats& stats = *services_[r.service]->messages;
  if (ok) return stats.accepted(r.message, sched_.now());
  MessageState m = r.message;
  auto at = stats.deferred(m, sched_.now());
  if (!at) return;  // bounced
  latest_retry_at_ = std::max(latest_retry_at_, *at);
  const int svc = r.service;
  sched_.at(*at, [this, svc, m, &stats] {
    stats.retry_started();
    start_attempt(svc, m);
  });
}



void Flow::next_step(Request& r) {
  if (r.step >= last_step(r)) return complete(r);
  ++r.step;
  enter_step(r);
}

// A proxy picks the instance of the step it forwards to (r.target); any other target left
// over from an earlier step names a node of another component and must not be used.
void Flow::enter_step(Request& r) {
  Component* c = services_[r.service]->steps[r.step];
  if (r.target >= 0 && c->instance_of(r.target) < 0) r.target = -1;
  r.step_entry_at = r.at;
  r.step_entry_hops = r.hops;
  r.step_entry_target = r.target;
  c->on_request(r);
}

void Flow::skip_next_step(Request& r) {
  const int skip = std::max<int>(1, services_[r.service]->fallback[static_cast<size_t>(r.step)]);
  if (r.step + skip >= last_step(r)) return complete(r);
  r.step += skip + 1;
  enter_step(r);
}

void Flow::complete(Request& r) {
  if (!r.delivery && services_[r.service]->delivery) accept_message(r);
  answer(r, Outcome::kOk);
}

// ---------------------------------------------------------------- delivery phase

uint64_t Flow::message_id(Request& r) {
  if (r.message_id == 0) r.message_id = services_[r.service]->delivery->next_id();
  return r.message_id;
}

void Flow::message_lost(int svc, uint64_t id) { services_[svc]->delivery->lost(id); }

// The queue step is done and the 250 goes back: the message is queued, and the node that
// accepted it (the last one on the path running the first delivery step's component, as a
// postfix instance delivers from its own queue) starts its delivery now.
void Flow::accept_message(Request& r) {
  ServiceRuntime& s = *services_[r.service];
  const uint64_t id = message_id(r);
  s.delivery->queued(id);
  Component* agent_component = s.steps[static_cast<size_t>(s.accept_steps)];
  NodeId agent = r.at;
  for (int i = r.hops - 1; i >= 0; --i)
    if (agent_component->instance_of(r.path[i]) >= 0) {
      agent = r.path[i];
      break;
    }
  start_delivery(r.service, id, agent, s.delivery->first(sched_.now()));
}

void Flow::start_delivery(int svc, uint64_t id, NodeId agent, const MessageState& m) {
  ServiceRuntime& s = *services_[svc];
  if (!s.delivery->holds(id)) return;  // lost in a failover while it waited
  // A node that is down runs no queue manager: the attempt counts as deferred.
  if (!platform_.is_up(agent)) return defer_delivery(svc, id, agent, m);
  Request* r = new_request(svc, s.accept_steps, agent, m);
  r->seq = 0;
  // The agent delivers from its own queue: the first delivery step runs on it.
  r->target = s.steps[static_cast<size_t>(s.accept_steps)]->instance_of(agent) >= 0 ? agent : -1;
  r->delivery = true;
  r->message_id = id;
  const uint32_t gen = r->gen;
  sched_.after(kDeliveryTimeoutS, [this, r, gen] {
    if (alive(*r, gen) && !r->sender_decided) delivery_outcome(*r, false);
  });
  enter_step(*r);
}

void Flow::delivery_outcome(Request& r, bool ok) {
  r.sender_decided = true;
  DeliveryQueue& q = *services_[r.service]->delivery;
  if (!q.holds(r.message_id)) return;  // lost in a failover meanwhile: nothing to store
  if (ok) return q.delivered(r.message_id, r.message, sched_.now());
  defer_delivery(r.service, r.message_id, r.path[0], r.message);
}

void Flow::defer_delivery(int svc, uint64_t id, NodeId agent, MessageState m) {
  DeliveryQueue& q = *services_[svc]->delivery;
  auto at = q.deferred(id, m, sched_.now());
  if (!at) return;  // bounced after maximal_queue_lifetime
  latest_retry_at_ = std::max(latest_retry_at_, *at);
  sched_.at(*at, [this, svc, id, agent, m, &q] {
    q.retry_started();
    start_delivery(svc, id, agent, m);
  });
}

void Flow::run_cpu(Request& r, double seconds, Component* owner) {
  if (seconds <= 0) {
    owner->on_cpu_done(r, platform_.is_up(r.at));
    return;
  }
  cpu_.run(r, r.at, seconds, owner);
}

void Flow::fail(Request& r, Outcome o) { answer(r, o); }

void Flow::lose(Request& r) { finish(r, Outcome::kTimeout); }

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
    if (alive(*rp, gen)) services_[rp->service]->steps[static_cast<size_t>(rp->step)]->on_request(*rp);
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
  const double bytes = o == Outcome::kOk ? services_[r.service]->response_bytes : 0;
  double delay = 0;
  for (int i = r.hops - 1; i > 0; --i) {
    auto d = net_.transit(r.path[i], r.path[i - 1], bytes);
    if (!d) {
      lose(r);
      return;
    }
    delay += *d;
  }
  uint32_t gen = r.gen;
  Request* rp = &r;
  sched_.after(delay, [this, rp, gen, o] {
    if (alive(*rp, gen)) finish(*rp, o);
  });
}

void Flow::finish(Request& r, Outcome o) {
  if (finish_observer_) finish_observer_(r, o);
  if (r.proxy != nullptr) r.proxy->on_session_end(r);
  if (Component* holder = r.worker_holder) {
    r.worker_holder = nullptr;
    holder->on_worker_release(r);
  }
  ServiceRuntime& svc = *services_[r.service];
  if (r.delivery) {
    const bool ok = o == Outcome::kOk && sched_.now() - r.t_start <= kDeliveryTimeoutS;
    if (!r.sender_decided) delivery_outcome(r, ok);
    else if (ok && svc.delivery->holds(r.message_id)) svc.delivery->duplicate();
    release(r);
    return;
  }
  if (r.session >= 0) session_outcome(r, o == Outcome::kOk && sched_.now() - r.t_start <= svc.timeout);
  if (svc.messages) {
    bool ok = o == Outcome::kOk && sched_.now() - r.t_start <= svc.timeout;
    if (!r.sender_decided) sender_outcome(r, ok);
    else if (ok) svc.messages->duplicate();
  }
  svc.metrics.on_outcome(r.seq, o, sched_.now());
  release(r);
}

double Flow::sample_cpu(Request& r) { return services_[r.service]->cpu[r.step].sample(cpu_rng_[r.service][r.step]); }

void Flow::finish_metrics(double now) {
  for (auto& s : services_) s->metrics.flush(now, true);
}

}  // namespace mailsim::engine
