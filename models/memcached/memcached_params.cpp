#include "models/memcached/memcached_params.hpp"

namespace mailsim::models {

using P = MemcachedParams;
using config::choice;
using config::param;
using config::range;

const config::ParamTable<P>& memcached_params() {
  static const config::ParamTable<P> table(
      "memcached",
      config::join<P>({
          {
          choice(&P::mode, "mode", "single", {"single", "vip", "mcrouter"},
                 "single: one address; vip: keepalived VRRP moves one address between the nodes; mcrouter: each "
                 "user's key placed on one node by consistent hashing (ketama) in a local mcrouter",
                 "seeds/DIGEST.md: RuPost takes one memcached address (VIP pair); VK uses mcrouter"),
          param(&P::timeout, "timeout", "1s", "duration",
                "client wait for a server's answer before treating it as failed (single, vip)",
                "Roundcube config/defaults.inc.php: memcache_timeout = 1",
                range("1ms", "1h")),
          param(&P::retry_interval, "retry_interval", "15s", "duration",
                "a failed server is skipped this long; lookups go to the fallback meanwhile (single, vip)",
                "Roundcube config/defaults.inc.php: memcache_retry_interval = 15",
                range("0s", "1d")),
          param(&P::hit_ratio, "hit_ratio", "90%", "fraction", "share of lookups a warm cache answers",
                "assumption: the article gives no figure; set from the cache's stats (get_hits / cmd_get)",
                range("0", "100%")),
          param(&P::warmup, "warmup", "60s", "duration",
                "an empty cache (restart, or a VIP backup that never served) refills linearly over this time",
                "assumption",
                range("0s", "1d")),
          },
          config::fragment(&P::vrrp, vrrp_param_fields()),  // mode vip: keepalived, models/common/vrrp_params.cpp
          {
          param(&P::server_timeout, "server_timeout", "1s", "duration", "mcrouter's wait for a server's reply",
                "mcrouter command-line options: --server-timeout (server_timeout_ms), default 1000 ms",
                range("1ms", "1h")),
          param(&P::failures_until_tko, "failures_until_tko", "3", "timeouts",
                "consecutive timeouts after which mcrouter marks a server TKO and fails its requests fast",
                "mcrouter command-line options: --timeouts-until-tko, default 3; ECONNREFUSED is a hard TKO at once (mcrouter wiki: Features)",
                range("1", "1000")),
          param(&P::probe_delay_initial, "probe_delay_initial", "10s", "duration",
                "wait before mcrouter's first probe (a version request over the network, answered within server_timeout) of a TKO server",
                "mcrouter command-line options: --probe-timeout-initial (probe_delay_initial_ms), default 10000 ms",
                range("1ms", "1d")),
          param(&P::probe_delay_max, "probe_delay_max", "60s", "duration", "longest wait between probes",
                "mcrouter command-line options: --probe-timeout-max (probe_delay_max_ms), default 60000 ms",
                range("1ms", "1d")),
          },
      }));
  return table;
}

const NameTable<MemcachedOp>& memcached_ops() {
  static const NameTable<MemcachedOp> ops{{MemcachedOp::kGet, "get"}};
  return ops;
}

const NameTable<MemcachedRole>& memcached_roles() {
  static const NameTable<MemcachedRole> roles{
      {MemcachedRole::kVipHolder, "vip_holder"}, {MemcachedRole::kBackup, "backup"}, {MemcachedRole::kAny, "any"}};
  return roles;
}

}  // namespace mailsim::models
