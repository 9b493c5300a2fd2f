// mailsim explore TOPOLOGY --faults K [--scenario BASE]: every combination of up to K node
// crashes under one load, ranked by impact per service, compared with `mailsim analyze`'s
// cut sets for the same topology (runset/explore.hpp).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>

#include "models/registry.hpp"
#include "analysis/analysis.hpp"
#include "cli/commands.hpp"
#include "app/run_one.hpp"
#include "cli/runset_common.hpp"
#include "config/yaml_reader.hpp"
#include "runset/explore.hpp"
#include "runset/sha256.hpp"

namespace mailsim::cli {

Command add_explore(CLI::App& app) {
  struct Opts {
    std::string topology, scenario;
    int faults = 1;
    double rate = 100;
    std::optional<double> duration;
    double at = 30.5;
    std::optional<double> for_s;
    std::optional<double> tail;
    std::optional<uint64_t> seed;
    int top = 10;
    std::string slo;
    RunSetOptions rs;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("topology", o->topology, "Topology YAML file")->required();
  app.add_option("--faults", o->faults, "Crash every combination of 1..K nodes")->capture_default_str()->check(CLI::Range(1, 4));
  app.add_option("--scenario", o->scenario, "Base scenario: its load is used, its faults are dropped "
                                            "(default: every service at --rate for --duration s)");
  app.add_option("--rate", o->rate, "Per-service rate of the standard load, per second")->capture_default_str();
  app.add_option("--duration", o->duration, "Seconds of the standard load (default 150); a failover slower than "
                                            "duration - at - tail is judged down");
  app.add_option("--at", o->at, "Crash time, simulated seconds (off the models' whole-second periods)")
      ->capture_default_str();
  app.add_option("--for", o->for_s, "Restart the crashed nodes after this many seconds (default: permanent)");
  app.add_option("--tail", o->tail, "Seconds before the end over which recovery is judged (default: min(20, (duration-at)/2))");
  app.add_option("--seed", o->seed, "Seed (default: the scenario's)");
  app.add_option("--top", o->top, "Rows per service in the ranking table")->capture_default_str();
  app.add_option("--slo", o->slo, "Also judge every run against these expectations, comma-separated, e.g. "
                                  "'availability >= 99%, p99(imap) <= 2s' (no service: every service)");
  o->rs.add_to(app, true);
  return [o] {
    config::Topology topo = config::load_topology(o->topology);
    models::validate_topology(topo);
    runset::ExploreSpec spec;
    spec.topology_name = topo.name;
    spec.nodes = topo.node_names();
    spec.services = topo.service_names();
    spec.max_faults = o->faults;
    spec.at_s = o->at;
    spec.for_s = o->for_s;
    spec.slo_text = o->slo;
    spec.slo = config::parse_expectation_list(o->slo, "--slo");
    app::check_expectation_subjects(spec.slo, topo);
    std::string base_file = o->scenario;
    if (!base_file.empty() && o->duration)
      throw core::InputError({"--duration", 0, 0}, "--duration sets the standard load's length; with --scenario, edit its duration");
    if (o->duration && !(*o->duration > 0 && *o->duration <= 1e6))
      throw core::InputError({"--duration", 0, 0}, "the duration must be a positive number of seconds");
    if (base_file.empty()) {
      spec.base_text = runset::standard_scenario(spec.services, o->rate, o->duration.value_or(150));
      base_file = runset::write_input(o->rs.cache, spec.base_text, "explore-standard");
    } else {
      spec.base_text = config::read_text_file(base_file);
    }
    auto base = app::load_inputs(o->topology, base_file);
    spec.base_name = base.scenario.name;
    spec.duration_s = base.scenario.duration.seconds;
    spec.seed = o->seed.value_or(base.scenario.seed);
    if (!(spec.at_s > 0 && spec.at_s < spec.duration_s))
      throw core::InputError({"--at", 0, 0}, fmt::format("the crash time must be inside the scenario's {} s", spec.duration_s));
    spec.tail_s = o->tail.value_or(std::min(20.0, (spec.duration_s - spec.at_s) / 2));
    if (!(spec.tail_s > 0 && spec.tail_s <= spec.duration_s - spec.at_s))
      throw core::InputError({"--tail", 0, 0}, "the tail must be positive and after the crash");

    const std::string topo_text = config::read_text_file(o->topology);
    auto sets = runset::fault_sets(static_cast<int>(spec.nodes.size()), spec.max_faults);
    runset::Shard shard = o->rs.parsed_shard();
    std::vector<runset::RunSpec> specs;
    std::vector<size_t> owned;
    for (size_t k = 0; k < sets.size(); ++k) {
      if (!shard.owns(k)) continue;
      std::vector<std::string> nodes;
      for (int i : sets[k]) nodes.push_back(spec.nodes[static_cast<size_t>(i)]);
      runset::RunSpec rs;
      rs.label = nodes.empty() ? "baseline" : "crash " + fmt::format("{}", fmt::join(nodes, "+"));
      rs.topology_file = o->topology;
      rs.topology_text = topo_text;
      rs.scenario_text = runset::crash_scenario(spec, nodes);
      rs.scenario_file = runset::write_input(o->rs.cache, rs.scenario_text, "explore");
      rs.seed = spec.seed;
      specs.push_back(rs);
      owned.push_back(k);
    }
    std::vector<std::string> errors;
    auto runs = run_specs(specs, o->rs, "explore runs", &errors);
    std::vector<nlohmann::json> items;
    size_t e = 0;
    for (size_t q = 0; q < owned.size(); ++q) {
      std::vector<std::string> nodes;
      for (int i : sets[owned[q]]) nodes.push_back(spec.nodes[static_cast<size_t>(i)]);
      items.push_back(runset::explore_item(spec, owned[q], nodes, runs[q] ? &*runs[q] : nullptr,
                                           runs[q] ? "" : errors[e++]));
    }
    nlohmann::json set = runset::explore_set(spec, runset::Sha256().field(topo_text).field(spec.base_text).hex());
    set["top"] = o->top;
    // analyze's answer for the same topology, cut sets up to K (the availability is not
    // needed: no state enumeration), for the agreement section.
    try {
      analysis::AnalysisOptions ao;
      ao.max_cut_size = spec.max_faults;
      ao.max_exact_nodes = 0;
      auto an = analysis::analyze(topo, ao);
      nlohmann::json svcs = nlohmann::json::object();
      for (const auto& sa : an.services) svcs[sa.name] = {{"min_cut_sets", sa.min_cut_sets}};
      set["analysis"] = {{"services", svcs}};
    } catch (const core::InputError& err) {
      set["analysis"] = {{"error", err.what()}};
    }
    return finish_set(set, items, o->rs, !errors.empty());
  };
}

}  // namespace mailsim::cli
