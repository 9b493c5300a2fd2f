#pragma once
// The one list of component models: name, params docs, roles a fault can target, checks
// of a component's params against its topology, and the factory the engine uses.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/availability.hpp"
#include "config/params.hpp"
#include "config/scenario.hpp"
#include "config/topology.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"

namespace mailsim::models {

struct ModelInfo {
  std::string name;
  std::string summary;
  std::vector<config::ParamDoc> params;
  std::vector<std::string> roles;
  // Parses the component's params and checks them against the topology; InputError on bad input.
  std::function<void(const config::ComponentSpec&, const config::Topology&, const config::YamlReader&)> validate;
  std::function<std::unique_ptr<engine::Component>(const config::ComponentSpec&, const config::Topology&, engine::Context&)> create;
  // When the component can serve a step (nodes, and components named in its params), for
  // `mailsim analyze`; set from models/availability.cpp in all_models(). Empty: no rule yet.
  AvailabilityFn availability = {};
};

const std::vector<ModelInfo>& all_models();
const ModelInfo* find_model(const std::string& name);

// Everything `mailsim validate` checks beyond the file's own structure.
void validate_topology(const config::Topology& topo);
void validate_scenario(const config::Scenario& scen, const config::Topology& topo);

std::unique_ptr<engine::Component> create_component(const config::ComponentSpec& spec, const config::Topology& topo,
                                                    engine::Context& ctx);

}  // namespace mailsim::models
