#pragma once
// Step plug-in for a service's delivery phase (topology `queue:` and `delivery:`): the client
// gets its 250 once the queue step made the message durable; the node that accepted it (the
// last node on the path running the first delivery step's component, as a postfix instance
// delivers from its own queue) then runs the delivery steps as a delivery attempt, a request
// no client waits for. A failed or late attempt (kDeliveryTimeoutS) is deferred and retried
// on Postfix's schedule by the service's DeliveryQueue. A model that makes a message durable
// asks at_queue_step() and names it with message_id(); if it later loses that write (an
// async failover) it calls message_lost(): a pending delivery is dropped. Each service's
// queue is a store of the durability ledger (`S.queue`): its 250s are acknowledgements, its
// lost messages, duplicates and what is still queued at the end are reported there.
#include <cstdint>
#include <memory>
#include <vector>

#include "config/sender_params.hpp"
#include "engine/delivery_queue.hpp"
#include "engine/durability_ledger.hpp"
#include "engine/flow.hpp"

namespace mailsim::engine {

class DeliveryPhase final : public FlowFeature {
 public:
  DeliveryPhase(Flow& flow, Scheduler& sched, const Platform& platform, DurabilityLedger& ledger)
      : flow_(flow), sched_(sched), platform_(platform), ledger_(ledger) {}
  // Service svc has a delivery phase; its server's queue retries with `server`'s settings.
  void add_service(int svc, const config::SenderParams& server, core::RngStream rng);

  // True for r's queue step: after it the client gets its 250.
  bool at_queue_step(const Request& r) const {
    return has_queue(r.service) && !is_attempt(r) && r.step == flow_.service(r.service).accept_steps - 1;
  }
  uint64_t message_id(const Request& r);
  // r is a delivery attempt, not a client request.
  bool is_attempt(const Request& r) const { return r.slot < state_.size() && state_[r.slot].attempt; }
  // The message acknowledged at `acknowledged_at` is on no surviving copy.
  void message_lost(int svc, uint64_t id, double acknowledged_at);

  void on_complete(Request& r) override;  // a client's message is queued: its delivery starts
  bool on_finish(Request& r, Outcome o) override;
  int64_t pending() const override;
  double latest_due() const override { return latest_retry_at_; }
  void report(int svc, nlohmann::json& service) const override;

 private:
  struct PerRequest {
    bool attempt = false;     // a delivery attempt, not a client request
    uint64_t message_id = 0;  // 0: none yet
    MessageState message;     // an attempt: the message's retry state
    bool decided = false;     // an attempt: its fate is decided (timed out or answered)
  };
  bool has_queue(int svc) const {
    return static_cast<size_t>(svc) < queues_.size() && queues_[static_cast<size_t>(svc)] != nullptr;
  }
  DeliveryQueue& queue(int svc) { return *queues_[static_cast<size_t>(svc)]; }
  PerRequest& state(const Request& r);
  void start(int svc, uint64_t id, NodeId agent, const MessageState& m);
  void outcome(Request& r, bool ok);
  void defer(int svc, uint64_t id, NodeId agent, MessageState m);

  Flow& flow_;
  Scheduler& sched_;
  const Platform& platform_;
  DurabilityLedger& ledger_;
  std::vector<std::unique_ptr<DeliveryQueue>> queues_;  // by service; null: no delivery phase
  std::vector<int> stores_;                             // by service: its queue's ledger store
  std::vector<PerRequest> state_;                       // by request slot
  double latest_retry_at_ = 0;
};

}  // namespace mailsim::engine
