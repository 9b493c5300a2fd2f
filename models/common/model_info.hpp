#pragma once
// What each model folder exports to the registry (models/registry.cpp): one ModelInfo with
// everything the rest of mailsim knows about the model. Adding a model is its own folder
// (params, logic, shell, <model>_model.cpp with this, tests, a docs page) plus one line in
// the registry (docs/architecture.md, "Adding a model").
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "config/params.hpp"
#include "config/topology.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"
#include "engine/step_features.hpp"
#include "models/common/availability.hpp"
#include "models/common/component_check.hpp"
#include "models/common/native_import.hpp"

namespace mailsim::models {

// Checks a component's params and the paths through it (InputError on bad input).
using CheckFn = std::function<void(const ComponentCheck&)>;
// Builds the component's shell for a run, from params already checked.
using Factory = std::function<std::unique_ptr<engine::Component>(
    const config::ComponentSpec&, const config::Topology&, engine::Context&)>;

struct ModelInfo {
  std::string name;
  std::string summary;
  std::vector<config::ParamDoc> params;  // the params table's docs (defaults, units, sources)
  // The ops a step calling the model may name: the names of the model's op enum
  // (NameTable::names()). A proxy serves steps without an op: {""} (proxy_ops()). Empty:
  // no step may call the model (it is not on the request path).
  std::vector<std::string> ops;
  // The roles a fault may target as `component.role` or `{model, role}`.
  std::vector<std::string> roles;
  // Events: each model's event kinds will be declared here with the typed event catalogue
  // (issue 12, item 3); `mailsim describe` has their place reserved.
  CheckFn check;
  AvailabilityFn availability;  // when the component can serve a step, for `mailsim analyze`
  Factory create;
  // Which step options may act on the model's steps (engine/step_features.hpp): a cache's
  // `fallback`, a worker pool's worker held by the next step's `hold_worker`.
  engine::StepRoles step_roles = {};
  // The operators' files the model's params can be read from (`config:`, docs/import.md);
  // empty: none.
  std::vector<NativeKind> native = {};
  // The model does a planned handover of its role (a scenario's `switchover`), as its
  // software's own tool does it (engine::Component::switchover).
  bool switchover = false;
};

// The ops of a proxy (vip_balancer, pgbouncer): its steps name none.
inline std::vector<std::string> proxy_ops() {
  return {""};
}

// The factory of a shell built from (spec, [topology,] params, context).
template <class Model, class P>
Factory factory(const config::ParamTable<P>& table) {
  return [&table](const config::ComponentSpec& spec, const config::Topology& topo,
                  engine::Context& ctx) -> std::unique_ptr<engine::Component> {
    P p = table.parse(spec.params, topo.params_reader());
    if constexpr (std::is_constructible_v<Model, const config::ComponentSpec&,
                                          const config::Topology&, P, engine::Context&>)
      return std::make_unique<Model>(spec, topo, std::move(p), ctx);
    else
      return std::make_unique<Model>(spec, std::move(p), ctx);
  };
}

// A model's ModelInfo, its params docs and factory taken from its params table.
template <class Shell, class P>
ModelInfo make_model(std::string name, std::string summary, const config::ParamTable<P>& table,
                     std::vector<std::string> ops, std::vector<std::string> roles, CheckFn check,
                     AvailabilityFn availability) {
  return {std::move(name),         std::move(summary),   table.docs(),
          std::move(ops),          std::move(roles),     std::move(check),
          std::move(availability), factory<Shell>(table)};
}

}  // namespace mailsim::models
