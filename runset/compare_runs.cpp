#include "runset/compare_runs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <optional>

#include "analysis/compare.hpp"
#include "app/inputs.hpp"
#include "config/yaml_reader.hpp"
#include "core/error.hpp"
#include "models/registry.hpp"
#include "runset/explore_plan.hpp"

namespace mailsim::runset {

namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

struct Plan {
  config::Topology topo;
  analysis::CompareInput input;
  size_t first = 0;                   // index of its baseline in the specs; crashes follow
  std::vector<size_t> scenario_spec;  // per extra scenario: index in the specs, or kNone
};

// One topology's runs: the baseline, one crash per node, then the scenarios that fit.
Plan plan_topology(const CompareRequest& r, const std::string& file, std::vector<RunSpec>* specs) {
  Plan p;
  p.topo = models::load_topology(file);
  p.input.analysis = analysis::analyze(p.topo, r.analysis);
  p.input.crash_at_s = r.at;
  p.input.tail_s = std::min(20.0, (r.duration - r.at) / 2);
  ExploreSpec spec;
  spec.topology_name = p.topo.name;
  spec.nodes = p.topo.node_names();
  spec.services = p.topo.service_names();
  spec.base_text = standard_scenario(spec.services, r.rate, r.duration);
  spec.base_name = "compare";
  spec.duration_s = r.duration;
  spec.at_s = r.at;
  const std::string topo_text = config::read_text_file(file);
  p.first = specs->size();
  std::vector<std::vector<std::string>> sets = {{}};
  for (const auto& n : spec.nodes) sets.push_back({n});
  for (const auto& nodes : sets) {
    RunSpec rs = crash_run(spec, nodes, file, topo_text, r.cache, "compare");
    rs.label = fmt::format("{}: {}", p.topo.name, rs.label);
    specs->push_back(rs);
  }
  for (const auto& scen : r.scenarios) {
    // A scenario that does not fit this topology (a service or node it lacks) is skipped
    // for it, with the reason in the table.
    try {
      auto in = app::load_inputs(file, scen);
      RunSpec rs{fmt::format("{}: {}", p.topo.name, in.scenario.name), file, scen, topo_text,
                 config::read_text_file(scen), in.scenario.seed};
      p.scenario_spec.push_back(specs->size());
      p.input.scenarios.emplace_back(in.scenario.name, std::nullopt);
      p.input.scenario_errors.push_back("");
      specs->push_back(rs);
    } catch (const core::InputError& e) {
      p.scenario_spec.push_back(kNone);
      p.input.scenarios.emplace_back(scen, std::nullopt);
      p.input.scenario_errors.push_back(std::string("does not fit: ") + e.what());
    }
  }
  return p;
}

}  // namespace

nlohmann::json compare_topologies(const CompareRequest& r, const RunnerOptions& o, bool* any_failed) {
  if (!(r.at > 0 && r.at < r.duration))
    throw core::InputError({"--at", 0, 0}, fmt::format("the crash time must be inside the {} s runs", r.duration));
  std::vector<Plan> plans;
  std::vector<RunSpec> specs;
  for (const auto& file : r.topologies) plans.push_back(plan_topology(r, file, &specs));
  std::vector<std::string> errors;
  auto runs = run_specs(specs, o, &errors);
  *any_failed = !errors.empty();
  std::vector<analysis::CompareInput> inputs;
  for (auto& p : plans) {
    p.input.baseline = runs[p.first];
    const auto& nodes = p.topo.node_names();
    for (size_t i = 0; i < nodes.size(); ++i) p.input.crashes.emplace_back(nodes[i], runs[p.first + 1 + i]);
    for (size_t i = 0; i < p.scenario_spec.size(); ++i)
      if (p.scenario_spec[i] != kNone) {
        p.input.scenarios[i].second = runs[p.scenario_spec[i]];
        if (!runs[p.scenario_spec[i]]) p.input.scenario_errors[i] = "run failed";
      }
    inputs.push_back(std::move(p.input));
  }
  for (const auto& e : errors) std::cerr << e << "\n";
  return analysis::compare_result(inputs);
}

}  // namespace mailsim::runset
