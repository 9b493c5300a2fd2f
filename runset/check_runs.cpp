#include "runset/check_runs.hpp"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "app/run_one.hpp"
#include "config/yaml_reader.hpp"
#include "core/error.hpp"
#include "runset/child_run.hpp"

namespace mailsim::runset {

std::vector<CheckPair> read_suite(const std::string& file) {
  config::YamlReader r(file);
  YAML::Node root = r.load_string(config::read_text_file(file));
  r.require_map(root, "a suite");
  r.check_keys(root, {"name", "runs"}, "a suite");
  YAML::Node runs = r.required(root, "runs", "a suite");
  r.require_sequence(runs, "runs");
  std::filesystem::path dir = std::filesystem::path(file).parent_path();
  auto resolve = [&](const std::string& p) {
    std::filesystem::path path(p);
    return (path.is_absolute() ? path : (dir / path)).lexically_normal().string();
  };
  std::vector<CheckPair> out;
  for (const auto& run : runs) {
    r.require_map(run, "a suite run");
    r.check_keys(run, {"topology", "scenario", "scenarios", "seed"}, "a suite run");
    std::string topo = resolve(r.as_string(r.required(run, "topology", "a suite run")));
    if (run["scenario"] && run["scenarios"]) r.fail(run, "give either 'scenario' or 'scenarios', not both");
    std::vector<std::string> scens;
    if (run["scenario"]) scens.push_back(r.as_string(run["scenario"]));
    else if (run["scenarios"]) {
      r.require_sequence(run["scenarios"], "scenarios");
      for (const auto& s : run["scenarios"]) scens.push_back(r.as_string(s));
      if (scens.empty()) r.fail(run["scenarios"], "'scenarios' is empty");
    } else
      r.fail(run, "a suite run needs 'scenario' or 'scenarios'");
    std::optional<uint64_t> seed;
    if (run["seed"]) seed = static_cast<uint64_t>(r.as_int(run["seed"], 0, INT64_MAX));
    for (const auto& s : scens) out.push_back({topo, resolve(s), seed});
  }
  return out;
}

CheckRun run_check(const CheckPair& pair, const app::Inputs& in, uint64_t seed) {
  CheckRun run;
  run.topology_file = pair.topology;
  run.scenario_file = pair.scenario;
  run.name = in.topology.name + "/" + in.scenario.name;
  run.command = fmt::format("mailsim run {} {} --seed {}", pair.topology, pair.scenario, seed);
  for (const auto& e : in.scenario.expectations) run.expectation_lines.push_back(e.mark.line);
  // Wall time is a report about the machine (JUnit's `time`), never part of a result.
  const auto started = std::chrono::steady_clock::now();
  auto child = run_in_child([&] { return app::run_one(in, seed).dump() + "\n"; });
  run.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  run.exit_code = child.exit_code;
  if (child.exit_code == 0) {
    run.result = nlohmann::json::parse(child.output, nullptr, false);
    if (run.result.is_discarded()) run.exit_code = core::kExitInternal, run.result = nullptr;
  }
  return run;
}

std::string check_result_file(const CheckPair& pair) {
  return std::filesystem::path(pair.topology).stem().string() + "__" +
         std::filesystem::path(pair.scenario).stem().string() + ".json";
}

}  // namespace mailsim::runset
