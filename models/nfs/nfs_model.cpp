// nfs's entry in the registry: its checks, its availability rule and its factory.
#include "models/nfs/nfs_model.hpp"

#include <fmt/format.h>

#include "models/nfs/nfs.hpp"
#include "models/nfs/nfs_import.hpp"

namespace mailsim::models {

namespace {

constexpr const char* kSummary =
    "NFS Maildir store: a knfsd server, RuPost master/replica/backup instances, or a SAN appliance "
    "pair; "
    "hard/soft client mounts, grace period, disk costs";

void check(const ComponentCheck& c) {
  NfsParams p = c.params(nfs_params());
  if (p.mode == "appliance") {
    if (c.node_count() < 2) c.fail("an appliance needs two heads (nodes)");
    if (!p.instances.empty()) c.fail_param("instances", "Maildir instances are for mode server");
  } else if (p.instances.empty()) {
    if (c.node_count() != 1)
      c.fail(
          "an NFS server runs on one node; for several, give `instances` (master, replica, backup) "
          "or use mode "
          "appliance");
  } else {
    if (p.instances.size() != c.node_count())
      c.fail_param("instances", fmt::format("give one instance role per node ({} nodes, {} roles)",
                                            c.node_count(), p.instances.size()));
    int masters = 0;
    for (const auto& role : p.instances) {
      if (role != "master" && role != "replica" && role != "backup")
        c.fail_param("instances",
                     fmt::format("'{}' is not an instance role (master, replica, backup)", role));
      masters += role == "master";
    }
    if (masters != 1) c.fail_param("instances", "exactly one instance must be the master");
  }
  c.require_disks("NFS server", p.disk);
  c.require_caller();
}

AvailabilityRule availability(const config::ComponentSpec& c, const config::Topology& topo,
                              const std::string&) {
  auto p = ComponentCheck(c, topo).params(nfs_params());
  if (p.mode == "appliance")
    return {
        AvailabilityExpr::k_of_nodes(1, c.nodes),
        fmt::format("SAN appliance: the partner head takes over (1 of {} heads)", c.nodes.size())};
  if (p.instances.empty())
    return {AvailabilityExpr::k_of_nodes(1, c.nodes),
            fmt::format("one knfsd server: node {} is needed", c.nodes.front())};
  std::vector<std::string> serving;
  for (size_t i = 0; i < c.nodes.size(); ++i)
    if (p.instances[i] != "backup") serving.push_back(c.nodes[i]);
  return {AvailabilityExpr::k_of_nodes(1, serving),
          fmt::format(
              "RuPost Maildir: master or hot replica (1 of {{{}}}); the cold backup never serves",
              fmt::join(serving, ", "))};
}

}  // namespace

ModelInfo nfs_model() {
  ModelInfo m = make_model<Nfs>("nfs", kSummary, nfs_params(), nfs_ops().names(), nfs_roles().names(),
                                check, availability);
  m.native = nfs_native_kinds();
  return m;
}

}  // namespace mailsim::models
