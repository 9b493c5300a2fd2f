// memcached's entry in the registry: its checks, its availability rule and its factory.
#include "models/memcached/memcached_model.hpp"

#include <fmt/format.h>

#include "models/common/keepalived_import.hpp"
#include "models/memcached/memcached.hpp"

namespace mailsim::models {

namespace {

constexpr const char* kSummary =
    "memcached cache step: one server, a keepalived VIP pair, or an mcrouter pool; a miss or a "
    "dead cache falls "
    "back to the next step";

void check(const ComponentCheck& c) {
  MemcachedParams p = c.params(memcached_params());
  if (p.mode == "single" && c.node_count() != 1)
    c.fail(fmt::format("mode single runs on one node ({} given); use vip or mcrouter",
                       c.node_count()));
  if (p.mode == "vip") {
    if (c.node_count() < 2) c.fail("mode vip needs two nodes");
    check_vrrp(c, p.vrrp);
  }
  c.require_caller();
  for (const auto& call : c.calls())
    if (call.step.fallback &&
        call.index + static_cast<size_t>(call.step.on_hit_skip) >= call.service.accept_steps())
      throw core::InputError(
          call.step.mark, fmt::format("service '{}': a `fallback` cache step needs a next step to "
                                      "fall back to",
                                      call.service.name));
}

AvailabilityRule availability(const config::ComponentSpec& c, const config::Topology& topo,
                              const std::string&) {
  auto p = ComponentCheck(c, topo).params(memcached_params());
  if (p.mode == "vip")
    return {AvailabilityExpr::k_of_nodes(1, c.nodes),
            fmt::format("keepalived VIP: 1 of {} nodes", c.nodes.size())};
  if (p.mode == "mcrouter")
    return {AvailabilityExpr::k_of_nodes(static_cast<int>(c.nodes.size()), c.nodes),
            fmt::format("mcrouter hashes keys over all {} nodes: a dead node fails its share of "
                        "keys (all needed "
                        "unless the step has `fallback`)",
                        c.nodes.size())};
  return {AvailabilityExpr::k_of_nodes(1, c.nodes),
          "one memcached address: its node is needed (unless the step has `fallback`)"};
}

}  // namespace

ModelInfo memcached_model() {
  ModelInfo m = make_model<Memcached>("memcached", kSummary, memcached_params(), memcached_ops().names(),
                                      memcached_roles().names(), check, availability);
  m.step_roles.cache = true;  // a hit answers for the steps a `fallback` step skips
  m.native = {keepalived_kind()};  // mode vip
  return m;
}

}  // namespace mailsim::models
