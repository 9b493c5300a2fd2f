// vip_balancer's entry in the registry: its checks, its availability rule and its factory.
#include "models/vip_balancer/vip_balancer_model.hpp"

#include <fmt/format.h>

#include "models/vip_balancer/vip_balancer.hpp"
#include "models/vip_balancer/vip_balancer_import.hpp"

namespace mailsim::models {

namespace {

constexpr const char* kSummary =
    "keepalived (VRRP) VIP on a node group + haproxy health-checking a backend component";

void check(const ComponentCheck& c) {
  VipBalancerParams p = c.params(vip_balancer_params());
  const config::ComponentSpec& backend = c.referenced("backend", p.backend);
  if (backend.name == c.spec().name)
    c.fail_param("backend", "a balancer cannot be its own backend");
  check_vrrp(c, p.vrrp);
  // haproxy forwards to the next step: every service through this balancer must call the
  // backend right after it.
  c.require_next_step("balancer", "backend", p.backend);
}

AvailabilityRule availability(const config::ComponentSpec& c, const config::Topology& topo,
                              const std::string&) {
  auto p = ComponentCheck(c, topo).params(vip_balancer_params());
  return {AvailabilityExpr::all_of(
              {AvailabilityExpr::k_of_nodes(1, c.nodes), AvailabilityExpr::component(p.backend)}),
          fmt::format(
              "VRRP moves the VIP to any live node (1 of {}); haproxy needs a live backend '{}'",
              c.nodes.size(), p.backend)};
}

}  // namespace

ModelInfo vip_balancer_model() {
  ModelInfo m = make_model<VipBalancer>("vip_balancer", kSummary, vip_balancer_params(), proxy_ops(),
                                        vip_balancer_roles().names(), check, availability);
  m.native = vip_balancer_native_kinds();
  return m;
}

}  // namespace mailsim::models
