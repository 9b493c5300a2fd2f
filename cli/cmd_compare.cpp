// mailsim compare TOPOLOGY... [--scenario FILE ...]: the topologies side by side (static
// analysis + a baseline run + one run per single-node crash, each in its own process;
// analysis/compare.hpp, docs/analysis.md).
#include <fmt/format.h>

#include <iostream>

#include "models/registry.hpp"
#include "reports/compare_html.hpp"
#include "reports/compare_table.hpp"
#include "core/output_file.hpp"
#include "analysis/compare.hpp"
#include "cli/commands.hpp"
#include "cli/compare_run.hpp"
#include "app/run_one.hpp"
#include "config/yaml_reader.hpp"
#include "runset/explore.hpp"

namespace mailsim::cli {

int run_compare(const CompareOptions& o) {
  struct Plan {
    config::Topology topo;
    analysis::CompareInput input;
    size_t first = 0;  // index of its baseline in specs; crashes follow, then scenarios
    std::vector<size_t> scenario_spec;  // per extra scenario: index in specs, or npos
  };
  constexpr size_t kNone = static_cast<size_t>(-1);
  if (!(o.at > 0 && o.at < o.duration))
    throw core::InputError({"--at", 0, 0}, fmt::format("the crash time must be inside the {} s runs", o.duration));
  std::vector<Plan> plans;
  std::vector<runset::RunSpec> specs;
  for (const auto& file : o.topologies) {
    Plan p;
    p.topo = config::load_topology(file);
    models::validate_topology(p.topo);
    p.input.analysis = analysis::analyze(p.topo, o.analysis);
    p.input.crash_at_s = o.at;
    p.input.tail_s = std::min(20.0, (o.duration - o.at) / 2);
    runset::ExploreSpec spec;
    spec.topology_name = p.topo.name;
    spec.nodes = p.topo.node_names();
    spec.services = p.topo.service_names();
    spec.base_text = runset::standard_scenario(spec.services, o.rate, o.duration);
    spec.base_name = "compare";
    spec.duration_s = o.duration;
    spec.at_s = o.at;
    const std::string topo_text = config::read_text_file(file);
    p.first = specs.size();
    std::vector<std::vector<std::string>> sets = {{}};
    for (const auto& n : spec.nodes) sets.push_back({n});
    for (const auto& nodes : sets) {
      runset::RunSpec rs;
      rs.label = fmt::format("{}: {}", p.topo.name, nodes.empty() ? "baseline" : "crash " + nodes.front());
      rs.topology_file = file;
      rs.topology_text = topo_text;
      rs.scenario_text = runset::crash_scenario(spec, nodes);
      rs.scenario_file = runset::write_input(o.rs.cache, rs.scenario_text, "compare");
      rs.seed = 1;
      specs.push_back(rs);
    }
    for (const auto& scen : o.scenarios) {
      // A scenario that does not fit this topology (a service or node it lacks) is skipped
      // for it, with the reason in the table.
      try {
        auto in = app::load_inputs(file, scen);
        runset::RunSpec rs;
        rs.label = fmt::format("{}: {}", p.topo.name, in.scenario.name);
        rs.topology_file = file;
        rs.topology_text = topo_text;
        rs.scenario_file = scen;
        rs.scenario_text = config::read_text_file(scen);
        rs.seed = in.scenario.seed;
        p.scenario_spec.push_back(specs.size());
        p.input.scenarios.emplace_back(in.scenario.name, std::nullopt);
        p.input.scenario_errors.push_back("");
        specs.push_back(rs);
      } catch (const core::InputError& e) {
        p.scenario_spec.push_back(kNone);
        p.input.scenarios.emplace_back(scen, std::nullopt);
        p.input.scenario_errors.push_back(std::string("does not fit: ") + e.what());
      }
    }
    plans.push_back(std::move(p));
  }
  std::vector<std::string> errors;
  auto runs = run_specs(specs, o.rs, "compare runs", &errors);
  bool any_failed = !errors.empty();
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
  nlohmann::json result = analysis::compare_result(inputs);
  if (!o.rs.quiet) {
    std::cout << fmt::format("compare: {} topologies; generated runs: every service at {}/s for {} s, one per "
                             "single-node crash at {} s; node availability {}\n\n",
                             o.topologies.size(), o.rate, o.duration, o.at, o.analysis.node_availability);
    std::cout << reports::compare_table(result);
  }
  if (!o.rs.json.empty()) core::write_file_atomically(o.rs.json, result.dump(2) + "\n");
  if (!o.markdown.empty()) core::write_file_atomically(o.markdown, reports::compare_markdown(result));
  if (!o.html.empty()) core::write_file_atomically(o.html, reports::compare_html(result));
  return any_failed ? core::kExitInternal : 0;
}

Command add_compare(CLI::App& app) {
  auto o = std::make_shared<CompareOptions>();
  auto avail = std::make_shared<double>(0.999);
  app.add_option("topologies", o->topologies, "Topology YAML files")->required();
  app.add_option("--scenario", o->scenarios, "Also run these scenarios on every topology they fit (repeatable)");
  app.add_option("--rate", o->rate, "Per-service rate of the generated runs, per second")->capture_default_str();
  app.add_option("--duration", o->duration, "Length of the generated runs, simulated seconds")->capture_default_str();
  app.add_option("--at", o->at, "Crash time in the single-node crash runs, simulated seconds")->capture_default_str();
  app.add_option("--node-availability", *avail, "Per-node availability for the exact availability column")
      ->capture_default_str();
  app.add_option("--markdown", o->markdown, "Write the comparison as Markdown to FILE");
  app.add_option("--html", o->html, "Write the comparison as a self-contained HTML page to FILE");
  o->rs.add_to(app, false);
  return [o, avail] {
    o->analysis.node_availability = *avail;
    return run_compare(*o);
  };
}

}  // namespace mailsim::cli
