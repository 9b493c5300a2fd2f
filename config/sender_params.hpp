#pragma once
// A sending MTA's retry behaviour, for SMTP loads (`sender: postfix` in a load entry):
// a message that gets a 4xx, an error or no answer is deferred and tried again, so a
// short outage delays mail instead of losing it. Defaults are Postfix's (postconf(5)).
#include "config/params.hpp"

namespace mailsim::config {

struct SenderParams {
  core::Duration queue_run_delay;
  core::Duration minimal_backoff_time;
  core::Duration maximal_backoff_time;
  core::Duration maximal_queue_lifetime;
};

const ParamTable<SenderParams>& sender_params();

}  // namespace mailsim::config
