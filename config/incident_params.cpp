#include "config/incident_params.hpp"

namespace mailsim::config {

using P = IncidentParams;

const ParamTable<P>& incident_params() {
  static const ParamTable<P> table(
      "incidents",
      {
          param(&P::min_success, "min_success", "90%", "fraction",
                "a window is bad when fewer than this share of its requests got a good answer (ok and not stalled)",
                "Google Cloud Functions SLA (cloud.google.com/functions/sla): \"Downtime\" means more than a ten "
                "percent Error Rate",
                above("0%", "100%")),
          param(&P::stall, "stall", "1s", "duration",
                "an ok answer slower than this is a stall: the client hung (a SYN retransmission, an NFS hard mount) "
                "and it does not count as good",
                "Nielsen, Response Times: The 3 Important Limits (1993): 1.0 s is the limit for the user's flow of "
                "thought; also RFC 6298 section 2.1's initial RTO, what one lost SYN costs",
                range("1ms", "1d")),
          param(&P::merge_gap, "merge_gap", "5s", "duration",
                "bad stretches separated by fewer seconds than this are one incident (flapping is not a recovery)",
                "mailsim's choice: haproxy's default checks (inter 2s, rise 2) take 4 s to put a server back, so a "
                "shorter recovery is a balancer still settling",
                range("0s", "1d")),
          param(&P::down_below, "down_below", "50%", "fraction",
                "an incident is `down` when fewer than this share of its requests got a good answer, else `degraded`",
                "mailsim's choice: most requests fail; the same line explore and compare draw for a service still "
                "failing at the end of a run",
                range("0%", "100%")),
      });
  return table;
}

}  // namespace mailsim::config
