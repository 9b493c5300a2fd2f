#pragma once
// Postfix's deferred queue (postconf(5)): a sending MTA's retries, for SMTP loads (`sender:
// postfix` in a load entry), and the receiving mail node's own queue, from which it delivers
// into the store (a topology's `delivery:` steps; mail_node's params, from its main.cf). A
// message that gets a 4xx, an error or no answer is deferred and tried again, so a short
// outage delays mail instead of losing it. The rule is qmgr's: after a failed attempt the
// message waits its age (time since it was queued) clamped to [minimal_backoff_time,
// maximal_backoff_time]; the queue manager's scans, every queue_run_delay, pick it up once
// that wait is over; an attempt that fails once the message has been queued
// maximal_queue_lifetime bounces it (engine/message_stats.hpp). Defaults are Postfix's.
#include <vector>

#include "config/params.hpp"

namespace mailsim::config {

struct SenderParams {
  core::Duration queue_run_delay;
  core::Duration minimal_backoff_time;
  core::Duration maximal_backoff_time;
  core::Duration maximal_queue_lifetime;
};

const ParamTable<SenderParams>& sender_params();
// The same fields, for a params table that includes them (mail_node's queue), so each
// default is written once.
const std::vector<ParamField<SenderParams>>& sender_param_fields();

}  // namespace mailsim::config
