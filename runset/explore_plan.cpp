#include "runset/explore_plan.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "analysis/analysis.hpp"
#include "app/inputs.hpp"
#include "config/yaml_reader.hpp"
#include "core/error.hpp"
#include "models/registry.hpp"
#include "core/sha256.hpp"

namespace mailsim::runset {

namespace {

std::vector<std::string> names_of(const ExploreSpec& spec, const std::vector<int>& set) {
  std::vector<std::string> nodes;
  for (int i : set) nodes.push_back(spec.nodes[static_cast<size_t>(i)]);
  return nodes;
}

// analyze's answer for the same topology, cut sets up to K (the availability is not
// needed: no state enumeration), for the agreement section; {error} when it refuses.
nlohmann::json analyze_cut_sets(const config::Topology& topo, int max_faults) {
  try {
    analysis::AnalysisOptions ao;
    ao.max_cut_size = max_faults;
    ao.max_exact_nodes = 0;
    auto an = analysis::analyze(topo, ao);
    nlohmann::json svcs = nlohmann::json::object();
    for (const auto& sa : an.services) svcs[sa.name] = {{"min_cut_sets", sa.min_cut_sets}};
    return {{"services", svcs}};
  } catch (const core::InputError& err) {
    return {{"error", err.what()}};
  }
}

}  // namespace

RunSpec crash_run(const ExploreSpec& spec, const std::vector<std::string>& nodes, const std::string& topology_file,
                  const std::string& topology_text, const std::string& cache, const std::string& stem) {
  RunSpec rs;
  rs.label = nodes.empty() ? "baseline" : "crash " + fmt::format("{}", fmt::join(nodes, "+"));
  rs.topology_file = topology_file;
  rs.topology_text = topology_text;
  rs.scenario_text = crash_scenario(spec, nodes);
  rs.scenario_file = write_input(cache, rs.scenario_text, stem);
  rs.seed = spec.seed;
  return rs;
}

nlohmann::json ExplorePlan::item(size_t index, const nlohmann::json* run, const std::string& error) const {
  return explore_item(spec, index, names_of(spec, fault_sets[index]), run, error);
}

ExplorePlan plan_explore(const ExploreRequest& r) {
  config::Topology topo = models::load_topology(r.topology_file);
  ExplorePlan plan;
  ExploreSpec& spec = plan.spec;
  spec.topology_name = topo.name;
  spec.nodes = topo.node_names();
  spec.services = topo.service_names();
  spec.max_faults = r.faults;
  spec.at_s = r.at;
  spec.for_s = r.for_s;
  spec.slo_text = r.slo;
  spec.slo = config::parse_expectation_list(r.slo, "--slo");
  app::check_expectation_subjects(spec.slo, topo);
  std::string base_file = r.scenario_file;
  if (!base_file.empty() && r.duration)
    throw core::InputError({"--duration", 0, 0}, "--duration sets the standard load's length; with --scenario, edit its duration");
  if (r.duration && !(*r.duration > 0 && *r.duration <= 1e6))
    throw core::InputError({"--duration", 0, 0}, "the duration must be a positive number of seconds");
  if (base_file.empty()) {
    spec.base_text = standard_scenario(spec.services, r.rate, r.duration.value_or(150));
    base_file = write_input(r.cache, spec.base_text, "explore-standard");
  } else {
    spec.base_text = config::read_text_file(base_file);
  }
  auto base = app::load_inputs(r.topology_file, base_file);
  spec.base_name = base.scenario.name;
  spec.duration_s = base.scenario.duration.seconds;
  spec.seed = r.seed.value_or(base.scenario.seed);
  if (!(spec.at_s > 0 && spec.at_s < spec.duration_s))
    throw core::InputError({"--at", 0, 0}, fmt::format("the crash time must be inside the scenario's {} s", spec.duration_s));
  spec.tail_s = r.tail.value_or(std::min(20.0, (spec.duration_s - spec.at_s) / 2));
  if (!(spec.tail_s > 0 && spec.tail_s <= spec.duration_s - spec.at_s))
    throw core::InputError({"--tail", 0, 0}, "the tail must be positive and after the crash");

  const std::string topo_text = config::read_text_file(r.topology_file);
  plan.fault_sets = fault_sets(static_cast<int>(spec.nodes.size()), spec.max_faults);
  for (size_t k = 0; k < plan.fault_sets.size(); ++k)
    if (r.shard.owns(k))
      plan.runs.add(k, crash_run(spec, names_of(spec, plan.fault_sets[k]), r.topology_file, topo_text, r.cache, "explore"));
  plan.set = explore_set(spec, core::Sha256().field(topo_text).field(spec.base_text).hex());
  plan.set["top"] = r.top;
  plan.set["analysis"] = analyze_cut_sets(topo, spec.max_faults);
  return plan;
}

}  // namespace mailsim::runset
