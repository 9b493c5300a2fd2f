#pragma once
// Shared by the commands that simulate: load and validate inputs, run in this process.
#include <nlohmann/json.hpp>
#include <string>

#include "sim/config/scenario.hpp"
#include "sim/config/topology.hpp"
#include "sim/engine/run.hpp"

namespace mailsim::cli {

struct Inputs {
  config::Topology topology;
  config::Scenario scenario;
};

// Parses both files and checks them against each other and the model registry.
Inputs load_inputs(const std::string& topology_file, const std::string& scenario_file);
// Checks that the services and components the scenario's expectations name exist in the
// topology (InputError at the name, with a "did you mean"); load_inputs calls it.
void check_expectation_subjects(const config::Scenario& s, const config::Topology& t);
// One simulation in this process (one per process: SimGrid's engine is global).
nlohmann::json run_one(const Inputs& in, uint64_t seed, engine::RunStats* stats = nullptr);

}  // namespace mailsim::cli
