#pragma once
// Params of a memcached component: one instance, a keepalived VIP pair (RuPost can
// configure only one address), or a pool behind mcrouter (VK WorkSpace).
#include <string>
#include <vector>

#include "config/params.hpp"

namespace mailsim::models {

struct MemcachedParams {
  std::string mode;
  core::Duration timeout;
  core::Duration retry_interval;
  core::Fraction hit_ratio;
  core::Duration warmup;
  core::Duration advert_int;
  std::vector<int> priority;
  core::Duration server_timeout;
  int failures_until_tko = 0;
  core::Duration probe_delay_initial, probe_delay_max;
};

const config::ParamTable<MemcachedParams>& memcached_params();

}  // namespace mailsim::models
