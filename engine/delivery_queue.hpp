#pragma once
// The receiving side's mail queue for a service with a delivery phase (topology `queue:`
// and `delivery:`): a message is queued when the client gets its 250 and leaves the queue
// when a delivery attempt stores it. A failed attempt is deferred and retried on Postfix's
// deferred-queue schedule (the same rules as a sending MTA's: MessageStats), so a store
// outage delays delivery instead of losing mail. A model that loses a queued message (an
// async database failover) removes it; DeliveryPhase reports it to the durability ledger.
// No SimGrid here.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_set>

#include "config/sender_params.hpp"
#include "engine/message_stats.hpp"

namespace mailsim::engine {

// Postfix lmtp_data_done_timeout / smtp_data_done_timeout (postconf(5)): how long the
// delivery agent waits for the store's final answer before it gives up and defers.
inline constexpr double kDeliveryTimeoutS = 600;
// How long a run goes on after its load for queued mail to be delivered (mailsim's choice:
// long enough for several Postfix retries, short enough for runs with a store lost for good).
inline constexpr double kDeliveryDrainS = 3600;

class DeliveryQueue {
 public:
  // One server's queue manager scans its deferred queue at one phase.
  DeliveryQueue(config::SenderParams p, core::RngStream rng) : retries_(p, rng, MessageStats::Phase::kShared) {}

  uint64_t next_id() { return ++last_id_; }
  void queued(uint64_t id) {
    queued_.insert(id);
    ++acknowledged_;
  }
  bool holds(uint64_t id) const { return queued_.count(id) != 0; }
  void delivered(uint64_t id, const MessageState& m, double now) {
    queued_.erase(id);
    retries_.accepted(m, now);
  }
  // The next attempt's time, or nullopt when the message bounces (it leaves the queue).
  std::optional<double> deferred(uint64_t id, MessageState& m, double now) {
    auto at = retries_.deferred(m, now);
    if (!at) queued_.erase(id);
    return at;
  }
  void retry_started() { retries_.retry_started(); }
  void duplicate() { retries_.duplicate(); }  // stored after the agent gave up on it
  // A failover lost the message's queue insert. If it was delivered already, the store
  // write came later on the same timeline and is gone too: it no longer counts as delivered.
  void lost(uint64_t id) {
    if (queued_.erase(id) == 0) ++lost_after_delivery_;
  }
  MessageState first(double now) { return retries_.first(now); }
  int64_t in_queue() const { return static_cast<int64_t>(queued_.size()); }

  nlohmann::json to_json() const;

 private:
  MessageStats retries_;
  std::unordered_set<uint64_t> queued_;
  uint64_t last_id_ = 0, acknowledged_ = 0, lost_after_delivery_ = 0;
};

}  // namespace mailsim::engine
