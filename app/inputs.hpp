#pragma once
// The inputs of one run: both files parsed, then checked against each other and against
// the model registry (everything `mailsim validate` checks).
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "config/topology.hpp"

namespace mailsim::app {

struct Inputs {
  config::Topology topology;
  config::Scenario scenario;
};

// Parses both files and checks them against each other and the model registry.
Inputs load_inputs(const std::string& topology_file, const std::string& scenario_file);
// Checks that the services and components the scenario's expectations name exist in the
// topology (InputError at the name, with a "did you mean"); load_inputs calls it.
void check_expectation_subjects(const config::Scenario& s, const config::Topology& t);
void check_expectation_subjects(const std::vector<config::Expectation>& expectations, const config::Topology& t);
// The warnings about the operators' files the topology's components read (directives not
// modelled, values the topology overrides), one "FILE:LINE:COL: warning: ..." line each.
std::string config_warnings_text(const config::Topology& t);

}  // namespace mailsim::app
