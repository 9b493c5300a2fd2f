#include "models/common/vrrp_params.hpp"

namespace mailsim::models {

using P = VrrpParams;
using config::param;
using config::range;

const std::vector<config::ParamField<P>>& vrrp_param_fields() {
  static const std::vector<config::ParamField<P>> fields = {
      param(&P::vrrp_version, "vrrp_version", "2", "2 or 3",
            "VRRP version: sets the skew time formula",
            "keepalived.conf(5): vrrp_version, default 2",
            range("2", "3").because("keepalived.conf(5): vrrp_version 2 or 3")),
      param(&P::advert_int, "advert_int", "1s", "duration", "VRRP advertisement interval",
            "keepalived.conf(5): advert_int, default 1; RFC 3768 5.3.7",
            range("10ms", "255s").because("RFC 5798 5.2.7: centiseconds in VRRPv3; RFC 3768 5.3.7: at most 255 s in VRRPv2")),
      param(&P::priority, "priority", "100", "integer 1-255, or one per node",
            "VRRP priority; one value for all nodes or one per node in node order",
            "keepalived.conf(5): priority, default 100; RFC 3768 5.3.4",
            range("1", "255").because("RFC 3768 5.3.4: 255 is the address owner")),
      param(&P::preempt, "preempt", "true", "bool",
            "a higher-priority backup takes over from a lower-priority master",
            "keepalived.conf(5): preemption unless nopreempt; RFC 3768 6.1 Preempt_Mode default "
            "true"),
      param(&P::preempt_delay, "preempt_delay", "0s", "duration",
            "a backup that could preempt a lower-priority master waits this long after it started, or after it "
            "first heard that master, before it takes over; 0: at once",
            "keepalived.conf(5): preempt_delay, 0 (default) to 1000 seconds; keepalived vrrp.c vrrp_state_backup",
            range("0s", "1000s").because("keepalived.conf(5): preempt_delay 0 to 1000")),
      param(&P::arp_reresolve, "arp_reresolve", "38s", "duration",
            "how long the gateway keeps sending VIP traffic to a node that dropped the VIP without "
            "a new "
            "gratuitous ARP, before it re-resolves the address and finds the current master",
            "Linux neighbour defaults (ip-sysctl.rst / arp(7)): base_reachable_time 30 s + "
            "delay_first_probe_time 5 s + ucast_solicit 3 x retrans_time 1 s",
            range("0s", "1h")),
  };
  return fields;
}

int vrrp_priority(const VrrpParams& p, size_t instance) {
  return p.priority.size() == 1 ? p.priority[0] : p.priority[instance];
}

VrrpConfig vrrp_config(const VrrpParams& p, size_t instance) {
  // Primary addresses follow node order, so with equal priorities the later-listed node
  // wins the RFC's tie-break (higher address).
  return VrrpConfig{p.vrrp_version, p.advert_int.seconds, vrrp_priority(p, instance), p.preempt,
                    static_cast<int>(instance) + 1, p.preempt_delay.seconds};
}

}  // namespace mailsim::models
