#include "sim/cli/run_one.hpp"

#include "models/registry.hpp"

namespace mailsim::cli {

Inputs load_inputs(const std::string& topology_file, const std::string& scenario_file) {
  Inputs in{config::load_topology(topology_file), config::load_scenario(scenario_file)};
  models::validate_topology(in.topology);
  models::validate_scenario(in.scenario, in.topology);
  return in;
}

nlohmann::json run_one(const Inputs& in, uint64_t seed, engine::RunStats* stats) {
  engine::RunOptions opts;
  opts.seed = seed;
  auto factory = [&in](const config::ComponentSpec& spec, engine::Context& ctx) {
    return models::create_component(spec, in.topology, ctx);
  };
  return engine::run_simulation(in.topology, in.scenario, factory, opts, stats);
}

}  // namespace mailsim::cli
