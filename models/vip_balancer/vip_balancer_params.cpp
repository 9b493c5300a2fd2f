#include "models/vip_balancer/vip_balancer_params.hpp"

namespace mailsim::models {

using P = VipBalancerParams;
using config::choice;
using config::param;
using config::range;

const config::ParamTable<P>& vip_balancer_params() {
  static const config::ParamTable<P> table(
      "vip_balancer",
      config::join<P>({
          {param(&P::backend, "backend", "", "component", "the component whose instances haproxy forwards to (required)",
                 "mailsim")},
          config::fragment(&P::vrrp, vrrp_param_fields()),  // keepalived, models/common/vrrp_params.cpp
          {
          param(&P::inter, "inter", "2s", "duration", "haproxy health-check interval while the server is UP",
                "haproxy configuration.txt 5.2: inter, default 2000 ms",
                range("1ms", "24d").because("haproxy refuses timers above 2^31 - 1 ms, about 24.8 days: parse_time_err")),
          param(&P::fastinter, "fastinter", "0s", "duration, 0s = inter",
                "check interval while a server is changing state", "haproxy configuration.txt 5.2: fastinter defaults to inter",
                range("1ms", "24d").zero_means("inter").because("haproxy refuses timers above 2^31 - 1 ms, about 24.8 days: parse_time_err")),
          param(&P::downinter, "downinter", "0s", "duration, 0s = inter", "check interval while a server is DOWN",
                "haproxy configuration.txt 5.2: downinter defaults to inter",
                range("1ms", "24d").zero_means("inter").because("haproxy refuses timers above 2^31 - 1 ms, about 24.8 days: parse_time_err")),
          param(&P::rise, "rise", "2", "checks", "consecutive successes to mark a DOWN server UP",
                "haproxy configuration.txt 5.2: rise, default 2",
                range("1", "1000")),
          param(&P::fall, "fall", "3", "checks", "consecutive failures to mark an UP server DOWN",
                "haproxy configuration.txt 5.2: fall, default 3",
                range("1", "1000")),
          param(&P::timeout_check, "timeout_check", "0s", "duration, 0s = unset",
                "extra read timeout of a check; unset: `inter` bounds the whole check",
                "haproxy configuration.txt 4.2: timeout check",
                range("1ms", "24d").zero_means("unset: inter bounds the check").because("haproxy refuses timers above 2^31 - 1 ms, about 24.8 days: parse_time_err")),
          param(&P::timeout_connect, "timeout_connect", "5s", "duration",
                "time to wait for a server's TCP connection", "Debian haproxy package, /etc/haproxy/haproxy.cfg: timeout connect 5000",
                range("1ms", "24d").because("haproxy refuses timers above 2^31 - 1 ms, about 24.8 days: parse_time_err")),
          param(&P::timeout_server, "timeout_server", "50s", "duration",
                "time to wait for a server's answer before a 504",
                "Debian haproxy package, /etc/haproxy/haproxy.cfg: timeout server 50000",
                range("1ms", "24d").because("haproxy refuses timers above 2^31 - 1 ms, about 24.8 days: parse_time_err")),
          param(&P::retries, "retries", "3", "count", "connection retries to a server before giving up (503)",
                "haproxy configuration.txt 4.2: retries, default 3",
                range("0", "1000")),
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
                "mailsim: a TCP connect and close; too small to matter on a LAN",
                range("1B", "1MiB")),
          choice(&P::health_check, "health_check", "tcp", {"tcp", "patroni_primary", "patroni_replica", "patroni_leader"},
                 "what a check asks: tcp = the server accepts connections; patroni_* = Patroni's REST API on 8008 "
                 "answers 200 on /primary, /replica or /leader (option httpchk, http-check expect status 200)",
                 "haproxy configuration.txt 4.2 option httpchk; Patroni docs rest_api.rst and haproxy.cfg example "
                 "(OPTIONS /primary on port 8008)"),
          },
      }));
  return table;
}

const NameTable<VipBalancerRole>& vip_balancer_roles() {
  static const NameTable<VipBalancerRole> roles{{VipBalancerRole::kVipHolder, "vip_holder"},
                                                {VipBalancerRole::kBackup, "backup"}};
  return roles;
}

CheckConfig check_config(const VipBalancerParams& p) {
  // fastinter and downinter default to inter (0s in the table means "as inter").
  return CheckConfig{p.inter.seconds, p.fastinter.seconds > 0 ? p.fastinter.seconds : p.inter.seconds,
                     p.downinter.seconds > 0 ? p.downinter.seconds : p.inter.seconds, p.rise, p.fall};
}

}  // namespace mailsim::models
