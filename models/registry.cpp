#include "models/registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "models/db_registry.hpp"
#include "models/mail_node/mail_node.hpp"
#include "models/storage_registry.hpp"
#include "models/vip_balancer/vip_balancer.hpp"

namespace mailsim::models {

namespace {

config::YamlReader reader_for(const config::Topology& topo) { return config::YamlReader(topo.file); }

// Points at the param's value if the user gave it, else at the component.
core::SourceMark param_mark(const config::ComponentSpec& c, const config::Topology& topo, const std::string& key) {
  if (c.params.IsMap() && c.params[key]) return reader_for(topo).mark(c.params[key]);
  return c.mark;
}

[[noreturn]] void fail_param(const config::ComponentSpec& c, const config::Topology& topo, const std::string& key,
                             const std::string& msg) {
  throw core::InputError(param_mark(c, topo, key), fmt::format("component '{}': {}", c.name, msg));
}

void validate_vip_balancer(const config::ComponentSpec& c, const config::Topology& topo, const config::YamlReader& r) {
  VipBalancerParams p = vip_balancer_params().parse(c.params, r);
  if (p.backend.empty()) throw core::InputError(c.mark, fmt::format("component '{}': params.backend is required", c.name));
  const config::ComponentSpec* backend = topo.find_component(p.backend);
  if (!backend)
    fail_param(c, topo, "backend",
               fmt::format("backend '{}' is not a component{}", p.backend, core::did_you_mean(p.backend, topo.component_names())));
  if (backend->name == c.name) fail_param(c, topo, "backend", "a balancer cannot be its own backend");
  if (p.vrrp_version != 2 && p.vrrp_version != 3) fail_param(c, topo, "vrrp_version", "vrrp_version must be 2 or 3");
  if (p.priority.size() != 1 && p.priority.size() != c.nodes.size())
    fail_param(c, topo, "priority",
               fmt::format("give one priority, or one per node ({} nodes, {} priorities)", c.nodes.size(), p.priority.size()));
  for (int prio : p.priority)
    if (prio < 1 || prio > 255) fail_param(c, topo, "priority", "VRRP priorities are 1 to 255");
  if (p.advert_int.seconds <= 0) fail_param(c, topo, "advert_int", "advert_int must be positive");
  if (p.inter.seconds <= 0) fail_param(c, topo, "inter", "inter must be positive");
  if (p.rise < 1) fail_param(c, topo, "rise", "rise must be at least 1");
  if (p.fall < 1) fail_param(c, topo, "fall", "fall must be at least 1");
  // haproxy forwards to the next step: every service through this balancer must call the
  // backend right after it.
  for (const auto& s : topo.services)
    for (size_t i = 0; i < s.steps.size(); ++i) {
      if (s.steps[i].component != c.name) continue;
      if (i + 1 >= s.steps.size() || s.steps[i + 1].component != p.backend)
        throw core::InputError(s.steps[i].mark,
                               fmt::format("service '{}': the step after balancer '{}' must call its backend '{}'",
                                           s.name, c.name, p.backend));
    }
}

void validate_mail_node(const config::ComponentSpec& c, const config::Topology& topo, const config::YamlReader& r) {
  MailNodeParams p = mail_node_params().parse(c.params, r);
  if (p.workers < 1) fail_param(c, topo, "workers", "workers must be at least 1");
  for (const auto& [op, n] : p.op_workers)
    if (n < 1) fail_param(c, topo, "op_workers", fmt::format("op_workers.{} must be at least 1", op));
}

template <class Model, class Params>
std::function<std::unique_ptr<engine::Component>(const config::ComponentSpec&, const config::Topology&, engine::Context&)>
factory(const config::ParamTable<Params>& table) {
  return [&table](const config::ComponentSpec& spec, const config::Topology& topo, engine::Context& ctx) {
    return std::make_unique<Model>(spec, table.parse(spec.params, reader_for(topo)), ctx);
  };
}

std::vector<ModelInfo> with_availability_rules(std::vector<ModelInfo> models) {
  for (auto& m : models)
    if (!m.availability) m.availability = availability_rule_for(m.name);
  return models;
}

}  // namespace

const std::vector<ModelInfo>& all_models() {
  // Each model's availability rule (models/availability.cpp) is attached here.
  static const std::vector<ModelInfo> models = with_availability_rules({
      {"vip_balancer", "keepalived (VRRP) VIP on a node group + haproxy health-checking a backend component",
       vip_balancer_params().docs(), {"vip_holder", "backup"}, validate_vip_balancer,
       factory<VipBalancer>(vip_balancer_params())},
      {"mail_node", "postfix / dovecot / webmail: per-operation worker pools running CPU demands",
       mail_node_params().docs(), {"any"}, validate_mail_node, factory<MailNode>(mail_node_params())},
      storage::nfs_model(),
      storage::memcached_model(),
      storage::storage_triple_model(),
      storage::replicated_service_model(),
      db::etcd_model(),
      db::cockroachdb_model(),
      db::patroni_postgres_model(),
      db::pgbouncer_model(),
  });
  return models;
}

const ModelInfo* find_model(const std::string& name) {
  for (const auto& m : all_models())
    if (m.name == name) return &m;
  return nullptr;
}

void validate_topology(const config::Topology& topo) {
  std::vector<std::string> names;
  for (const auto& m : all_models()) names.push_back(m.name);
  storage::validate_disks(topo);
  for (const auto& c : topo.components) {
    const ModelInfo* m = find_model(c.model);
    if (!m) throw core::InputError(c.model_mark, fmt::format("unknown model '{}'{}", c.model, core::did_you_mean(c.model, names)));
    m->validate(c, topo, reader_for(topo));
  }
}

void validate_scenario(const config::Scenario& scen, const config::Topology& topo) {
  auto services = topo.service_names();
  for (const auto& l : scen.load)
    if (!topo.find_service(l.service))
      throw core::InputError(l.service_mark, fmt::format("service '{}' is not in topology '{}'{}", l.service, topo.name,
                                                         core::did_you_mean(l.service, services)));
  auto nodes = topo.node_names();
  auto check_node = [&](const std::string& n, const core::SourceMark& mark) {
    if (!topo.find_node(n))
      throw core::InputError(mark, fmt::format("node '{}' is not in topology '{}'{}", n, topo.name, core::did_you_mean(n, nodes)));
  };
  auto comps = topo.component_names();
  auto check_component = [&](const std::string& c, const core::SourceMark& mark) -> const config::ComponentSpec& {
    const auto* spec = topo.find_component(c);
    if (!spec)
      throw core::InputError(mark, fmt::format("component '{}' is not in topology '{}'{}", c, topo.name, core::did_you_mean(c, comps)));
    return *spec;
  };
  std::vector<std::string> zones;
  for (const auto& n : topo.nodes)
    if (std::find(zones.begin(), zones.end(), n.zone) == zones.end()) zones.push_back(n.zone);
  for (const auto& f0 : scen.faults) {
    for (const auto& z : f0.group_zones)
      if (!z.empty() && std::find(zones.begin(), zones.end(), z) == zones.end())
        throw core::InputError(f0.mark, fmt::format("no node of topology '{}' is in zone '{}'{}", topo.name, z, core::did_you_mean(z, zones)));
    const config::FaultSpec f = config::bind_fault(f0, topo);
    const auto& t = f.target;
    if (!t.model.empty()) {
      const ModelInfo* m = find_model(t.model);
      if (!m) {
        std::vector<std::string> names;
        for (const auto& mi : all_models()) names.push_back(mi.name);
        throw core::InputError(t.mark, fmt::format("unknown model '{}'{}", t.model, core::did_you_mean(t.model, names)));
      }
      std::string role = f0.target.role;
      if (std::find(m->roles.begin(), m->roles.end(), role) == m->roles.end())
        throw core::InputError(t.mark, fmt::format("model {} has no role '{}'{}", t.model, role, core::did_you_mean(role, m->roles)));
      continue;  // held by whichever component of that model comes first, if any
    }
    if (f.kind == config::FaultSpec::Kind::kPartition) {
      std::set<std::string> seen;
      for (const auto& g : f.groups)
        for (const auto& n : g) {
          check_node(n, f.mark);
          if (!seen.insert(n).second)
            throw core::InputError(f.mark, fmt::format("node '{}' is on both sides of the partition", n));
        }
      continue;
    }
    if (!t.node.empty()) check_node(t.node, t.mark);
    if (!t.role.empty()) {
      auto dot = t.role.find('.');
      const auto& spec = check_component(t.role.substr(0, dot), t.mark);
      const ModelInfo* m = find_model(spec.model);
      std::string role = t.role.substr(dot + 1);
      bool known = false;
      for (const auto& r : m->roles) known = known || r == role;
      if (!known)
        throw core::InputError(t.mark, fmt::format("model {} has no role '{}'{}", spec.model, role, core::did_you_mean(role, m->roles)));
      if (f.kind == config::FaultSpec::Kind::kStop && t.component != spec.name)
        throw core::InputError(t.mark, "a stop's role must belong to the stopped component");
    }
    if (f.kind == config::FaultSpec::Kind::kStop) {
      const auto& spec = check_component(t.component, t.mark);
      if (!t.node.empty()) {
        bool placed = false;
        for (const auto& n : spec.nodes) placed = placed || n == t.node;
        if (!placed) throw core::InputError(t.mark, fmt::format("component '{}' does not run on node '{}'", spec.name, t.node));
      }
    }
  }
}

std::unique_ptr<engine::Component> create_component(const config::ComponentSpec& spec, const config::Topology& topo,
                                                    engine::Context& ctx) {
  const ModelInfo* m = find_model(spec.model);
  if (!m) throw core::InternalError("create_component: unknown model " + spec.model);
  return m->create(spec, topo, ctx);
}

}  // namespace mailsim::models
