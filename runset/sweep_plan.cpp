#include "runset/sweep_plan.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <yaml-cpp/yaml.h>

#include "app/inputs.hpp"
#include "config/topology.hpp"
#include "config/yaml_reader.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "runset/sweep.hpp"
#include "runset/yaml_edit.hpp"

namespace mailsim::runset {

namespace {

std::string path_of(const std::string& arg) { return arg.substr(0, arg.find('=')); }

// The knee axis: an index into the grid axes then the range axes; none for a hypercube
// without --knee.
std::optional<size_t> knee_axis(const SweepRequest& r, const std::vector<SweepAxis>& axes,
                                const std::vector<RangeAxis>& ranges) {
  if (r.knee.empty()) return r.lhs == 0 ? std::optional<size_t>(0) : std::nullopt;
  std::optional<size_t> k;
  for (size_t a = 0; a < axes.size(); ++a)
    if (path_of(r.sets[a]) == r.knee || axes[a].path == r.knee) k = a;
  for (size_t i = 0; i < ranges.size(); ++i)
    if (path_of(r.ranges[i]) == r.knee || ranges[i].path == r.knee) k = axes.size() + i;
  if (!k) throw core::InputError({"--knee", 0, 0}, "'" + r.knee + "' is not the path of a --set or --range");
  if (r.lhs > 0 && *k < axes.size())
    throw core::InputError({"--knee", 0, 0}, "with --lhs, --knee names a --range axis (the safe limit along it); "
                                             "the --set axes are compared side by side");
  return k;
}

}  // namespace

nlohmann::json SweepPlan::item(size_t index, const nlohmann::json* run, const std::string& error) const {
  const size_t p = index / static_cast<size_t>(reps);
  const int rep = static_cast<int>(index % static_cast<size_t>(reps));
  return sweep_item(index, values[p], rep, seed0 + static_cast<uint64_t>(rep), run, slo, error);
}

SweepPlan plan_sweep(const SweepRequest& r) {
  std::vector<SweepAxis> axes;
  for (const auto& s : r.sets) axes.push_back(parse_axis(s, "--set"));
  std::vector<RangeAxis> ranges;
  for (const auto& s : r.ranges) ranges.push_back(parse_range(s, "--range"));
  if (r.lhs > 0 && ranges.empty())
    throw core::InputError({"--lhs", 0, 0}, "--lhs N needs at least one --range PATH=LO..HI to sample");
  if (r.lhs == 0 && !ranges.empty())
    throw core::InputError({"--range", 0, 0}, "--range axes are sampled by a Latin hypercube: give --lhs N");
  if (axes.empty() && ranges.empty())
    throw core::InputError({"sweep", 0, 0}, "nothing to sweep: give --set PATH=VALUES (a grid) or --lhs N --range PATH=LO..HI");
  // Each axis as (document, path, --set/--range), grid axes first.
  struct Axis {
    bool topology;
    std::string path;
    const char* origin;
  };
  std::vector<Axis> all;
  for (const auto& a : axes) all.push_back({a.topology, a.path, "--set"});
  for (const auto& a : ranges) all.push_back({a.topology, a.path, "--range"});
  std::set<std::string> seen;
  for (const auto& a : all) {
    std::string p = (a.topology ? "topology." : "scenario.") + a.path;
    if (!seen.insert(p).second) throw core::InputError({"sweep", 0, 0}, "'" + p + "' is swept twice");
  }
  const std::optional<size_t> knee = knee_axis(r, axes, ranges);

  SweepPlan plan;
  plan.slo = config::parse_expectation_list(r.slo, "--slo");
  auto base = app::load_inputs(r.topology_file, r.scenario_file);
  app::check_expectation_subjects(plan.slo, base.topology);
  plan.seed0 = r.seed.value_or(base.scenario.seed);
  plan.reps = r.reps;
  const std::string topo_text = config::read_text_file(r.topology_file);
  const std::string scen_text = config::read_text_file(r.scenario_file);
  // Points: the grid (first --set outermost), each crossed with the hypercube's points.
  std::vector<std::vector<std::string>> design;
  if (r.lhs > 0) design = lhs_design(ranges, r.lhs, plan.seed0);
  for (const auto& g : grid_points(axes)) {
    std::vector<std::string> gv;
    for (size_t a = 0; a < axes.size(); ++a) gv.push_back(axes[a].values[g[a]]);
    if (design.empty()) {
      plan.values.push_back(gv);
      continue;
    }
    for (const auto& d : design) {
      auto v = gv;
      v.insert(v.end(), d.begin(), d.end());
      plan.values.push_back(v);
    }
  }
  const size_t reps = static_cast<size_t>(r.reps);
  for (size_t p = 0; p < plan.values.size(); ++p) {
    std::string t = topo_text, s = scen_text;
    std::string label;
    for (size_t a = 0; a < all.size(); ++a) {
      const std::string& v = plan.values[p][a];
      if (all[a].topology) t = yaml_set(t, all[a].path, v, all[a].origin);
      else s = yaml_set(s, all[a].path, v, all[a].origin);
      label += (label.empty() ? "" : " ") + all[a].path + "=" + v;
    }
    bool owns_any = false;
    for (size_t rep = 0; rep < reps; ++rep) owns_any = owns_any || r.shard.owns(p * reps + rep);
    if (!owns_any) continue;
    if (t != topo_text) t = keep_config_folder(t, base.topology, "sweep");
    std::string tf = t == topo_text ? r.topology_file : write_input(r.cache, t, "sweep-topology");
    std::string sf = s == scen_text ? r.scenario_file : write_input(r.cache, s, "sweep-scenario");
    // A bad value is bad input here, with its position in the generated file.
    const bool fault_free = app::load_inputs(tf, sf).scenario.faults.empty();
    for (size_t rep = 0; rep < reps; ++rep)
      if (r.shard.owns(p * reps + rep))
        plan.runs.add(p * reps + rep, {fmt::format("{} rep {}", label, rep), tf, sf, t, s, plan.seed0 + rep,
                                       r.stop_overloaded && fault_free});
  }
  plan.set = {{"kind", "sweep"},
              {"topology", base.topology.name},
              {"scenario", base.scenario.name},
              {"design", r.lhs > 0 ? "lhs" : "grid"},
              {"axes", axes_json(axes, ranges)},
              {"reps", r.reps},
              {"seed", plan.seed0},
              {"slo", r.slo},
              {"knee_axis", knee ? nlohmann::json(*knee) : nlohmann::json(nullptr)},
              {"total", plan.values.size() * reps},
              {"inputs", core::Sha256().field(topo_text).field(scen_text).hex()}};
  if (r.lhs > 0) plan.set["lhs"] = {{"points", r.lhs}, {"seed", plan.seed0}};
  // The command that reproduces the whole set (without --shard), for the reports' header.
  std::string command = fmt::format("mailsim sweep {} {}", r.topology_file, r.scenario_file);
  for (const auto& x : r.sets) command += " --set " + x;
  for (const auto& x : r.ranges) command += " --range " + x;
  if (r.lhs > 0) command += fmt::format(" --lhs {}", r.lhs);
  command += fmt::format(" --reps {} --seed {}", r.reps, plan.seed0);
  if (!r.slo.empty()) command += " --slo '" + r.slo + "'";
  if (!r.knee.empty()) command += " --knee " + r.knee;
  if (!r.stop_overloaded) command += " --run-overloaded";
  plan.set["command"] = command;
  return plan;
}

}  // namespace mailsim::runset
