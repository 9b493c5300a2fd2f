// cockroachdb's entry in the registry: its checks, its availability rule and its factory.
#include "models/cockroachdb/cockroachdb_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "models/cockroachdb/cockroachdb.hpp"

namespace mailsim::models {

namespace {

constexpr const char* kSummary =
    "CockroachDB: ranges as Raft groups (pre-vote, check-quorum), epoch-based leases tied to node "
    "liveness, "
    "requests forwarded to the leaseholder";

void check(const ComponentCheck& c) {
  CockroachDbParams p = c.params(cockroachdb_params());
  const int n = static_cast<int>(c.node_count());
  // CockroachDB's own guidance (recommended-production-settings): at least 3 nodes, so a
  // range of 3 replicas survives one node.
  if (n < 3) c.fail(fmt::format("cockroachdb needs at least 3 nodes (has {})", n));
  if (p.replication_factor > n)
    c.fail_param("replication_factor", fmt::format("replication_factor {} is more than the {} "
                                                   "nodes: replicas of a range need distinct nodes",
                                                   p.replication_factor, n));
  // etcd-io/raft Config.validate: "election tick must be greater than heartbeat tick".
  if (p.raft_election_timeout_ticks <= p.raft_heartbeat_interval_ticks)
    c.fail_param("raft_election_timeout_ticks",
                 "raft_election_timeout_ticks must be greater than raft_heartbeat_interval_ticks "
                 "(etcd-io/raft's check)");
  if (p.liveness_heartbeat_interval.seconds >= p.liveness_ttl.seconds)
    c.fail_param("liveness_heartbeat_interval",
                 "liveness_heartbeat_interval must be shorter than liveness_ttl (a live node must "
                 "renew its record before it expires)");
}

AvailabilityRule availability(const config::ComponentSpec& c, const config::Topology& topo,
                              const std::string&) {
  // Every range (and the liveness range, on which all epoch-based leases depend) needs a
  // majority of its replicas: placement as in models/cockroachdb/cockroachdb_logic.cpp.
  auto p = ComponentCheck(c, topo).params(cockroachdb_params());
  const int n = static_cast<int>(c.nodes.size());
  const int rf = std::min(p.replication_factor, n);
  CrdbLogic layout(n, p.ranges, rf, p.liveness_ttl.seconds);
  std::set<std::vector<std::string>> seen;
  std::vector<AvailabilityExpr> terms;
  for (int g = 0; g < layout.groups(); ++g) {
    std::vector<std::string> names;
    for (int i : layout.replicas(g)) names.push_back(c.nodes[static_cast<size_t>(i)]);
    std::sort(names.begin(), names.end());
    if (seen.insert(names).second)
      terms.push_back(AvailabilityExpr::k_of_nodes(layout.quorum(), names));
  }
  return {AvailabilityExpr::all_of(std::move(terms)),
          fmt::format("CockroachDB: a majority ({} of {}) of every range's replicas, the liveness "
                      "range included",
                      layout.quorum(), rf)};
}

}  // namespace

ModelInfo cockroachdb_model() {
  return make_model<CockroachDb>("cockroachdb", kSummary, cockroachdb_params(), data_ops().names(),
                                 cockroachdb_roles().names(), check, availability);
}

}  // namespace mailsim::models
