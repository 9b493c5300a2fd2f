#pragma once
// The one list of component models (models/registry.cpp), and what the rest of mailsim
// asks of it: a model by name, the checks of a topology and a scenario against the models,
// and the factory the engine uses. Each model's ModelInfo is in its own folder.
#include <memory>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "config/topology.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"
#include "models/common/model_info.hpp"

namespace mailsim::models {

const std::vector<ModelInfo>& all_models();
const ModelInfo* find_model(const std::string& name);
std::vector<std::string> model_names();

// Everything `mailsim validate` checks beyond the file's own structure (models/validation.cpp).
void validate_topology(const config::Topology& topo);
// Reads the files each component names under `config:` into its params (the topology's
// `params:` win) and records them in topo.configs (models/native_import.cpp).
void import_configs(config::Topology& topo);
// A topology as every command uses it: parsed, its components' files imported, validated.
config::Topology load_topology(const std::string& file);
void validate_scenario(const config::Scenario& scen, const config::Topology& topo);

std::unique_ptr<engine::Component> create_component(const config::ComponentSpec& spec,
                                                    const config::Topology& topo,
                                                    engine::Context& ctx);

}  // namespace mailsim::models
