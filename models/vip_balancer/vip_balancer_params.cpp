#include "models/vip_balancer/vip_balancer_params.hpp"

namespace mailsim::models {

using P = VipBalancerParams;
using config::choice;
using config::param;

const config::ParamTable<P>& vip_balancer_params() {
  static const config::ParamTable<P> table(
      "vip_balancer",
      {
          param(&P::backend, "backend", "", "component",
                "the component whose instances haproxy forwards to (required)", "mailsim"),
          param(&P::vrrp_version, "vrrp_version", "2", "2 or 3",
                "VRRP version: sets the skew time formula", "keepalived.conf(5): vrrp_version, default 2"),
          param(&P::advert_int, "advert_int", "1s", "duration", "VRRP advertisement interval",
                "keepalived.conf(5): advert_int, default 1; RFC 3768 5.3.7"),
          param(&P::priority, "priority", "100", "integer 1-255, or one per node",
                "VRRP priority; one value for all nodes or one per node in node order",
                "keepalived.conf(5): priority, default 100; RFC 3768 5.3.4"),
          param(&P::preempt, "preempt", "true", "bool",
                "a higher-priority backup takes over from a lower-priority master",
                "keepalived.conf(5): preemption unless nopreempt; RFC 3768 6.1 Preempt_Mode default true"),
          param(&P::inter, "inter", "2s", "duration", "haproxy health-check interval while the server is UP",
                "haproxy configuration.txt 5.2: inter, default 2000 ms"),
          param(&P::fastinter, "fastinter", "0s", "duration, 0s = inter",
                "check interval while a server is changing state", "haproxy configuration.txt 5.2: fastinter defaults to inter"),
          param(&P::downinter, "downinter", "0s", "duration, 0s = inter", "check interval while a server is DOWN",
                "haproxy configuration.txt 5.2: downinter defaults to inter"),
          param(&P::rise, "rise", "2", "checks", "consecutive successes to mark a DOWN server UP",
                "haproxy configuration.txt 5.2: rise, default 2"),
          param(&P::fall, "fall", "3", "checks", "consecutive failures to mark an UP server DOWN",
                "haproxy configuration.txt 5.2: fall, default 3"),
          param(&P::timeout_check, "timeout_check", "0s", "duration, 0s = unset",
                "extra read timeout of a check; unset: `inter` bounds the whole check",
                "haproxy configuration.txt 4.2: timeout check"),
          param(&P::timeout_connect, "timeout_connect", "5s", "duration",
                "time to wait for a server's TCP connection", "Debian haproxy package, /etc/haproxy/haproxy.cfg: timeout connect 5000"),
          param(&P::timeout_server, "timeout_server", "50s", "duration",
                "time to wait for a server's answer before a 504",
                "Debian haproxy package, /etc/haproxy/haproxy.cfg: timeout server 50000"),
          param(&P::retries, "retries", "3", "count", "connection retries to a server before giving up (503)",
                "haproxy configuration.txt 4.2: retries, default 3"),
          param(&P::redispatch, "redispatch", "false", "bool", "the last retry goes to another server",
                "haproxy configuration.txt 4.2: option redispatch, off by default"),
          choice(&P::balance, "balance", "roundrobin", {"roundrobin", "leastconn", "user_hash"},
                 "load-balancing algorithm; `user_hash` pins each user (a session's owner, `session.users` in the "
                 "load) to one server while it is up, then the next one up, as dovecot director does for IMAP; "
                 "requests outside sessions hash their sequence number",
                 "haproxy configuration.txt 4.2: balance, default roundrobin; dovecot director (doc.dovecot.org, "
                 "Director)"),
          param(&P::shutdown_sessions, "shutdown_sessions", "false", "bool",
                "on-marked-down shutdown-sessions: kill a server's sessions when it is marked DOWN",
                "haproxy configuration.txt 5.2: on-marked-down, no action by default"),
          param(&P::check_bytes, "check_bytes", "64B", "size", "size of one health check probe and its answer",
                "mailsim: a TCP connect and close; too small to matter on a LAN"),
          param(&P::arp_reresolve, "arp_reresolve", "38s", "duration",
                "how long the gateway keeps sending VIP traffic to a node that dropped the VIP without a new "
                "gratuitous ARP, before it re-resolves the address and finds the current master",
                "Linux neighbour defaults (ip-sysctl.rst / arp(7)): base_reachable_time 30 s + "
                "delay_first_probe_time 5 s + ucast_solicit 3 x retrans_time 1 s"),
          choice(&P::health_check, "health_check", "tcp", {"tcp", "patroni_primary", "patroni_replica", "patroni_leader"},
                 "what a check asks: tcp = the server accepts connections; patroni_* = Patroni's REST API on 8008 "
                 "answers 200 on /primary, /replica or /leader (option httpchk, http-check expect status 200)",
                 "haproxy configuration.txt 4.2 option httpchk; Patroni docs rest_api.rst and haproxy.cfg example "
                 "(OPTIONS /primary on port 8008)"),
      });
  return table;
}

const NameTable<VipBalancerRole>& vip_balancer_roles() {
  static const NameTable<VipBalancerRole> roles{{VipBalancerRole::kVipHolder, "vip_holder"},
                                                {VipBalancerRole::kBackup, "backup"}};
  return roles;
}

VrrpConfig vrrp_config(const VipBalancerParams& p, size_t instance) {
  // Primary addresses follow node order, so with equal priorities the later-listed node
  // wins the RFC's tie-break (higher address).
  const int priority = p.priority.size() == 1 ? p.priority[0] : p.priority[instance];
  return VrrpConfig{p.vrrp_version, p.advert_int.seconds, priority, p.preempt, static_cast<int>(instance) + 1};
}

CheckConfig check_config(const VipBalancerParams& p) {
  // fastinter and downinter default to inter (0s in the table means "as inter").
  return CheckConfig{p.inter.seconds, p.fastinter.seconds > 0 ? p.fastinter.seconds : p.inter.seconds,
                     p.downinter.seconds > 0 ? p.downinter.seconds : p.inter.seconds, p.rise, p.fall};
}

}  // namespace mailsim::models
