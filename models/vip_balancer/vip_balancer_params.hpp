#pragma once
// Params of a vip_balancer component: keepalived (VRRP) holding a VIP on a pair of nodes,
// and haproxy on each node in front of the `backend` component's instances.
#include <string>
#include <vector>

#include "config/params.hpp"
#include "models/common/names.hpp"
#include "models/vip_balancer/haproxy_check_logic.hpp"
#include "models/common/vrrp_params.hpp"

namespace mailsim::models {

struct VipBalancerParams {
  std::string backend;
  VrrpParams vrrp;  // keepalived (models/common/vrrp_params.hpp)
  // haproxy
  core::Duration inter, fastinter, downinter;
  int rise = 0, fall = 0;
  core::Duration timeout_check, timeout_connect, timeout_server;
  int retries = 0;
  bool redispatch = false;
  std::string balance;
  bool shutdown_sessions = false;
  core::Bytes check_bytes;
  std::string health_check;  // tcp, or a backend endpoint such as patroni_primary
};

const config::ParamTable<VipBalancerParams>& vip_balancer_params();

// Roles a fault can target: the instance the gateway sends VIP traffic to, and a running
// instance that is not VRRP master. Steps name no op (a proxy).
enum class VipBalancerRole { kVipHolder, kBackup };
const NameTable<VipBalancerRole>& vip_balancer_roles();

// haproxy's check config, from parsed params (defaults live only in the table); the VRRP
// config is vrrp_config(p.vrrp, instance).
CheckConfig check_config(const VipBalancerParams& p);

}  // namespace mailsim::models
