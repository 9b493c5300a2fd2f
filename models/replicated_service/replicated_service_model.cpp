// replicated_service's entry in the registry: its checks, its availability rule and its factory.
#include "models/replicated_service/replicated_service_model.hpp"

#include <fmt/format.h>

#include "models/replicated_service/replicated_service.hpp"

namespace mailsim::models {

namespace {

constexpr const char* kSummary =
    "generic replicated service (Tarantool, MySQL + Orchestrator, Scylla, ...): active-passive "
    "with detection "
    "+ promotion delays, or k-of-n quorum; every default an assumption";

void check(const ComponentCheck& c) {
  ReplicatedServiceParams p = c.params(replicated_service_params());
  if (p.quorum > static_cast<int>(c.node_count()))
    c.fail_param("quorum",
                 fmt::format("quorum {} is more than the {} instances", p.quorum, c.node_count()));
  if (p.mode != "quorum" && c.user_gave("quorum"))
    c.fail_param("quorum", "quorum is for mode quorum");
}

AvailabilityRule availability(const config::ComponentSpec& c, const config::Topology& topo,
                              const std::string&) {
  auto p = ComponentCheck(c, topo).params(replicated_service_params());
  if (p.mode == "quorum") {
    const int q = p.quorum > 0 ? p.quorum : majority(c.nodes.size());
    return {AvailabilityExpr::k_of_nodes(q, c.nodes),
            fmt::format("quorum: {} of {} instances", q, c.nodes.size())};
  }
  return {AvailabilityExpr::k_of_nodes(1, c.nodes),
          fmt::format("active/passive: the manager promotes a live instance (1 of {})",
                      c.nodes.size())};
}

}  // namespace

ModelInfo replicated_service_model() {
  return make_model<ReplicatedService>("replicated_service", kSummary, replicated_service_params(),
                                       replicated_service_ops().names(),
                                       replicated_service_roles().names(), check, availability);
}

}  // namespace mailsim::models
