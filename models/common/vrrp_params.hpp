#pragma once
// The VRRP params of a keepalived group (models/common/vrrp_group.hpp): one fragment that
// the params tables of vip_balancer and memcached (mode vip) both include, so each default
// and its source is written once.
#include <cstddef>
#include <vector>

#include "config/params.hpp"
#include "models/common/vrrp_logic.hpp"

namespace mailsim::models {

struct VrrpParams {
  int vrrp_version = 0;
  core::Duration advert_int;
  std::vector<int> priority;  // one for all nodes, or one per node in node order
  bool preempt = false;
  core::Duration preempt_delay;
  core::Duration arp_reresolve;
};

// The fragment's fields, in the order the tables show them.
const std::vector<config::ParamField<VrrpParams>>& vrrp_param_fields();

int vrrp_priority(const VrrpParams& p, size_t instance);
// Router `instance` of the group (node order; its primary address is instance + 1).
VrrpConfig vrrp_config(const VrrpParams& p, size_t instance);

}  // namespace mailsim::models
