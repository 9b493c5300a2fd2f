#pragma once
// Step plug-in for a load's `sender:`: the clients are MTAs that retry. Each arrival is a
// new message; each attempt is a client request. The sending MTA gives up on an attempt at
// its timeout and defers the message, whatever the server does later (a late success is
// then a duplicate delivery), and retries it on Postfix's deferred-queue schedule
// (MessageStats) until it is accepted or bounces after maximal_queue_lifetime.
#include <cstdint>
#include <memory>
#include <vector>

#include "config/sender_params.hpp"
#include "engine/flow.hpp"
#include "engine/message_stats.hpp"

namespace mailsim::engine {

class MtaSenders final : public FlowFeature {
 public:
  MtaSenders(Flow& flow, Scheduler& sched) : flow_(flow), sched_(sched) {}
  // Service svc's clients are MTAs with these settings; their retries draw from `rng`.
  void add_service(int svc, const config::SenderParams& sender, core::RngStream rng);
  bool serves(int svc) const {
    return static_cast<size_t>(svc) < stats_.size() && stats_[static_cast<size_t>(svc)] != nullptr;
  }

  // A new message of service svc: its first attempt starts now.
  void start(int svc);

  bool on_finish(Request& r, Outcome o) override;
  int64_t pending() const override;
  double latest_due() const override { return latest_retry_at_; }
  void report(int svc, nlohmann::json& service) const override;

 private:
  struct Attempt {
    MessageState message;  // the message this attempt carries
    bool decided = false;  // the sender already decided this attempt's fate
  };
  void attempt(int svc, const MessageState& m);
  void outcome(Request& r, bool ok);

  Flow& flow_;
  Scheduler& sched_;
  std::vector<std::unique_ptr<MessageStats>> stats_;  // by service; null: not MTA clients
  std::vector<Attempt> attempt_of_;                   // by request slot
  double latest_retry_at_ = 0;
};

}  // namespace mailsim::engine
