#include "config/sender_params.hpp"

namespace mailsim::config {

using P = SenderParams;

const std::vector<ParamField<P>>& sender_param_fields() {
  static const std::vector<ParamField<P>> fields = {
      param(&P::queue_run_delay, "queue_run_delay", "300s", "duration",
            "how often the queue manager scans the deferred queue: a deferred message is tried "
            "again at the first "
            "scan after its wait is over",
            "postconf(5): queue_run_delay = 300s", above("0s", "1d")),
      param(&P::minimal_backoff_time, "minimal_backoff_time", "300s", "duration",
            "the shortest wait of a deferred message: after a failed attempt it waits its age "
            "(time since it was "
            "queued), clamped to [minimal_backoff_time, maximal_backoff_time]",
            "postconf(5): minimal_backoff_time = 300s (Postfix >= 2.4); the age rule: Postfix "
            "src/qmgr/qmgr_active.c (a deferred message's delay is its time in queue, clamped)",
            above("0s", "1d")),
      param(&P::maximal_backoff_time, "maximal_backoff_time", "4000s", "duration",
            "the longest wait of a deferred message (the clamp's upper bound)",
            "postconf(5): maximal_backoff_time = 4000s", above("0s", "1d")),
      param(&P::maximal_queue_lifetime, "maximal_queue_lifetime", "5d", "duration",
            "a message whose attempt fails when it has been queued this long bounces",
            "postconf(5): maximal_queue_lifetime = 5d; src/qmgr/qmgr_active.c bounces when now >= "
            "queued + maximal_queue_lifetime",
            above("0s", "100d").zero_means("one delivery attempt only, postconf(5)")),
  };
  return fields;
}

const ParamTable<P>& sender_params() {
  static const ParamTable<P> table("sender", sender_param_fields());
  return table;
}

}  // namespace mailsim::config
