// mailsim sweep TOPOLOGY SCENARIO --set PATH=VALUES...: a grid over YAML paths with
// replications, a table and CSV, and the knee: the highest value of the knee axis at
// which the SLO still holds (sim/runset/sweep.hpp).
#include <fmt/format.h>

#include <iostream>
#include <map>

#include "reports/output_file.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/run_one.hpp"
#include "sim/cli/runset_common.hpp"
#include "sim/config/yaml_reader.hpp"
#include "sim/runset/sha256.hpp"
#include "sim/runset/sweep.hpp"
#include "sim/runset/yaml_edit.hpp"

namespace mailsim::cli {

Command add_sweep(CLI::App& app) {
  struct Opts {
    std::string topology, scenario, slo, knee, csv;
    std::vector<std::string> sets;
    int reps = 1;
    std::optional<uint64_t> seed;
    RunSetOptions rs;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("topology", o->topology, "Topology YAML file")->required();
  app.add_option("scenario", o->scenario, "Scenario YAML file")->required();
  app.add_option("--set", o->sets, "PATH=V1,V2,... or PATH=A..B*F or PATH=A..B+S (repeatable; the grid is their product)")
      ->required();
  app.add_option("--reps", o->reps, "Replications per point (seeds: seed, seed+1, ...)")->capture_default_str()
      ->check(CLI::Range(1, 10000));
  app.add_option("--seed", o->seed, "First seed (default: the scenario's)");
  app.add_option("--slo", o->slo, "e.g. availability>=99.9%,p99<=800ms,smtp.outage_max<=5s "
                                  "(default: the scenario's expectations, when the run result has them)");
  app.add_option("--knee", o->knee, "The axis (a --set PATH) along which to find the knee (default: the first)");
  app.add_option("--csv", o->csv, "Write the results table as CSV to this file");
  o->rs.add_to(app, true);
  return [o] {
    std::vector<runset::SweepAxis> axes;
    for (const auto& s : o->sets) axes.push_back(runset::parse_axis(s, "--set"));
    size_t knee_axis = 0;
    if (!o->knee.empty()) {
      knee_axis = axes.size();
      for (size_t a = 0; a < axes.size(); ++a)
        if (o->sets[a].substr(0, o->sets[a].find('=')) == o->knee || axes[a].path == o->knee) knee_axis = a;
      if (knee_axis == axes.size()) throw core::InputError({"--knee", 0, 0}, "'" + o->knee + "' is not the path of a --set");
    }
    auto slo = o->slo.empty() ? std::vector<runset::SloTerm>{} : runset::parse_slo(o->slo, "--slo");
    auto base = load_inputs(o->topology, o->scenario);
    const uint64_t seed0 = o->seed.value_or(base.scenario.seed);
    const std::string topo_text = config::read_text_file(o->topology);
    const std::string scen_text = config::read_text_file(o->scenario);
    auto points = runset::grid_points(axes);
    runset::Shard shard = o->rs.parsed_shard();
    std::vector<runset::RunSpec> specs;
    std::vector<size_t> owned;
    std::vector<std::vector<std::string>> values(points.size());
    for (size_t p = 0; p < points.size(); ++p) {
      std::string t = topo_text, s = scen_text;
      std::string label;
      for (size_t a = 0; a < axes.size(); ++a) {
        const std::string& v = axes[a].values[points[p][a]];
        values[p].push_back(v);
        if (axes[a].topology) t = runset::yaml_set(t, axes[a].path, v, "--set");
        else s = runset::yaml_set(s, axes[a].path, v, "--set");
        label += (label.empty() ? "" : " ") + axes[a].path + "=" + v;
      }
      bool owns_any = false;
      for (int r = 0; r < o->reps; ++r) owns_any = owns_any || shard.owns(p * static_cast<size_t>(o->reps) + static_cast<size_t>(r));
      if (!owns_any) continue;
      std::string tf = t == topo_text ? o->topology : runset::write_input(o->rs.cache, t, "sweep-topology");
      std::string sf = s == scen_text ? o->scenario : runset::write_input(o->rs.cache, s, "sweep-scenario");
      load_inputs(tf, sf);  // a bad value is bad input here, with its position in the generated file
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
    nlohmann::json axes_json = nlohmann::json::array();
    for (const auto& a : axes)
      axes_json.push_back({{"path", a.path}, {"document", a.topology ? "topology" : "scenario"}, {"values", a.values}});
    nlohmann::json set = {{"kind", "sweep"},
                          {"topology", base.topology.name},
                          {"scenario", base.scenario.name},
                          {"axes", axes_json},
                          {"reps", o->reps},
                          {"seed", seed0},
                          {"slo", o->slo},
                          {"knee_axis", knee_axis},
                          {"total", points.size() * static_cast<size_t>(o->reps)},
                          {"inputs", runset::Sha256().field(topo_text).field(scen_text).hex()}};
    int code = finish_set(set, items, o->rs, !errors.empty());
    if (!o->csv.empty() && shard.whole())
      reports::write_file_atomically(o->csv, runset::sweep_csv(runset::finalize_set(set, items).result));
    return code;
  };
}

}  // namespace mailsim::cli
