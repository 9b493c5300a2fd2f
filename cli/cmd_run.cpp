// mailsim run TOPOLOGY SCENARIO: one simulation (app/run_one.hpp), its summary table, its
// result as JSON, HTML and CSV, its expectations' verdicts and, with --baseline, its
// regressions (reports/, docs/reports.md).
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "app/inputs.hpp"
#include "app/run_one.hpp"
#include "app/verdicts.hpp"
#include "cli/commands.hpp"
#include "core/output_file.hpp"
#include "reports/baseline.hpp"
#include "reports/check_report.hpp"
#include "reports/csv_series.hpp"
#include "reports/html_report.hpp"
#include "reports/summary_table.hpp"

namespace mailsim::cli {

Command add_run(CLI::App& app, Invocation& invocation) {
  struct Opts {
    std::string topology, scenario, json, html, csv, baseline;
    std::vector<std::string> tolerances;
    std::optional<uint64_t> seed;
    app::RunBounds bounds;
    bool quiet = false;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("topology", o->topology, "Topology YAML file")->required();
  app.add_option("scenario", o->scenario, "Scenario YAML file")->required();
  app.add_option("--seed", o->seed, "Seed (default: the scenario's seed)");
  add_output(app, "--json", o->json, "Write the run result (JSON, schema mailsim.run/1) to this file");
  add_output(app, "--html", o->html, "Write a self-contained HTML report (inline SVG charts) to this file");
  add_output(app, "--csv", o->csv, "Write the time series as CSV (one row per window per service) to this file");
  app.add_option("--baseline", o->baseline, "Compare with an earlier run result; regressions exit 1");
  app.add_option("--tolerance", o->tolerances,
                 "With --baseline: KEY=VALUE, e.g. availability=0.1% (points), p99=10% or p99=50ms, "
                 "outage_max=..., failover_time=..., lost_acknowledged_messages=N (repeatable)");
  app.add_option("--max-requests", o->bounds.max_requests,
                 "Stop after about N client requests (exit 1, result marked partial); refused before the run "
                 "when the scenario's estimate is larger")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1'000'000'000'000}));
  app.add_option("--time-limit", o->bounds.time_limit_s,
                 "Stop after SECONDS of wall time (exit 1, result marked partial)")
      ->check(CLI::Range(0.001, 1e7));
  app.add_flag("--stop-overloaded", o->bounds.stop_overloaded,
               "End the run when it cannot keep up with its load (requests in flight past 3/4 of rate x timeout, or "
               "half the finished requests given up on, for max(5 windows, timeout/2)); the result is marked "
               "overloaded and partial (exit 1). For fault-free load: an outage can look the same");
  app.add_flag("-q,--quiet", o->quiet, "Print nothing but errors, failed expectations and regressions");
  return [o, &invocation] {
    auto loaded = app::load_inputs(o->topology, o->scenario);
    if (!o->quiet) std::cerr << app::config_warnings_text(loaded.topology);
    uint64_t seed = o->seed.value_or(loaded.scenario.seed);
    app::check_bounds(loaded.scenario, o->bounds);
    if (const std::string w = app::long_run_warning(loaded.scenario);
        !w.empty() && o->bounds.max_requests == 0 && o->bounds.time_limit_s == 0)
      std::cerr << w << "\n";
    // Bad --baseline / --tolerance input fails before the run, not after it.
    reports::Tolerances tol;
    for (const auto& t : o->tolerances) reports::set_tolerance(tol, t);
    if (!o->tolerances.empty() && o->baseline.empty())
      throw core::InputError({"<command line>", 0, 0}, "--tolerance needs --baseline OLD.json");
    const nlohmann::json baseline = o->baseline.empty() ? nlohmann::json() : reports::read_baseline(o->baseline);
    invocation.reproduce = fmt::format("mailsim run {} {} --seed {}", o->topology, o->scenario, seed);
    reports::TableStyle style{reports::color_wanted(STDOUT_FILENO)};
    if (!o->quiet) std::cout << "# " << invocation.reproduce << "\n";
    engine::RunStats stats;
    nlohmann::json result = app::run_one(loaded, seed, &stats, o->bounds);
    if (!o->json.empty()) core::write_file_atomically(o->json, result.dump(1) + "\n");
    if (!o->html.empty()) core::write_file_atomically(o->html, reports::html_report(result));
    if (!o->csv.empty()) core::write_file_atomically(o->csv, reports::csv_series(result));
    size_t failed = app::failed_expectations(result);
    if (!o->quiet) {
      std::cout << reports::summary_table(result, style) << std::flush;
      std::cerr << fmt::format("{} requests simulated in {:.3f} s wall ({:.0f} requests/s)\n", stats.requests,
                               stats.wall_seconds, stats.wall_seconds > 0 ? stats.requests / stats.wall_seconds : 0.0);
    } else {
      std::cout << reports::failed_verdicts_text(result, "", reports::TableStyle{});
    }
    bool regressed = false;
    if (!o->baseline.empty()) {
      auto regs = reports::compare_with_baseline(baseline, result, tol);
      regressed = !regs.empty();
      std::cout << reports::regressions_text(regs, o->baseline, o->quiet);
    }
    if (result.contains("partial")) {
      std::cerr << fmt::format("run stopped early: {}; the result covers [0, {:g} s) and is marked partial\n",
                               result["partial"]["reason"].get<std::string>(), result["partial"]["end_s"].get<double>());
      std::cout << std::flush;
      return static_cast<int>(core::kExitExpectationsFailed);
    }
    if (failed > 0 || regressed) {
      if (failed > 0) std::cerr << fmt::format("{} expectation(s) failed\n", failed);
      std::cout << std::flush;
      return static_cast<int>(core::kExitExpectationsFailed);
    }
    return 0;
  };
}

}  // namespace mailsim::cli
