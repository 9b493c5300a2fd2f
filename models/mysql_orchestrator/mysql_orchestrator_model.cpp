// mysql_orchestrator's entry in the registry: its checks, its availability rule and its factory.
#include "models/mysql_orchestrator/mysql_orchestrator_model.hpp"

#include <fmt/format.h>

#include "models/mysql_orchestrator/mysql_orchestrator.hpp"

namespace mailsim::models {

namespace {

constexpr const char* kSummary =
    "MySQL primary + async replicas with Orchestrator: instance polling over the network, holistic "
    "DeadMaster analysis confirmed by the replicas, recovery (promotion) gated by "
    "RecoveryPeriodBlockSeconds";

void check(const ComponentCheck& c) {
  MysqlOrchestratorParams p = c.params(mysql_orchestrator_params());
  if (p.orchestrator_node.empty())
    c.fail_param("orchestrator_node", "name the node Orchestrator runs on");
  if (c.topology().find_node(p.orchestrator_node) == nullptr)
    c.fail_param("orchestrator_node",
                 fmt::format("no node '{}' in the topology", p.orchestrator_node));
}

AvailabilityRule availability(const config::ComponentSpec& c, const config::Topology& topo,
                              const std::string&) {
  auto p = ComponentCheck(c, topo).params(mysql_orchestrator_params());
  std::vector<std::string> replicas(c.nodes.begin() + 1, c.nodes.end());
  auto expr = AvailabilityExpr::any_of(
      {AvailabilityExpr::node(c.nodes.front()),
       AvailabilityExpr::all_of({AvailabilityExpr::node(p.orchestrator_node),
                                 AvailabilityExpr::k_of_nodes(1, replicas)})});
  return {expr, fmt::format("the primary {}, or Orchestrator on {} promoting 1 of {} replicas",
                            c.nodes.front(), p.orchestrator_node, replicas.size())};
}

}  // namespace

ModelInfo mysql_orchestrator_model() {
  return make_model<MysqlOrchestrator>("mysql_orchestrator", kSummary, mysql_orchestrator_params(),
                                       mysql_ops().names(), mysql_roles().names(), check,
                                       availability);
}

}  // namespace mailsim::models
