// mailsim sweep TOPOLOGY SCENARIO --set PATH=VALUES... and/or --lhs N --range PATH=LO..HI...:
// a grid over YAML paths, or a seeded Latin hypercube over ranges (crossed with the grid),
// with replications, a table, CSV, an HTML plot, and the knee: the highest value of the
// knee axis at which the SLO still holds (a hypercube: the safe limit along a range, the
// others free) (runset/sweep_plan.hpp, reports/sweep_table.hpp, reports/sweep_html.hpp).
#include "cli/commands.hpp"
#include "cli/runset_common.hpp"
#include "core/output_file.hpp"
#include "reports/sweep_html.hpp"
#include "reports/sweep_table.hpp"
#include "runset/merge.hpp"
#include "runset/sweep_plan.hpp"

namespace mailsim::cli {

Command add_sweep(CLI::App& app) {
  struct Opts {
    runset::SweepRequest sweep;
    std::string csv, html;
    RunSetOptions rs;
  };
  auto o = std::make_shared<Opts>();
  runset::SweepRequest& r = o->sweep;
  app.add_option("topology", r.topology_file, "Topology YAML file")->required();
  app.add_option("scenario", r.scenario_file, "Scenario YAML file")->required();
  app.add_option("--set", r.sets, "PATH=V1,V2,... or PATH=A..B*F or PATH=A..B+S (repeatable; the grid is their product)");
  app.add_option("--lhs", r.lhs, "Latin hypercube of N points over the --range axes (crossed with the --set grid, if any)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--range", r.ranges, "With --lhs: PATH=LO..HI or PATH=LO..HI:log (repeatable; integer bounds without "
                                      "a unit give integers)");
  app.add_option("--reps", r.reps, "Replications per point (seeds: seed, seed+1, ...)")->capture_default_str()
      ->check(CLI::Range(1, 10000));
  app.add_option("--seed", r.seed, "First seed (default: the scenario's)");
  app.add_option("--slo", r.slo, "Expectations, comma-separated, e.g. 'availability >= 99.9%, p99 <= 800ms, "
                                 "outage_max(smtp) <= 5s' (no service: every service; default: the scenario's expect:)");
  app.add_option("--knee", r.knee, "The axis along which to find the knee: a --set PATH (default: the first), or with "
                                   "--lhs a --range PATH (the safe limit along it, the other ranges free)");
  add_output(app, "--csv", o->csv, "Write the results table as CSV to this file");
  add_output(app, "--html", o->html, "Write a self-contained HTML page plotting p99 latency and availability per service "
                                    "against the knee axis");
  app.add_flag("!--run-overloaded", r.stop_overloaded,
               "Run every point to its end; by default a point of a fault-free scenario that cannot keep up with "
               "its load ends early, marked overloaded (docs/runsets.md)");
  o->rs.add_to(app, true, runset::kSweepPointBudgetSeconds, runset::kSweepPointBudgetWhy);
  return [o] {
    o->sweep.cache = o->rs.cache;
    o->sweep.shard = o->rs.parsed_shard();
    const runset::SweepPlan plan = runset::plan_sweep(o->sweep);
    bool any_failed = false;
    auto items = runset::run_items(plan, o->rs.runner("sweep runs"), &any_failed);
    int code = finish_set(plan.set, items, o->rs, any_failed);
    if ((!o->csv.empty() || !o->html.empty()) && o->sweep.shard.whole()) {
      auto result = runset::finalize_set(plan.set, items);
      if (!o->csv.empty()) core::write_file_atomically(o->csv, reports::sweep_csv(result));
      if (!o->html.empty()) core::write_file_atomically(o->html, reports::sweep_html(result));
    }
    return code;
  };
}

}  // namespace mailsim::cli
