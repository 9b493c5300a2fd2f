#include <fmt/format.h>

#include <iostream>

#include "models/registry.hpp"
#include "reports/output_file.hpp"
#include "reports/summary_table.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/run_one.hpp"

namespace mailsim::cli {

Command add_run(CLI::App& app) {
  struct Opts {
    std::string topology, scenario, json;
    std::optional<uint64_t> seed;
    bool quiet = false;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("topology", o->topology, "Topology YAML file")->required();
  app.add_option("scenario", o->scenario, "Scenario YAML file")->required();
  app.add_option("--seed", o->seed, "Seed (default: the scenario's seed)");
  app.add_option("--json", o->json, "Write the run result (JSON, schema mailsim.run/1) to this file");
  app.add_flag("-q,--quiet", o->quiet, "Print nothing but errors");
  return [o] {
    auto loaded = load_inputs(o->topology, o->scenario);
    uint64_t seed = o->seed.value_or(loaded.scenario.seed);
    g_reproduce = fmt::format("mailsim run {} {} --seed {}", o->topology, o->scenario, seed);
    if (!o->quiet) std::cout << "# " << g_reproduce << "\n";
    engine::RunStats stats;
    nlohmann::json result = run_one(loaded, seed, &stats);
    if (!o->json.empty()) reports::write_file_atomically(o->json, result.dump(1) + "\n");
    if (!o->quiet) {
      std::cout << reports::summary_table(result) << std::flush;
      std::cerr << fmt::format("{} requests simulated in {:.3f} s wall ({:.0f} requests/s)\n", stats.requests,
                               stats.wall_seconds, stats.wall_seconds > 0 ? stats.requests / stats.wall_seconds : 0.0);
    }
    return 0;
  };
}

}  // namespace mailsim::cli
