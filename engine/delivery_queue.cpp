#include "engine/delivery_queue.hpp"

namespace mailsim::engine {

nlohmann::json DeliveryQueue::to_json() const {
  // The retry statistics speak of acceptance by the next hop; here the next hop is the
  // mail store, so they read as deliveries.
  const nlohmann::json r = retries_.to_json();
  return {{"acknowledged", acknowledged_},
          {"delivered", r["accepted"].get<uint64_t>() - lost_after_delivery_},
          {"delivered_after_retry", r["accepted_after_retry"]},
          {"deferred_attempts", r["deferred_attempts"]},
          {"deferred_messages", r["deferred_messages"]},
          {"bounced", r["bounced"]},
          {"duplicates", r["duplicates"]},
          {"queued_at_end", queued_.size()},
          {"store_delay_s", r["delivery_delay_s"]}};
}

}  // namespace mailsim::engine
