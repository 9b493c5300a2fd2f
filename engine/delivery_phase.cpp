#include "engine/delivery_phase.hpp"

#include <algorithm>

namespace mailsim::engine {

void DeliveryPhase::add_service(int svc, const config::SenderParams& server, core::RngStream rng) {
  if (queues_.size() <= static_cast<size_t>(svc)) queues_.resize(static_cast<size_t>(svc) + 1);
  queues_[static_cast<size_t>(svc)] = std::make_unique<DeliveryQueue>(server, rng);
  stores_.resize(queues_.size(), -1);
  const int store = ledger_.add_store(flow_.service(svc).name + ".queue", DurabilityLedger::Holds::kMessages);
  stores_[static_cast<size_t>(svc)] = store;
  // What is still queued when the run ends is neither delivered nor lost.
  ledger_.at_end([this, svc, store] {
    ledger_.still_queued(store, svc, static_cast<uint64_t>(queue(svc).in_queue()));
  });
  flow_.attach(svc, this);
}

void DeliveryPhase::message_lost(int svc, uint64_t id, double acknowledged_at) {
  queue(svc).lost(id);
  ledger_.lost(stores_[static_cast<size_t>(svc)], svc, acknowledged_at);
}

DeliveryPhase::PerRequest& DeliveryPhase::state(const Request& r) {
  if (state_.size() <= r.slot) state_.resize(r.slot + 1);
  return state_[r.slot];
}

uint64_t DeliveryPhase::message_id(const Request& r) {
  PerRequest& s = state(r);
  if (s.message_id == 0) s.message_id = queue(r.service).next_id();
  return s.message_id;
}

// The queue step is done and the 250 goes back: the message is queued, and the node that
// accepted it starts its delivery now.
void DeliveryPhase::on_complete(Request& r) {
  if (is_attempt(r)) return;
  const ServiceRuntime& s = flow_.service(r.service);
  const uint64_t id = message_id(r);
  DeliveryQueue& q = queue(r.service);
  q.queued(id);
  ledger_.acknowledged(stores_[static_cast<size_t>(r.service)], r.service, sched_.now());
  const Component* agent_component = s.steps[static_cast<size_t>(s.accept_steps)];
  NodeId agent = r.at;
  for (int i = r.hops - 1; i >= 0; --i)
    if (agent_component->instance_of(r.path[static_cast<size_t>(i)]) >= 0) {
      agent = r.path[static_cast<size_t>(i)];
      break;
    }
  start(r.service, id, agent, q.first(sched_.now()));
}

void DeliveryPhase::start(int svc, uint64_t id, NodeId agent, const MessageState& m) {
  DeliveryQueue& q = queue(svc);
  if (!q.holds(id)) return;  // lost in a failover while it waited
  // A node that is down runs no queue manager: the attempt counts as deferred.
  if (!platform_.is_up(agent)) return defer(svc, id, agent, m);
  const ServiceRuntime& s = flow_.service(svc);
  Request& r = flow_.launch(svc, s.accept_steps, static_cast<int>(s.steps.size()) - 1, agent);
  // The agent delivers from its own queue: the first delivery step runs on it.
  r.target = s.steps[static_cast<size_t>(s.accept_steps)]->instance_of(agent) >= 0 ? agent : -1;
  state(r) = {true, id, m, false};
  const uint32_t gen = r.gen;
  Request* rp = &r;
  sched_.after(kDeliveryTimeoutS, [this, rp, gen] {
    if (flow_.alive(*rp, gen) && !state_[rp->slot].decided) outcome(*rp, false);
  });
  flow_.enter_step(r);
}

bool DeliveryPhase::on_finish(Request& r, Outcome o) {
  if (!is_attempt(r)) {
    if (r.slot < state_.size()) state_[r.slot] = {};  // a client request: forget its message id
    return false;
  }
  const bool ok = o == Outcome::kOk && sched_.now() - r.t_start <= kDeliveryTimeoutS;
  const PerRequest s = state_[r.slot];
  if (!s.decided) outcome(r, ok);
  else if (ok && queue(r.service).holds(s.message_id)) {
    queue(r.service).duplicate();
    ledger_.duplicated(stores_[static_cast<size_t>(r.service)], r.service);
  }
  state_[r.slot] = {};
  return true;
}

void DeliveryPhase::outcome(Request& r, bool ok) {
  PerRequest& s = state_[r.slot];
  s.decided = true;
  DeliveryQueue& q = queue(r.service);
  if (!q.holds(s.message_id)) return;  // lost in a failover meanwhile: nothing to store
  if (ok) return q.delivered(s.message_id, s.message, sched_.now());
  defer(r.service, s.message_id, r.path[0], s.message);
}

void DeliveryPhase::defer(int svc, uint64_t id, NodeId agent, MessageState m) {
  DeliveryQueue& q = queue(svc);
  auto at = q.deferred(id, m, sched_.now());
  if (!at) return;  // bounced after maximal_queue_lifetime
  latest_retry_at_ = std::max(latest_retry_at_, *at);
  sched_.at(*at, [this, svc, id, agent, m, &q] {
    q.retry_started();
    start(svc, id, agent, m);
  });
}

int64_t DeliveryPhase::pending() const {
  int64_t n = 0;
  for (const auto& q : queues_)
    if (q) n += q->in_queue();  // deferred, or an attempt still running
  return n;
}

void DeliveryPhase::report(int svc, nlohmann::json& service) const {
  if (has_queue(svc)) service["delivery"] = queues_[static_cast<size_t>(svc)]->to_json();
}

}  // namespace mailsim::engine
