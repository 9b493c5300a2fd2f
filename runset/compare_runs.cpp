#include "runset/compare_runs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <optional>
#include <set>

#include "analysis/assumptions.hpp"
#include "analysis/compare.hpp"
#include "app/inputs.hpp"
#include "config/yaml_reader.hpp"
#include "core/error.hpp"
#include "models/registry.hpp"
#include "runset/explore_plan.hpp"
#include "runset/sweep.hpp"
#include "runset/yaml_edit.hpp"

namespace mailsim::runset {

namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

// One compared topology: a file as given, or a variant of it (--vary) written under the cache.
struct Entry {
  std::string given;             // the file the user named
  std::string file;              // the file that is run: `given`, or the variant's copy
  std::string label;             // a variant's name in the document ("NAME [KEY=VALUE]"); "" = the topology's
  nlohmann::json variant;        // PATH -> VALUE of the variant; null for the file as given
};

// The topologies to compare: each file once, or once per point of the --vary grid. A path
// that does not exist in a topology, or a value its reader refuses, is bad input before
// anything runs (the reader's error points into the generated copy).
std::vector<Entry> compared_entries(const CompareRequest& r) {
  std::vector<SweepAxis> axes;
  for (const auto& v : r.vary) {
    axes.push_back(parse_axis(v, "--vary"));
    if (!axes.back().topology)
      throw core::InputError({"--vary", 0, 0}, fmt::format("'{}' is a scenario path; --vary changes the topologies "
                                                           "(compare generates its own scenarios; use sweep for those)",
                                                           axes.back().path));
  }
  std::vector<Entry> out;
  for (const auto& file : r.topologies) {
    if (axes.empty()) {
      out.push_back({file, file, "", nullptr});  // its name: plan_topology reads it
      continue;
    }
    const config::Topology original = models::load_topology(file);
    const std::string text = config::read_text_file(file);
    for (const auto& g : grid_points(axes)) {
      Entry e{file, "", original.name, nlohmann::json::object()};
      std::string t = text, what;
      for (size_t a = 0; a < axes.size(); ++a) {
        const std::string& v = axes[a].values[g[a]];
        t = yaml_set(t, axes[a].path, v, "--vary");
        e.variant[axes[a].path] = v;
        what += (what.empty() ? "" : " ") + axes[a].path.substr(axes[a].path.rfind('.') + 1) + "=" + v;
      }
      e.file = write_input(r.cache, keep_config_folder(t, original, "--vary"), "compare-topology");
      e.label += " [" + what + "]";
      out.push_back(e);
    }
  }
  return out;
}

struct Plan {
  config::Topology topo;
  std::string label;  // Entry::label
  analysis::CompareInput input;
  size_t first = 0;                   // index of its baseline in the specs; crashes follow
  std::vector<size_t> scenario_spec;  // per extra scenario: index in the specs, or kNone
  std::vector<std::string> scenario_names;  // per extra scenario: its name in the document
};

// One topology's runs: the baseline, one crash per node, then the scenarios that fit.
Plan plan_topology(const CompareRequest& r, const Entry& entry, std::vector<RunSpec>* specs) {
  const std::string& file = entry.file;
  Plan p;
  p.topo = models::load_topology(file);
  p.label = entry.label.empty() ? p.topo.name : entry.label;
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
    rs.label = fmt::format("{}: {}", p.label, rs.label);
    // The baseline is fault-free: if it cannot keep up with the generated load it ends
    // early, marked overloaded (the crash runs' outages would look the same to a client).
    rs.stop_overloaded = nodes.empty();
    specs->push_back(rs);
  }
  for (const auto& scen : r.scenarios) {
    // A scenario that does not fit this topology (a service or node it lacks) is skipped
    // for it, with the reason in the table.
    try {
      auto in = app::load_inputs(file, scen);
      RunSpec rs{fmt::format("{}: {}", p.label, in.scenario.name), file, scen, topo_text,
                 config::read_text_file(scen), in.scenario.seed};
      p.scenario_spec.push_back(specs->size());
      p.input.scenarios.emplace_back(in.scenario.name, std::nullopt);
      p.scenario_names.push_back(in.scenario.name);
      p.input.scenario_errors.push_back("");
      specs->push_back(rs);
    } catch (const core::InputError& e) {
      p.scenario_spec.push_back(kNone);
      p.input.scenarios.emplace_back(scen, std::nullopt);
      p.scenario_names.push_back(scen);
      p.input.scenario_errors.push_back(std::string("does not fit: ") + e.what());
    }
  }
  return p;
}

// The components whose mechanisms made a run's figures: those that failed over, and
// those that reported lost mail.
std::set<std::string> acting_components(const std::optional<nlohmann::json>& run) {
  std::set<std::string> out;
  if (!run) return out;
  for (const auto& f : run->value("failovers", nlohmann::json::array())) out.insert(f.value("component", ""));
  for (const auto& e : run->value("events", nlohmann::json::array()))
    if (e.value("kind", "") == "mail.lost") out.insert(e.value("component", ""));
  return out;
}

// Adds to each service of `doc` (one topology of the compare document) the assumptions
// behind its worst crash and its lost mail (analysis/assumptions.hpp).
void add_assumptions(const Plan& p, const std::string& file, const std::vector<std::optional<nlohmann::json>>& runs,
                     nlohmann::json& doc) {
  const std::string text = config::read_text_file(file);
  auto run_named = [&](const std::string& name) -> std::optional<nlohmann::json> {
    if (name == "baseline") return runs[p.first];
    const auto& nodes = p.topo.node_names();
    for (size_t i = 0; i < nodes.size(); ++i)
      if (name == "crash " + nodes[i]) return runs[p.first + 1 + i];
    for (size_t i = 0; i < p.scenario_spec.size(); ++i)
      if (p.scenario_spec[i] != kNone && p.scenario_names[i] == name) return runs[p.scenario_spec[i]];
    return std::nullopt;
  };
  for (auto& s : doc["services"]) {
    nlohmann::json a = nlohmann::json::object();
    if (s["worst_crash"].is_object()) {
      const auto notes = analysis::assumptions_of(p.topo, text, acting_components(run_named("crash " + s["worst_crash"]["node"].get<std::string>())));
      if (!notes.empty()) a["worst_crash"] = notes;
    }
    if (s["lost_mail"].is_object() && s["lost_mail"]["count"].get<uint64_t>() > 0) {
      const auto notes = analysis::assumptions_of(p.topo, text, acting_components(run_named(s["lost_mail"]["run"].get<std::string>())));
      if (!notes.empty()) a["lost_mail"] = notes;
    }
    s["assumptions"] = a;
  }
}

}  // namespace

nlohmann::json compare_topologies(const CompareRequest& r, const RunnerOptions& o, bool* any_failed) {
  if (!(r.at > 0 && r.at < r.duration))
    throw core::InputError({"--at", 0, 0}, fmt::format("the crash time must be inside the {} s runs", r.duration));
  const std::vector<Entry> entries = compared_entries(r);
  std::vector<Plan> plans;
  std::vector<RunSpec> specs;
  for (const auto& e : entries) plans.push_back(plan_topology(r, e, &specs));
  std::vector<std::string> errors;
  auto runs = run_specs(specs, o, &errors);
  *any_failed = !errors.empty();
  std::vector<analysis::CompareInput> inputs;
  for (auto& p : plans) {
    p.input.baseline = runs[p.first];
    const auto& nodes = p.topo.node_names();
    p.input.baseline_command = reproduce_command(specs[p.first]);
    for (size_t i = 0; i < nodes.size(); ++i)
      p.input.crashes.push_back({nodes[i], runs[p.first + 1 + i], reproduce_command(specs[p.first + 1 + i])});
    for (size_t i = 0; i < p.scenario_spec.size(); ++i)
      if (p.scenario_spec[i] != kNone) {
        p.input.scenarios[i].second = runs[p.scenario_spec[i]];
        if (!runs[p.scenario_spec[i]]) p.input.scenario_errors[i] = "run failed";
      }
    inputs.push_back(std::move(p.input));
  }
  for (const auto& e : errors) std::cerr << e << "\n";
  nlohmann::json result = analysis::compare_result(inputs);
  for (size_t i = 0; i < plans.size(); ++i) {
    nlohmann::json& t = result["topologies"][i];
    add_assumptions(plans[i], entries[i].file, runs, t);
    if (!entries[i].variant.is_null()) {
      t["topology"] = entries[i].label;
      t["file"] = entries[i].given;
      t["variant"] = {{"values", entries[i].variant}, {"file", entries[i].file}};
    }
  }
  // What a reader needs to know what was run, and to run it again.
  result["version"] = MAILSIM_VERSION;
  result["load"] = {{"rate_per_s", r.rate},
                    {"duration_s", r.duration},
                    {"crash_at_s", r.at},
                    {"node_availability", r.analysis.node_availability}};
  std::string command = "mailsim compare";
  for (const auto& t : r.topologies) command += " " + t;
  for (const auto& v : r.vary) command += " --vary " + v;
  for (const auto& s : r.scenarios) command += " --scenario " + s;
  result["command"] = command + fmt::format(" --rate {} --duration {} --at {} --node-availability {}", r.rate,
                                            r.duration, r.at, r.analysis.node_availability);
  return result;
}

}  // namespace mailsim::runset
