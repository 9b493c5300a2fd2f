#include "models/availability.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "models/cockroachdb/cockroachdb_logic.hpp"
#include "models/cockroachdb/cockroachdb_params.hpp"
#include "models/memcached/memcached_params.hpp"
#include "models/nfs/nfs_params.hpp"
#include "models/patroni_postgres/patroni_postgres_params.hpp"
#include "models/pgbouncer/pgbouncer_params.hpp"
#include "models/replicated_service/replicated_service_params.hpp"
#include "models/vip_balancer/vip_balancer_params.hpp"
#include "config/yaml_reader.hpp"

namespace mailsim::models {

using E = AvailabilityExpr;

E E::node(std::string n) {
  E e;
  e.kind = Kind::kNode;
  e.name = std::move(n);
  return e;
}

E E::component(std::string c) {
  E e;
  e.kind = Kind::kComponent;
  e.name = std::move(c);
  return e;
}

E E::at_least(int k, std::vector<E> of) {
  E e;
  e.kind = Kind::kAtLeast;
  e.k = k;
  e.of = std::move(of);
  return e;
}

E E::all_of(std::vector<E> of) {
  int n = static_cast<int>(of.size());
  return at_least(n, std::move(of));
}

E E::any_of(std::vector<E> of) { return at_least(1, std::move(of)); }

E E::k_of_nodes(int k, const std::vector<std::string>& nodes) {
  std::vector<E> of;
  for (const auto& n : nodes) of.push_back(node(n));
  return at_least(k, std::move(of));
}

std::string E::describe() const {
  switch (kind) {
    case Kind::kNode:
      return name;
    case Kind::kComponent:
      return "component " + name;
    case Kind::kAtLeast:
      break;
  }
  if (of.size() == 1 && k == 1) return of[0].describe();
  std::vector<std::string> parts;
  bool all_nodes = true;
  for (const auto& e : of) {
    parts.push_back(e.describe());
    all_nodes = all_nodes && e.kind == Kind::kNode;
  }
  if (k == static_cast<int>(of.size()) && !all_nodes) {
    std::vector<std::string> wrapped;
    for (const auto& p : parts) wrapped.push_back(p.find(' ') != std::string::npos && p.rfind("component ", 0) != 0 ? "(" + p + ")" : p);
    return fmt::format("{}", fmt::join(wrapped, " AND "));
  }
  if (k == 1 && !all_nodes) return fmt::format("({})", fmt::join(parts, " OR "));
  return fmt::format("{} of {{{}}}", k, fmt::join(parts, ", "));
}

namespace {

config::YamlReader reader_for(const config::Topology& topo) { return config::YamlReader(topo.file); }

int majority(size_t n) { return static_cast<int>(n / 2 + 1); }

AvailabilityRule vip_balancer_rule(const config::ComponentSpec& c, const config::Topology& topo, const std::string&) {
  auto p = vip_balancer_params().parse(c.params, reader_for(topo));
  return {E::all_of({E::k_of_nodes(1, c.nodes), E::component(p.backend)}),
          fmt::format("VRRP moves the VIP to any live node (1 of {}); haproxy needs a live backend '{}'", c.nodes.size(),
                      p.backend)};
}

AvailabilityRule mail_node_rule(const config::ComponentSpec& c, const config::Topology&, const std::string&) {
  return {E::k_of_nodes(1, c.nodes),
          fmt::format("stateless workers: 1 of {} nodes (the balancer or client picks a live one)", c.nodes.size())};
}

AvailabilityRule etcd_rule(const config::ComponentSpec& c, const config::Topology&, const std::string&) {
  int q = majority(c.nodes.size());
  return {E::k_of_nodes(q, c.nodes), fmt::format("Raft: a majority, {} of {} members", q, c.nodes.size())};
}

AvailabilityRule cockroachdb_rule(const config::ComponentSpec& c, const config::Topology& topo, const std::string&) {
  // Every range (and the liveness range, on which all epoch-based leases depend) needs a
  // majority of its replicas: placement as in models/cockroachdb/cockroachdb_logic.cpp.
  auto p = cockroachdb_params().parse(c.params, reader_for(topo));
  const int n = static_cast<int>(c.nodes.size());
  const int rf = std::min(p.replication_factor, n);
  CrdbLogic layout(n, p.ranges, rf, p.liveness_ttl.seconds);
  std::set<std::vector<std::string>> seen;
  std::vector<E> terms;
  for (int g = 0; g < layout.groups(); ++g) {
    std::vector<std::string> names;
    for (int i : layout.replicas(g)) names.push_back(c.nodes[static_cast<size_t>(i)]);
    std::sort(names.begin(), names.end());
    if (seen.insert(names).second) terms.push_back(E::k_of_nodes(layout.quorum(), names));
  }
  return {E::all_of(std::move(terms)),
          fmt::format("CockroachDB: a majority ({} of {}) of every range's replicas, the liveness range included",
                      layout.quorum(), rf)};
}

AvailabilityRule patroni_rule(const config::ComponentSpec& c, const config::Topology& topo, const std::string&) {
  auto p = patroni_postgres_params().parse(c.params, reader_for(topo));
  E base = E::all_of({E::component(p.dcs), E::k_of_nodes(1, c.nodes)});
  if (!p.failsafe_mode)
    return {base, fmt::format("Patroni: the DCS '{}' for the leader key AND 1 of {} PostgreSQL nodes (the primary "
                              "demotes itself when it cannot renew the key)",
                              p.dcs, c.nodes.size())};
  // failsafe_mode: without the DCS the primary keeps running while every member answers.
  return {E::any_of({base, E::k_of_nodes(static_cast<int>(c.nodes.size()), c.nodes)}),
          fmt::format("Patroni failsafe_mode: (DCS '{}' AND 1 of {} nodes) OR all {} members up", p.dcs, c.nodes.size(),
                      c.nodes.size())};
}

AvailabilityRule pgbouncer_rule(const config::ComponentSpec& c, const config::Topology& topo, const std::string&) {
  auto p = pgbouncer_params().parse(c.params, reader_for(topo));
  if (p.target == "local")
    // Each instance serves only the PostgreSQL on its own node: the primary must be on a
    // node that also runs PgBouncer (validation makes them a subset of the database's).
    return {E::all_of({E::component(p.database), E::k_of_nodes(1, c.nodes)}),
            fmt::format("PgBouncer in series with the PostgreSQL on the same node: the database '{}' AND 1 of {} "
                        "PgBouncer nodes (the balancer picks the one whose Patroni is primary)",
                        p.database, c.nodes.size())};
  return {E::all_of({E::component(p.database), E::k_of_nodes(1, c.nodes)}),
          fmt::format("PgBouncer forwarding to the leader: 1 of {} PgBouncer nodes AND the database '{}'", c.nodes.size(),
                      p.database)};
}

AvailabilityRule nfs_rule(const config::ComponentSpec& c, const config::Topology& topo, const std::string&) {
  auto p = nfs_params().parse(c.params, reader_for(topo));
  if (p.mode == "appliance")
    return {E::k_of_nodes(1, c.nodes),
            fmt::format("SAN appliance: the partner head takes over (1 of {} heads)", c.nodes.size())};
  if (p.instances.empty())
    return {E::k_of_nodes(1, c.nodes), fmt::format("one knfsd server: node {} is needed", c.nodes.front())};
  std::vector<std::string> serving;
  for (size_t i = 0; i < c.nodes.size(); ++i)
    if (p.instances[i] != "backup") serving.push_back(c.nodes[i]);
  return {E::k_of_nodes(1, serving),
          fmt::format("RuPost Maildir: master or hot replica (1 of {{{}}}); the cold backup never serves",
                      fmt::join(serving, ", "))};
}

AvailabilityRule memcached_rule(const config::ComponentSpec& c, const config::Topology& topo, const std::string&) {
  auto p = memcached_params().parse(c.params, reader_for(topo));
  if (p.mode == "vip")
    return {E::k_of_nodes(1, c.nodes), fmt::format("keepalived VIP: 1 of {} nodes", c.nodes.size())};
  if (p.mode == "mcrouter")
    return {E::k_of_nodes(static_cast<int>(c.nodes.size()), c.nodes),
            fmt::format("mcrouter hashes keys over all {} nodes: a dead node fails its share of keys (all needed "
                        "unless the step has `fallback`)",
                        c.nodes.size())};
  return {E::k_of_nodes(1, c.nodes), "one memcached address: its node is needed (unless the step has `fallback`)"};
}

AvailabilityRule storage_triple_rule(const config::ComponentSpec& c, const config::Topology&, const std::string& op) {
  // Pairs as models/storage_triple/storage_triple_logic.cpp lays them out: (a,b), (b,c), (c,a)
  // within each group of three nodes.
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t g = 0; g + 2 < c.nodes.size(); g += 3) {
    pairs.emplace_back(c.nodes[g], c.nodes[g + 1]);
    pairs.emplace_back(c.nodes[g + 1], c.nodes[g + 2]);
    pairs.emplace_back(c.nodes[g + 2], c.nodes[g]);
  }
  std::vector<E> terms;
  if (op == "write") {
    // A write needs one read-write pair: both of its nodes up.
    for (const auto& [a, b] : pairs) terms.push_back(E::all_of({E::node(a), E::node(b)}));
    return {E::any_of(std::move(terms)), "write: some disk pair read-write (both of its nodes up)"};
  }
  // A read of any message needs a live copy of every pair: one node of each pair.
  for (const auto& [a, b] : pairs) terms.push_back(E::any_of({E::node(a), E::node(b)}));
  return {E::all_of(std::move(terms)), op == "read" ? "read: every disk pair keeps a live copy (1 of its 2 nodes)"
                                                    : "read (shown): every disk pair keeps a live copy (1 of its 2 "
                                                      "nodes); write: some pair has both nodes up"};
}

AvailabilityRule replicated_service_rule(const config::ComponentSpec& c, const config::Topology& topo,
                                         const std::string&) {
  auto p = replicated_service_params().parse(c.params, reader_for(topo));
  if (p.mode == "quorum") {
    int q = p.quorum > 0 ? p.quorum : majority(c.nodes.size());
    return {E::k_of_nodes(q, c.nodes), fmt::format("quorum: {} of {} instances", q, c.nodes.size())};
  }
  return {E::k_of_nodes(1, c.nodes),
          fmt::format("active/passive: the manager promotes a live instance (1 of {})", c.nodes.size())};
}

}  // namespace

AvailabilityFn availability_rule_for(const std::string& model) {
  if (model == "vip_balancer") return vip_balancer_rule;
  if (model == "mail_node") return mail_node_rule;
  if (model == "etcd") return etcd_rule;
  if (model == "cockroachdb") return cockroachdb_rule;
  if (model == "patroni_postgres") return patroni_rule;
  if (model == "pgbouncer") return pgbouncer_rule;
  if (model == "nfs") return nfs_rule;
  if (model == "memcached") return memcached_rule;
  if (model == "storage_triple") return storage_triple_rule;
  if (model == "replicated_service") return replicated_service_rule;
  return {};
}

}  // namespace mailsim::models
