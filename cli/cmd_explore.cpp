// mailsim explore TOPOLOGY --faults K [--scenario BASE]: every combination of up to K node
// crashes under one load, ranked by impact per service, compared with `mailsim analyze`'s
// cut sets for the same topology (runset/explore_plan.hpp, reports/explore_table.hpp).
#include "cli/commands.hpp"
#include "cli/runset_common.hpp"
#include "runset/explore_plan.hpp"

namespace mailsim::cli {

Command add_explore(CLI::App& app) {
  struct Opts {
    runset::ExploreRequest explore;
    RunSetOptions rs;
  };
  auto o = std::make_shared<Opts>();
  runset::ExploreRequest& r = o->explore;
  app.add_option("topology", r.topology_file, "Topology YAML file")->required();
  app.add_option("--faults", r.faults, "Crash every combination of 1..K nodes")->capture_default_str()->check(CLI::Range(1, 4));
  app.add_option("--scenario", r.scenario_file, "Base scenario: its load is used, its faults are dropped "
                                                "(default: every service at --rate for --duration s)");
  app.add_option("--rate", r.rate, "Per-service rate of the standard load, per second")->capture_default_str();
  app.add_option("--duration", r.duration, "Seconds of the standard load (default 150); a failover slower than "
                                           "duration - at - tail is judged down");
  app.add_option("--at", r.at, "Crash time, simulated seconds (off the models' whole-second periods)")
      ->capture_default_str();
  app.add_option("--for", r.for_s, "Restart the crashed nodes after this many seconds (default: permanent)");
  app.add_option("--tail", r.tail, "Seconds before the end over which recovery is judged (default: min(20, (duration-at)/2))");
  app.add_option("--seed", r.seed, "Seed (default: the scenario's)");
  app.add_option("--top", r.top, "Rows per service in the ranking table")->capture_default_str();
  app.add_option("--slo", r.slo, "Also judge every run against these expectations, comma-separated, e.g. "
                                 "'availability >= 99%, p99(imap) <= 2s' (no service: every service)");
  o->rs.add_to(app, true);
  return [o] {
    o->explore.cache = o->rs.cache;
    o->explore.shard = o->rs.parsed_shard();
    const runset::ExplorePlan plan = runset::plan_explore(o->explore);
    bool any_failed = false;
    auto items = runset::run_items(plan, o->rs.runner("explore runs"), &any_failed);
    return finish_set(plan.set, items, o->rs, any_failed);
  };
}

}  // namespace mailsim::cli
