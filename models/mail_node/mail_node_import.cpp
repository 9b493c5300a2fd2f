#include "models/mail_node/mail_node_import.hpp"

#include <fmt/format.h>

#include "config/native/native_values.hpp"
#include "config/native/postfix_main_cf.hpp"

namespace mailsim::models {

namespace native = config::native;

void import_postfix(const NativeFile& file, ImportSink& out) {
  for (const auto& d : native::parse_postfix_main_cf(file.text, file.ref.file)) {
    if (d.keyword == "default_process_limit") {
      // postconf(5): the default maximal number of processes of a master.cf service (its
      // maxproc "-"): smtpd for `smtp`, the delivery agent for `deliver`. dovecot's ops keep
      // `workers`.
      const long long n = native::integer(d, native::single_arg(d), 1, 1'000'000'000);
      out.set("op_workers", fmt::format("{{smtp: {}, deliver: {}}}", n, n), d);
      continue;
    }
    // The node's deferred queue (its delivery into the store). postconf(5) time values take
    // a unit s, m, h, d or w; without one, the parameter's default unit: seconds for the
    // backoffs and queue_run_delay, days for maximal_queue_lifetime.
    if (d.keyword == "queue_run_delay" || d.keyword == "minimal_backoff_time" || d.keyword == "maximal_backoff_time") {
      out.set(d.keyword, duration_text(native::postfix_time(d, 's')), d);
      continue;
    }
    if (d.keyword == "maximal_queue_lifetime") {
      out.set(d.keyword, duration_text(native::postfix_time(d, 'd')), d);
      continue;
    }
    if (d.keyword == "smtp_connect_timeout") {
      out.not_modelled(d, "the node delivers into its store by LMTP or a local agent (the delivery steps), not by "
                          "SMTP to other hosts; a sending MTA's connect timeout is the scenario's client timeout");
      continue;
    }
    out.not_modelled(d, "names, addresses, TLS, restrictions and maps change no failover timing");
  }
}

std::vector<NativeKind> mail_node_native_kinds() {
  return {{"postfix", "Postfix main.cf (postconf(5))", import_postfix}};
}

}  // namespace mailsim::models
