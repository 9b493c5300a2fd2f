#pragma once
// Params of a vip_balancer component: keepalived (VRRP) holding a VIP on a pair of nodes,
// and haproxy on each node in front of the `backend` component's instances.
#include <string>
#include <vector>

#include "config/params.hpp"

namespace mailsim::models {

struct VipBalancerParams {
  std::string backend;
  // keepalived / VRRP
  int vrrp_version = 0;
  core::Duration advert_int;
  std::vector<int> priority;
  bool preempt = false;
  // haproxy
  core::Duration inter, fastinter, downinter;
  int rise = 0, fall = 0;
  core::Duration timeout_check, timeout_connect, timeout_server;
  int retries = 0;
  bool redispatch = false;
  std::string balance;
  bool shutdown_sessions = false;
  core::Bytes check_bytes;
  core::Duration arp_reresolve;
  std::string health_check;  // tcp, or a backend endpoint such as patroni_primary
};

const config::ParamTable<VipBalancerParams>& vip_balancer_params();

}  // namespace mailsim::models
