#pragma once
// Params of a memcached component: one instance, a keepalived VIP pair (RuPost can
// configure only one address), or a pool behind mcrouter (VK WorkSpace).
#include <string>
#include <vector>

#include "config/params.hpp"
#include "models/common/names.hpp"
#include "models/common/vrrp_params.hpp"

namespace mailsim::models {

struct MemcachedParams {
  std::string mode;
  core::Duration timeout;
  core::Duration retry_interval;
  core::Fraction hit_ratio;
  core::Duration warmup;
  VrrpParams vrrp;  // mode vip: keepalived (models/common/vrrp_params.hpp)
  core::Duration server_timeout;
  int failures_until_tko = 0;
  core::Duration probe_delay_initial, probe_delay_max;
};

const config::ParamTable<MemcachedParams>& memcached_params();

// A cache step names `get`. Roles a fault can target: the VIP holder and a running backup
// (mode vip), the first running instance (any mode).
enum class MemcachedOp { kGet };
const NameTable<MemcachedOp>& memcached_ops();
enum class MemcachedRole { kVipHolder, kBackup, kAny };
const NameTable<MemcachedRole>& memcached_roles();

}  // namespace mailsim::models
