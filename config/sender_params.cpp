#include "config/sender_params.hpp"

namespace mailsim::config {

using P = SenderParams;

const ParamTable<P>& sender_params() {
  static const ParamTable<P> table(
      "sender",
      {
          param(&P::queue_run_delay, "queue_run_delay", "300s", "duration",
                "how often the queue manager scans the deferred queue", "postconf(5): queue_run_delay = 300s",
                above("0s", "1d")),
          param(&P::minimal_backoff_time, "minimal_backoff_time", "300s", "duration",
                "the wait before the first retry of a deferred message; doubles after each failed attempt",
                "postconf(5): minimal_backoff_time = 300s (Postfix >= 2.4)",
                above("0s", "1d")),
          param(&P::maximal_backoff_time, "maximal_backoff_time", "4000s", "duration",
                "the longest wait between attempts", "postconf(5): maximal_backoff_time = 4000s",
                above("0s", "1d")),
          param(&P::maximal_queue_lifetime, "maximal_queue_lifetime", "5d", "duration",
                "a message still undelivered this long after its first attempt bounces",
                "postconf(5): maximal_queue_lifetime = 5d",
                above("0s", "100d").zero_means("one delivery attempt only, postconf(5)")),
      });
  return table;
}

}  // namespace mailsim::config
