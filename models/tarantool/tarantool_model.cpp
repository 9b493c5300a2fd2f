// tarantool's entry in the registry: its checks, its availability rule and its factory.
#include "models/tarantool/tarantool_model.hpp"

#include <fmt/format.h>

#include "models/tarantool/tarantool.hpp"

namespace mailsim::models {

namespace {

constexpr const char* kSummary =
    "Tarantool replica set under Cartridge stateful failover: a coordinator's membership (SWIM) "
    "pings, failover_timeout to dead, appointment written to an etcd state provider, instances and "
    "routers following it, optional fencing";

void check(const ComponentCheck& c) {
  TarantoolParams p = c.params(tarantool_params());
  c.referenced("state_provider", p.state_provider, "etcd");
  if (p.coordinator_node.empty()) c.fail_param("coordinator_node", "name the node the failover coordinator runs on");
  if (c.topology().find_node(p.coordinator_node) == nullptr)
    c.fail_param("coordinator_node", fmt::format("no node '{}' in the topology", p.coordinator_node));
  if (p.ack_timeout.seconds * 2 > p.protocol_period.seconds)
    c.fail_param(c.user_gave("ack_timeout") ? "ack_timeout" : "protocol_period",
                 "membership needs 2 x ack_timeout <= protocol_period (a direct and an indirect ping per step)");
}

AvailabilityRule availability(const config::ComponentSpec& c, const config::Topology& topo, const std::string&) {
  using E = AvailabilityExpr;
  auto p = ComponentCheck(c, topo).params(tarantool_params());
  std::vector<std::string> others(c.nodes.begin() + 1, c.nodes.end());
  auto expr = E::any_of({E::node(c.nodes.front()), E::all_of({E::node(p.coordinator_node), E::component(p.state_provider),
                                                               E::k_of_nodes(1, others)})});
  return {expr, fmt::format("the leader {}, or the coordinator on {} with the state provider '{}' appointing 1 of {} "
                            "other instances",
                            c.nodes.front(), p.coordinator_node, p.state_provider, others.size())};
}

}  // namespace

ModelInfo tarantool_model() {
  return make_model<Tarantool>("tarantool", kSummary, tarantool_params(), tarantool_ops().names(),
                               tarantool_roles().names(), check, availability);
}

}  // namespace mailsim::models
