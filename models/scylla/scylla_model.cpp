// scylla's entry in the registry: its availability rule and its factory.
#include "models/scylla/scylla_model.hpp"

#include <fmt/format.h>

#include "models/scylla/scylla.hpp"
#include "models/scylla/scylla_logic.hpp"

namespace mailsim::models {

namespace {

constexpr const char* kSummary =
    "ScyllaDB: leaderless replicas, a coordinator per request with a consistency level (ONE, "
    "QUORUM, "
    "ALL), request timeouts, and the gossip phi-accrual failure detector the driver learns from";

void check(const ComponentCheck& c) {
  (void)c.params(scylla_params());
}

AvailabilityRule availability(const config::ComponentSpec& c, const config::Topology& topo,
                              const std::string&) {
  auto p = ComponentCheck(c, topo).params(scylla_params());
  const int k = replicas_needed(p.consistency, static_cast<int>(c.nodes.size()));
  return {AvailabilityExpr::k_of_nodes(k, c.nodes),
          fmt::format("consistency {}: {} of {} replicas", p.consistency, k, c.nodes.size())};
}

}  // namespace

ModelInfo scylla_model() {
  return make_model<Scylla>("scylla", kSummary, scylla_params(), scylla_ops().names(),
                            scylla_roles().names(), check, availability);
}

}  // namespace mailsim::models
