#include "app/inputs.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "models/registry.hpp"

namespace mailsim::app {

// An expectation's service or component must exist in the topology: a typo there would
// otherwise only show as "not measured" after the whole run.
void check_expectation_subjects(const config::Scenario& s, const config::Topology& t) {
  check_expectation_subjects(s.expectations, t);
}

void check_expectation_subjects(const std::vector<config::Expectation>& expectations, const config::Topology& t) {
  std::vector<std::string> services, components, stores;
  for (const auto& x : t.services) services.push_back(x.name);
  for (const auto& x : t.components) components.push_back(x.name);
  // The durability ledger's stores: components, and the mail queue of each service that has one.
  stores = components;
  for (const auto& x : t.services)
    if (x.has_delivery()) stores.push_back(x.name + ".queue");
  for (const auto& e : expectations) {
    if (e.subject.empty()) continue;
    config::MetricArg arg = config::MetricArg::kNone;
    for (const auto& m : config::expectation_metrics())
      if (m.name == e.metric) arg = m.arg;
    const std::vector<std::string>* names = nullptr;
    const char* what = "";
    if (arg == config::MetricArg::kService || arg == config::MetricArg::kOptionalService) names = &services, what = "service";
    if (arg == config::MetricArg::kComponent) names = &components, what = "component";
    if (arg == config::MetricArg::kStore) names = &stores, what = "store";
    if (!names || std::find(names->begin(), names->end(), e.subject) != names->end()) continue;
    throw core::InputError(e.subject_mark, fmt::format("{} '{}' is not in topology '{}'{}", what, e.subject, t.name,
                                                       core::did_you_mean(e.subject, *names)));
  }
}

std::string config_warnings_text(const config::Topology& t) {
  std::string out;
  for (const auto& rec : t.configs)
    for (const auto& w : rec.warnings) out += w.text() + "\n";
  return out;
}

Inputs load_inputs(const std::string& topology_file, const std::string& scenario_file) {
  Inputs in{models::load_topology(topology_file), config::load_scenario(scenario_file)};
  models::validate_scenario(in.scenario, in.topology);
  check_expectation_subjects(in.scenario, in.topology);
  return in;
}

}  // namespace mailsim::app
