// etcd's entry in the registry: its checks, its availability rule and its factory.
#include "models/etcd/etcd_model.hpp"

#include <fmt/format.h>

#include "models/etcd/etcd.hpp"
#include "models/etcd/etcd_import.hpp"

namespace mailsim::models {

namespace {

constexpr const char* kSummary =
    "etcd: Raft (pre-vote, check-quorum, randomized election timeout) with a key space and TTL "
    "leases";

void check(const ComponentCheck& c) {
  EtcdParams p = c.params(etcd_params());
  // etcd refuses to start otherwise (server/embed/config.go: election timeout >= 5 x heartbeat).
  if (p.election_timeout.seconds < 5 * p.heartbeat_interval.seconds)
    c.fail_param("election_timeout",
                 "election_timeout must be at least 5 x heartbeat_interval (etcd's own check)");
}

AvailabilityRule availability(const config::ComponentSpec& c, const config::Topology&,
                              const std::string&) {
  const int q = majority(c.nodes.size());
  return {AvailabilityExpr::k_of_nodes(q, c.nodes),
          fmt::format("Raft: a majority, {} of {} members", q, c.nodes.size())};
}

}  // namespace

// No ops: etcd is not on the request path; patroni_postgres uses it as its DCS.
ModelInfo etcd_model() {
  ModelInfo m = make_model<Etcd>("etcd", kSummary, etcd_params(), {}, etcd_roles().names(), check,
                                 availability);
  m.native = etcd_native_kinds();
  return m;
}

}  // namespace mailsim::models
