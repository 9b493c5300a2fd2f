#include "models/storage_registry.hpp"

#include <fmt/format.h>

#include "models/disk/disk_params.hpp"
#include "models/memcached/memcached.hpp"
#include "models/nfs/nfs.hpp"
#include "models/replicated_service/replicated_service.hpp"
#include "models/storage_triple/storage_triple.hpp"

namespace mailsim::models::storage {

namespace {

config::YamlReader reader_for(const config::Topology& topo) { return config::YamlReader(topo.file); }

core::SourceMark param_mark(const config::ComponentSpec& c, const config::Topology& topo, const std::string& key) {
  if (c.params.IsMap() && c.params[key]) return reader_for(topo).mark(c.params[key]);
  return c.mark;
}

[[noreturn]] void fail_param(const config::ComponentSpec& c, const config::Topology& topo, const std::string& key,
                             const std::string& msg) {
  throw core::InputError(param_mark(c, topo, key), fmt::format("component '{}': {}", c.name, msg));
}

// Every step calling component `c` must name one of `ops` and must not be a service's first
// step when `needs_caller` (the call is made from the node of the step before).
void check_steps(const config::ComponentSpec& c, const config::Topology& topo, const std::vector<std::string>& ops,
                 bool needs_caller) {
  for (const auto& s : topo.services)
    for (size_t i = 0; i < s.steps.size(); ++i) {
      const auto& st = s.steps[i];
      if (st.component != c.name) continue;
      bool known = false;
      for (const auto& o : ops) known = known || o == st.op;
      if (!known)
        throw core::InputError(st.mark, fmt::format("service '{}': component '{}' ({}) has no op '{}'{}; ops: {}", s.name,
                                                    c.name, c.model, st.op, core::did_you_mean(st.op, ops),
                                                    fmt::join(ops, ", ")));
      if (needs_caller && i == 0)
        throw core::InputError(st.mark, fmt::format("service '{}': a {} step is called from the node of the step "
                                                    "before it, so it cannot be the first step",
                                                    s.name, c.model));
    }
}

template <class Model, class Params>
std::function<std::unique_ptr<engine::Component>(const config::ComponentSpec&, const config::Topology&, engine::Context&)>
factory_with_topology(const config::ParamTable<Params>& table) {
  return [&table](const config::ComponentSpec& spec, const config::Topology& topo, engine::Context& ctx) {
    return std::make_unique<Model>(spec, topo, table.parse(spec.params, reader_for(topo)), ctx);
  };
}

void validate_nfs(const config::ComponentSpec& c, const config::Topology& topo, const config::YamlReader& r) {
  NfsParams p = nfs_params().parse(c.params, r);
  if (p.timeo.seconds <= 0) fail_param(c, topo, "timeo", "timeo must be positive");
  if (p.retrans < 0) fail_param(c, topo, "retrans", "retrans must be 0 or more");
  if (p.grace_retry_min.seconds <= 0) fail_param(c, topo, "grace_retry_min", "grace_retry_min must be positive");
  if (p.switch_check_interval.seconds <= 0) fail_param(c, topo, "switch_check_interval", "must be positive");
  if (p.switch_check_fall < 1) fail_param(c, topo, "switch_check_fall", "switch_check_fall must be at least 1");
  if (p.mode == "appliance") {
    if (c.nodes.size() < 2) throw core::InputError(c.mark, fmt::format("component '{}': an appliance needs two heads (nodes)", c.name));
    if (!p.instances.empty()) fail_param(c, topo, "instances", "Maildir instances are for mode server");
  } else if (p.instances.empty()) {
    if (c.nodes.size() != 1)
      throw core::InputError(c.mark, fmt::format("component '{}': an NFS server runs on one node; for several, give "
                                                 "`instances` (master, replica, backup) or use mode appliance",
                                                 c.name));
  } else {
    if (p.instances.size() != c.nodes.size())
      fail_param(c, topo, "instances",
                 fmt::format("give one instance role per node ({} nodes, {} roles)", c.nodes.size(), p.instances.size()));
    int masters = 0;
    for (const auto& role : p.instances) {
      if (role != "master" && role != "replica" && role != "backup")
        fail_param(c, topo, "instances", fmt::format("'{}' is not an instance role (master, replica, backup)", role));
      masters += role == "master";
    }
    if (masters != 1) fail_param(c, topo, "instances", "exactly one instance must be the master");
  }
  for (const auto& n : c.nodes) {
    const config::NodeSpec* ns = topo.find_node(n);
    if (ns->disks.empty())
      throw core::InputError(ns->mark, fmt::format("node '{}' runs NFS server '{}' but has no disks", n, c.name));
    if (p.disk.empty()) continue;
    bool found = false;
    for (const auto& d : ns->disks) found = found || d.name == p.disk;
    if (!found) fail_param(c, topo, "disk", fmt::format("node '{}' has no disk '{}'", n, p.disk));
  }
  check_steps(c, topo, {"deliver", "fetch", "flag", "list"}, true);
}

template <class Model, class Params>
std::function<std::unique_ptr<engine::Component>(const config::ComponentSpec&, const config::Topology&, engine::Context&)>
factory_plain(const config::ParamTable<Params>& table) {
  return [&table](const config::ComponentSpec& spec, const config::Topology& topo, engine::Context& ctx) {
    return std::make_unique<Model>(spec, table.parse(spec.params, reader_for(topo)), ctx);
  };
}

void validate_memcached(const config::ComponentSpec& c, const config::Topology& topo, const config::YamlReader& r) {
  MemcachedParams p = memcached_params().parse(c.params, r);
  if (p.timeout.seconds <= 0) fail_param(c, topo, "timeout", "timeout must be positive");
  if (p.server_timeout.seconds <= 0) fail_param(c, topo, "server_timeout", "server_timeout must be positive");
  if (p.failures_until_tko < 1) fail_param(c, topo, "failures_until_tko", "failures_until_tko must be at least 1");
  if (p.probe_delay_initial.seconds <= 0) fail_param(c, topo, "probe_delay_initial", "probe_delay_initial must be positive");
  if (p.mode == "single" && c.nodes.size() != 1)
    throw core::InputError(c.mark, fmt::format("component '{}': mode single runs on one node ({} given); use vip or mcrouter",
                                               c.name, c.nodes.size()));
  if (p.mode == "vip") {
    if (c.nodes.size() < 2) throw core::InputError(c.mark, fmt::format("component '{}': mode vip needs two nodes", c.name));
    if (p.advert_int.seconds <= 0) fail_param(c, topo, "advert_int", "advert_int must be positive");
    if (p.priority.size() != 1 && p.priority.size() != c.nodes.size())
      fail_param(c, topo, "priority", fmt::format("give one priority, or one per node ({} nodes, {} priorities)",
                                                  c.nodes.size(), p.priority.size()));
    for (int prio : p.priority)
      if (prio < 1 || prio > 254) fail_param(c, topo, "priority", "VRRP priorities are 1 to 254 here");
  }
  check_steps(c, topo, {"get"}, true);
  for (const auto& s : topo.services)
    for (size_t i = 0; i < s.steps.size(); ++i)
      if (s.steps[i].component == c.name && s.steps[i].fallback && i + static_cast<size_t>(s.steps[i].on_hit_skip) >= s.accept_steps())
        throw core::InputError(s.steps[i].mark,
                               fmt::format("service '{}': a `fallback` cache step needs a next step to fall back to", s.name));
}

void check_disks_of(const config::ComponentSpec& c, const config::Topology& topo, const std::string& disk) {
  for (const auto& n : c.nodes) {
    const config::NodeSpec* ns = topo.find_node(n);
    if (ns->disks.empty())
      throw core::InputError(ns->mark, fmt::format("node '{}' runs storage '{}' but has no disks", n, c.name));
    if (disk.empty()) continue;
    bool found = false;
    for (const auto& d : ns->disks) found = found || d.name == disk;
    if (!found) fail_param(c, topo, "disk", fmt::format("node '{}' has no disk '{}'", n, disk));
  }
}

void validate_storage_triple(const config::ComponentSpec& c, const config::Topology& topo, const config::YamlReader& r) {
  StorageTripleParams p = storage_triple_params().parse(c.params, r);
  if (c.nodes.size() % 3 != 0) {
    throw core::InputError(c.mark, fmt::format("component '{}': storage_triple needs a multiple of 3 nodes (disk pairs "
                                               "spread over node pairs), {} given",
                                               c.name, c.nodes.size()));
  }
  if (p.objects_per_pair < 1) fail_param(c, topo, "objects_per_pair", "objects_per_pair must be at least 1");
  check_disks_of(c, topo, p.disk);
  check_steps(c, topo, {"write", "read"}, true);
}

void validate_replicated_service(const config::ComponentSpec& c, const config::Topology& topo, const config::YamlReader& r) {
  ReplicatedServiceParams p = replicated_service_params().parse(c.params, r);
  if (p.quorum > static_cast<int>(c.nodes.size()))
    fail_param(c, topo, "quorum", fmt::format("quorum {} is more than the {} instances", p.quorum, c.nodes.size()));
  if (p.mode != "quorum" && c.params.IsMap() && c.params["quorum"])
    fail_param(c, topo, "quorum", "quorum is for mode quorum");
}

}  // namespace

void validate_disks(const config::Topology& topo) {
  auto r = reader_for(topo);
  for (const auto& n : topo.nodes)
    for (const auto& d : n.disks) {
      DiskParams p = parse_disk(d, r);
      auto bad = [&](const char* key, const char* msg) {
        throw core::InputError(d.params[key] ? r.mark(d.params[key]) : d.mark,
                               fmt::format("disk '{}' of node '{}': {}", d.name, n.name, msg));
      };
      if (p.read_bandwidth.bytes_per_s <= 0) bad("read_bandwidth", "read_bandwidth must be positive");
      if (p.write_bandwidth.bytes_per_s <= 0) bad("write_bandwidth", "write_bandwidth must be positive");
      if (p.queue_depth < 1) bad("queue_depth", "queue_depth must be at least 1");
    }
}

ModelInfo nfs_model() {
  return {"nfs",
          "NFS Maildir store: a knfsd server, RuPost master/replica/backup instances, or a SAN appliance pair; "
          "hard/soft client mounts, grace period, disk costs",
          nfs_params().docs(),
          {"active", "master", "replica", "standby"},
          validate_nfs,
          factory_with_topology<Nfs>(nfs_params())};
}

ModelInfo memcached_model() {
  return {"memcached",
          "memcached cache step: one server, a keepalived VIP pair, or an mcrouter pool; a miss or a dead cache falls "
          "back to the next step",
          memcached_params().docs(),
          {"vip_holder", "backup", "any"},
          validate_memcached,
          factory_plain<Memcached>(memcached_params())};
}

ModelInfo storage_triple_model() {
  return {"storage_triple",
          "VK WorkSpace storage: nodes in threes, disk pairs on node pairs, synchronous two-copy writes, read-only "
          "pairs when a node is down",
          storage_triple_params().docs(),
          {"any"},
          validate_storage_triple,
          factory_with_topology<StorageTriple>(storage_triple_params())};
}

ModelInfo replicated_service_model() {
  return {"replicated_service",
          "generic replicated service (Tarantool, MySQL + Orchestrator, Scylla, ...): active-passive with detection "
          "+ promotion delays, or k-of-n quorum; every default an assumption",
          replicated_service_params().docs(),
          {"active", "any"},
          validate_replicated_service,
          factory_plain<ReplicatedService>(replicated_service_params())};
}

}  // namespace mailsim::models::storage
