// mailsim sweep TOPOLOGY SCENARIO --set PATH=VALUES... and/or --lhs N --range PATH=LO..HI...:
// a grid over YAML paths, or a seeded Latin hypercube over ranges (crossed with the grid),
// with replications, a table, CSV, an HTML plot, and the knee: the highest value of the
// knee axis at which the SLO still holds (a hypercube: the safe limit along a range, the
// others free) (runset/sweep.hpp, reports/sweep_html.hpp).
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "core/output_file.hpp"
#include "reports/sweep_html.hpp"
#include "reports/sweep_table.hpp"
#include "cli/commands.hpp"
#include "app/run_one.hpp"
#include "cli/runset_common.hpp"
#include "config/yaml_reader.hpp"
#include "runset/sha256.hpp"
#include "runset/merge.hpp"
#include "runset/sweep.hpp"
#include "runset/yaml_edit.hpp"

namespace mailsim::cli {

Command add_sweep(CLI::App& app) {
  struct Opts {
    std::string topology, scenario, slo, knee, csv, html;
    std::vector<std::string> sets, ranges;
    size_t lhs = 0;
    int reps = 1;
    std::optional<uint64_t> seed;
    RunSetOptions rs;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("topology", o->topology, "Topology YAML file")->required();
  app.add_option("scenario", o->scenario, "Scenario YAML file")->required();
  app.add_option("--set", o->sets, "PATH=V1,V2,... or PATH=A..B*F or PATH=A..B+S (repeatable; the grid is their product)");
  app.add_option("--lhs", o->lhs, "Latin hypercube of N points over the --range axes (crossed with the --set grid, if any)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--range", o->ranges, "With --lhs: PATH=LO..HI or PATH=LO..HI:log (repeatable; integer bounds without "
                                       "a unit give integers)");
  app.add_option("--reps", o->reps, "Replications per point (seeds: seed, seed+1, ...)")->capture_default_str()
      ->check(CLI::Range(1, 10000));
  app.add_option("--seed", o->seed, "First seed (default: the scenario's)");
  app.add_option("--slo", o->slo, "Expectations, comma-separated, e.g. 'availability >= 99.9%, p99 <= 800ms, "
                                  "outage_max(smtp) <= 5s' (no service: every service; default: the scenario's expect:)");
  app.add_option("--knee", o->knee, "The axis along which to find the knee: a --set PATH (default: the first), or with "
                                    "--lhs a --range PATH (the safe limit along it, the other ranges free)");
  app.add_option("--csv", o->csv, "Write the results table as CSV to this file");
  app.add_option("--html", o->html, "Write a self-contained HTML page plotting p99 latency and availability per service "
                                    "against the knee axis");
  o->rs.add_to(app, true);
  return [o] {
    std::vector<runset::SweepAxis> axes;
    for (const auto& s : o->sets) axes.push_back(runset::parse_axis(s, "--set"));
    std::vector<runset::RangeAxis> ranges;
    for (const auto& r : o->ranges) ranges.push_back(runset::parse_range(r, "--range"));
    if (o->lhs > 0 && ranges.empty())
      throw core::InputError({"--lhs", 0, 0}, "--lhs N needs at least one --range PATH=LO..HI to sample");
    if (o->lhs == 0 && !ranges.empty())
      throw core::InputError({"--range", 0, 0}, "--range axes are sampled by a Latin hypercube: give --lhs N");
    if (axes.empty() && ranges.empty())
      throw core::InputError({"sweep", 0, 0}, "nothing to sweep: give --set PATH=VALUES (a grid) or --lhs N --range PATH=LO..HI");
    auto path_of = [](const std::string& arg) { return arg.substr(0, arg.find('=')); };
    std::set<std::string> seen;
    for (size_t a = 0; a < axes.size() + ranges.size(); ++a) {
      std::string p = a < axes.size() ? (axes[a].topology ? "topology." : "scenario.") + axes[a].path
                                       : (ranges[a - axes.size()].topology ? "topology." : "scenario.") + ranges[a - axes.size()].path;
      if (!seen.insert(p).second) throw core::InputError({"sweep", 0, 0}, "'" + p + "' is swept twice");
    }
    // The knee axis: an index into grid axes then range axes; none for a hypercube without --knee.
    std::optional<size_t> knee_axis;
    if (!o->knee.empty()) {
      for (size_t a = 0; a < axes.size(); ++a)
        if (path_of(o->sets[a]) == o->knee || axes[a].path == o->knee) knee_axis = a;
      for (size_t r = 0; r < ranges.size(); ++r)
        if (path_of(o->ranges[r]) == o->knee || ranges[r].path == o->knee) knee_axis = axes.size() + r;
      if (!knee_axis) throw core::InputError({"--knee", 0, 0}, "'" + o->knee + "' is not the path of a --set or --range");
      if (o->lhs > 0 && *knee_axis < axes.size())
        throw core::InputError({"--knee", 0, 0}, "with --lhs, --knee names a --range axis (the safe limit along it); "
                                                 "the --set axes are compared side by side");
    } else if (o->lhs == 0) {
      knee_axis = 0;
    }
    auto slo = config::parse_expectation_list(o->slo, "--slo");
    auto base = app::load_inputs(o->topology, o->scenario);
    app::check_expectation_subjects(slo, base.topology);
    const uint64_t seed0 = o->seed.value_or(base.scenario.seed);
    const std::string topo_text = config::read_text_file(o->topology);
    const std::string scen_text = config::read_text_file(o->scenario);
    // Points: the grid (first --set outermost), each crossed with the hypercube's points.
    auto grid = runset::grid_points(axes);
    std::vector<std::vector<std::string>> design;
    if (o->lhs > 0) design = runset::lhs_design(ranges, o->lhs, seed0);
    std::vector<std::vector<std::string>> values;
    for (const auto& g : grid) {
      std::vector<std::string> gv;
      for (size_t a = 0; a < axes.size(); ++a) gv.push_back(axes[a].values[g[a]]);
      if (design.empty()) {
        values.push_back(gv);
        continue;
      }
      for (const auto& d : design) {
        auto v = gv;
        v.insert(v.end(), d.begin(), d.end());
        values.push_back(v);
      }
    }
    const size_t npoints = values.size();
    runset::Shard shard = o->rs.parsed_shard();
    std::vector<runset::RunSpec> specs;
    std::vector<size_t> owned;
    for (size_t p = 0; p < npoints; ++p) {
      std::string t = topo_text, s = scen_text;
      std::string label;
      for (size_t a = 0; a < axes.size() + ranges.size(); ++a) {
        const std::string& v = values[p][a];
        const bool topology = a < axes.size() ? axes[a].topology : ranges[a - axes.size()].topology;
        const std::string& path = a < axes.size() ? axes[a].path : ranges[a - axes.size()].path;
        const char* origin = a < axes.size() ? "--set" : "--range";
        if (topology) t = runset::yaml_set(t, path, v, origin);
        else s = runset::yaml_set(s, path, v, origin);
        label += (label.empty() ? "" : " ") + path + "=" + v;
      }
      bool owns_any = false;
      for (int r = 0; r < o->reps; ++r) owns_any = owns_any || shard.owns(p * static_cast<size_t>(o->reps) + static_cast<size_t>(r));
      if (!owns_any) continue;
      std::string tf = t == topo_text ? o->topology : runset::write_input(o->rs.cache, t, "sweep-topology");
      std::string sf = s == scen_text ? o->scenario : runset::write_input(o->rs.cache, s, "sweep-scenario");
      app::load_inputs(tf, sf);  // a bad value is bad input here, with its position in the generated file
      for (int r = 0; r < o->reps; ++r) {
        size_t index = p * static_cast<size_t>(o->reps) + static_cast<size_t>(r);
        if (!shard.owns(index)) continue;
        runset::RunSpec rs{fmt::format("{} rep {}", label, r), tf, sf, t, s, seed0 + static_cast<uint64_t>(r)};
        specs.push_back(rs);
        owned.push_back(index);
      }
    }
    std::vector<std::string> errors;
    auto runs = run_specs(specs, o->rs, "sweep runs", &errors);
    std::vector<nlohmann::json> items;
    size_t e = 0;
    for (size_t q = 0; q < owned.size(); ++q) {
      size_t p = owned[q] / static_cast<size_t>(o->reps);
      int r = static_cast<int>(owned[q] % static_cast<size_t>(o->reps));
      items.push_back(runset::sweep_item(owned[q], values[p], r, seed0 + static_cast<uint64_t>(r),
                                         runs[q] ? &*runs[q] : nullptr, slo, runs[q] ? "" : errors[e++]));
    }
    nlohmann::json set = {{"kind", "sweep"},
                          {"topology", base.topology.name},
                          {"scenario", base.scenario.name},
                          {"design", o->lhs > 0 ? "lhs" : "grid"},
                          {"axes", runset::axes_json(axes, ranges)},
                          {"reps", o->reps},
                          {"seed", seed0},
                          {"slo", o->slo},
                          {"knee_axis", knee_axis ? nlohmann::json(*knee_axis) : nlohmann::json(nullptr)},
                          {"total", npoints * static_cast<size_t>(o->reps)},
                          {"inputs", runset::Sha256().field(topo_text).field(scen_text).hex()}};
    if (o->lhs > 0) set["lhs"] = {{"points", o->lhs}, {"seed", seed0}};
    int code = finish_set(set, items, o->rs, !errors.empty());
    if ((!o->csv.empty() || !o->html.empty()) && shard.whole()) {
      auto result = runset::finalize_set(set, items);
      if (!o->csv.empty()) core::write_file_atomically(o->csv, reports::sweep_csv(result));
      if (!o->html.empty()) core::write_file_atomically(o->html, reports::sweep_html(result));
    }
    return code;
  };
}

}  // namespace mailsim::cli
