#include "models/common/lost_commits.hpp"

#include "engine/flow.hpp"
#include "engine/step_features.hpp"

namespace mailsim::models {

void LostCommits::add(int service, uint64_t message, double acknowledged_at) {
  ctx_.ledger.lost(store_, service, acknowledged_at);
  ++commits_;
  if (message == 0) return;
  ctx_.features.delivery.message_lost(service, message, acknowledged_at);
  ++messages_[service];
}

uint64_t LostCommits::report(const std::string& component, const std::string& cause) {
  for (const auto& [svc, n] : messages_)
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kMailLost,
                     {{"component", component}, {"service", ctx_.flow.service(svc).name}, {"count", n}, {"cause", cause}});
  return commits_;
}

}  // namespace mailsim::models
