// The checks of a topology and a scenario against the registered models: everything
// generic lives here (unknown models, each step's op against the model's declared ops, fault
// roles against the model's declared roles); each model's own checks are its ModelInfo's.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "models/disk/disk_params.hpp"
#include "models/registry.hpp"

namespace mailsim::models {

namespace {

const ModelInfo& model_of(const config::ComponentSpec& c) {
  const ModelInfo* m = find_model(c.model);
  if (!m)
    throw core::InputError(c.model_mark, fmt::format("unknown model '{}'{}", c.model,
                                                     core::did_you_mean(c.model, model_names())));
  return *m;
}

// Every step calling `c` names one of its model's ops: none for a proxy, and no step at all
// for a model off the request path. Errors point at the `op:` value when there is one.
void check_ops(const ModelInfo& m, const ComponentCheck& c) {
  const std::string& name = c.spec().name;
  for (const auto& call : c.calls()) {
    const config::StepSpec& st = call.step;
    const std::string where = fmt::format("service '{}': {} '{}'", call.service.name, m.name, name);
    if (m.ops.empty())
      throw core::InputError(
          st.mark, fmt::format("{} serves no step: it is not on the request path", where));
    if (std::find(m.ops.begin(), m.ops.end(), st.op) != m.ops.end()) continue;
    if (m.ops == proxy_ops())
      throw core::InputError(
          st.op_mark,
          fmt::format("{} is a proxy: its step takes no op (found '{}')", where, st.op));
    if (st.op.empty())
      throw core::InputError(
          st.mark, fmt::format("{} needs an op: one of {}", where, fmt::join(m.ops, ", ")));
    throw core::InputError(st.op_mark,
                           fmt::format("{} has no op '{}'{}; ops: {}", where, st.op,
                                       core::did_you_mean(st.op, m.ops), fmt::join(m.ops, ", ")));
  }
}

void check_role(const ModelInfo& m, const std::string& role, const core::SourceMark& mark) {
  if (std::find(m.roles.begin(), m.roles.end(), role) == m.roles.end())
    throw core::InputError(mark, fmt::format("model {} has no role '{}'{}", m.name, role,
                                             core::did_you_mean(role, m.roles)));
}

}  // namespace

void validate_topology(const config::Topology& topo) {
  validate_disks(topo);
  for (const auto& c : topo.components) {
    const ModelInfo& m = model_of(c);
    const ComponentCheck check(c, topo);
    m.check(check);
    check_ops(m, check);
  }
  engine::check_step_options(topo, [](const config::ComponentSpec& c) { return model_of(c).step_roles; });
}

void validate_scenario(const config::Scenario& scen, const config::Topology& topo) {
  auto services = topo.service_names();
  for (const auto& l : scen.load)
    if (!topo.find_service(l.service))
      throw core::InputError(l.service_mark,
                             fmt::format("service '{}' is not in topology '{}'{}", l.service,
                                         topo.name, core::did_you_mean(l.service, services)));
  auto nodes = topo.node_names();
  auto check_node = [&](const std::string& n, const core::SourceMark& mark) {
    if (!topo.find_node(n))
      throw core::InputError(mark, fmt::format("node '{}' is not in topology '{}'{}", n, topo.name,
                                               core::did_you_mean(n, nodes)));
  };
  auto comps = topo.component_names();
  auto check_component = [&](const std::string& c,
                             const core::SourceMark& mark) -> const config::ComponentSpec& {
    const auto* spec = topo.find_component(c);
    if (!spec)
      throw core::InputError(mark, fmt::format("component '{}' is not in topology '{}'{}", c,
                                               topo.name, core::did_you_mean(c, comps)));
    return *spec;
  };
  std::vector<std::string> zones;
  for (const auto& n : topo.nodes)
    if (std::find(zones.begin(), zones.end(), n.zone) == zones.end()) zones.push_back(n.zone);
  for (const auto& f0 : scen.faults) {
    for (const auto& z : f0.group_zones)
      if (!z.empty() && std::find(zones.begin(), zones.end(), z) == zones.end())
        throw core::InputError(f0.mark, fmt::format("no node of topology '{}' is in zone '{}'{}",
                                                    topo.name, z, core::did_you_mean(z, zones)));
    const config::FaultSpec f = config::bind_fault(f0, topo);
    const auto& t = f.target;
    if (f.kind == config::FaultSpec::Kind::kSwitchover) {
      const ModelInfo* m = nullptr;
      if (!t.model.empty()) {
        m = find_model(t.model);
        if (!m)
          throw core::InputError(t.mark, fmt::format("unknown model '{}'{}", t.model,
                                                     core::did_you_mean(t.model, model_names())));
      }
      const config::ComponentSpec* spec = nullptr;
      if (!t.component.empty()) {
        spec = &check_component(t.component, t.mark);
        m = &model_of(*spec);
      }
      if (!m->switchover)
        throw core::InputError(t.mark, fmt::format("model '{}' has no planned switchover (only: patroni_postgres)", m->name));
      if (!t.node.empty()) {
        check_node(t.node, t.mark);
        if (spec && std::find(spec->nodes.begin(), spec->nodes.end(), t.node) == spec->nodes.end())
          throw core::InputError(t.mark, fmt::format("component '{}' does not run on node '{}'", spec->name, t.node));
      }
      continue;  // a `model:` switchover on a topology without that model is skipped
    }
    if (!t.model.empty()) {
      const ModelInfo* m = find_model(t.model);
      if (!m)
        throw core::InputError(t.mark, fmt::format("unknown model '{}'{}", t.model,
                                                   core::did_you_mean(t.model, model_names())));
      check_role(*m, f0.target.role, t.mark);
      continue;  // held by whichever component of that model comes first, if any
    }
    if (f.kind == config::FaultSpec::Kind::kPartition) {
      std::set<std::string> seen;
      for (const auto& g : f.groups)
        for (const auto& n : g) {
          check_node(n, f.mark);
          if (!seen.insert(n).second)
            throw core::InputError(f.mark,
                                   fmt::format("node '{}' is on both sides of the partition", n));
        }
      continue;
    }
    if (!t.node.empty()) check_node(t.node, t.mark);
    if (!t.role.empty()) {
      auto dot = t.role.find('.');
      const auto& spec = check_component(t.role.substr(0, dot), t.mark);
      check_role(model_of(spec), t.role.substr(dot + 1), t.mark);
      if (f.kind == config::FaultSpec::Kind::kStop && t.component != spec.name)
        throw core::InputError(t.mark, "a stop's role must belong to the stopped component");
    }
    if (f.kind == config::FaultSpec::Kind::kStop) {
      const auto& spec = check_component(t.component, t.mark);
      if (!t.node.empty()) {
        bool placed = false;
        for (const auto& n : spec.nodes) placed = placed || n == t.node;
        if (!placed)
          throw core::InputError(
              t.mark, fmt::format("component '{}' does not run on node '{}'", spec.name, t.node));
      }
    }
  }
}

}  // namespace mailsim::models
