// mailsim check: CI regression mode. Runs topology/scenario pairs, each in its own child
// process (runset/check_runs.hpp), and turns their expectations into an exit code, JUnit
// XML and a Markdown summary (reports/check_report.hpp, docs/reports.md#mailsim-check);
// with --baseline, each result is also compared with an earlier one (reports/baseline.hpp).
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <set>

#include "app/inputs.hpp"
#include "cli/commands.hpp"
#include "core/output_file.hpp"
#include "reports/baseline.hpp"
#include "reports/check_report.hpp"
#include "runset/check_runs.hpp"

namespace mailsim::cli {

namespace {

// The earlier result `--baseline` names for one run: in a folder, the file --out writes
// for it; a file only when there is one run. "" without --baseline.
std::string baseline_file(const std::string& baseline, const runset::CheckPair& pair, size_t runs) {
  if (baseline.empty()) return "";
  if (std::filesystem::is_directory(baseline))
    return (std::filesystem::path(baseline) / runset::check_result_file(pair)).string();
  if (runs > 1)
    throw core::InputError({"--baseline", 0, 0},
                           fmt::format("{} runs need a folder of earlier results (as --out writes), not one file", runs));
  return baseline;
}

}  // namespace

Command add_check(CLI::App& app) {
  struct Opts {
    std::vector<std::string> files;
    std::string suite, junit, markdown, out, baseline;
    std::vector<std::string> tolerances;
    std::optional<uint64_t> seed;
    bool quiet = false;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("files", o->files, "TOPOLOGY SCENARIO [SCENARIO...]");
  app.add_option("--suite", o->suite, "A suite file listing topology/scenario pairs (YAML, docs/reports.md)");
  add_output(app, "--junit", o->junit, "Write JUnit XML: one testcase per expectation per run");
  add_output(app, "--markdown", o->markdown, "Write a Markdown summary (for a pull-request comment)");
  app.add_option("--out", o->out, "Folder for each run's result (TOPOLOGY__SCENARIO.json)");
  app.add_option("--seed", o->seed, "Seed for every run (default: the suite's or the scenario's)");
  app.add_option("--baseline", o->baseline,
                 "Compare each run with an earlier result: a folder as --out writes it (TOPOLOGY__SCENARIO.json), or "
                 "with one run a run-result file; regressions exit 1");
  app.add_option("--tolerance", o->tolerances, "With --baseline: KEY=VALUE as for `mailsim run` (repeatable)");
  app.add_flag("-q,--quiet", o->quiet, "Print only failures and the final line");
  return [o] {
    const core::InputError usage({"<command line>", 0, 0},
                                 "mailsim check needs TOPOLOGY SCENARIO [SCENARIO...] or --suite FILE");
    std::vector<runset::CheckPair> pairs;
    if (o->files.size() == 1) throw usage;
    for (size_t i = 1; i < o->files.size(); ++i) pairs.push_back({o->files[0], o->files[i], std::nullopt});
    if (!o->suite.empty())
      for (auto& p : runset::read_suite(o->suite)) pairs.push_back(p);
    if (pairs.empty()) throw usage;

    // Every input is read and checked before anything runs: bad input exits 2 at once.
    std::vector<app::Inputs> inputs;
    std::set<std::string> warned;  // each topology's warnings once
    for (const auto& p : pairs) {
      inputs.push_back(app::load_inputs(p.topology, p.scenario));
      if (!o->quiet && warned.insert(p.topology).second) std::cerr << app::config_warnings_text(inputs.back().topology);
    }
    reports::Tolerances tol;
    for (const auto& t : o->tolerances) reports::set_tolerance(tol, t);
    if (!o->tolerances.empty() && o->baseline.empty())
      throw core::InputError({"<command line>", 0, 0}, "--tolerance needs --baseline");
    std::vector<std::string> baselines;  // per pair: the earlier result's file
    for (const auto& p : pairs) baselines.push_back(baseline_file(o->baseline, p, pairs.size()));
    std::vector<nlohmann::json> earlier;
    for (const auto& b : baselines) earlier.push_back(b.empty() ? nlohmann::json() : reports::read_baseline(b));
    bool regressed = false;

    const bool tty = isatty(STDERR_FILENO) == 1;
    const reports::TableStyle style{reports::color_wanted(STDOUT_FILENO)};
    std::vector<reports::CheckRun> runs;
    for (size_t i = 0; i < pairs.size(); ++i) {
      const uint64_t seed = o->seed.value_or(pairs[i].seed.value_or(inputs[i].scenario.seed));
      if (pairs.size() > 1) {
        // The progress line: overwritten in place on a terminal, one line per run otherwise.
        std::string line = fmt::format("[{}/{}] running {}/{} (seed {})", i + 1, pairs.size(), inputs[i].topology.name,
                                       inputs[i].scenario.name, seed);
        if (o->quiet) {
        } else if (tty) {
          std::cerr << "\r\033[K" << line << std::flush;
        } else {
          std::cerr << line << "\n" << std::flush;
        }
      }
      runset::CheckRun run = runset::run_check(pairs[i], inputs[i], seed);
      if (tty && !o->quiet && pairs.size() > 1) std::cerr << "\r\033[K" << std::flush;
      if (run.exit_code == 0 && !o->out.empty())
        core::write_file_atomically((std::filesystem::path(o->out) / runset::check_result_file(pairs[i])).string(),
                                    run.result.dump(1) + "\n");
      std::cout << reports::check_run_text(run, o->quiet, style) << std::flush;
      if (!baselines[i].empty() && run.exit_code == 0) {
        const auto regs = reports::compare_with_baseline(earlier[i], run.result, tol);
        regressed = regressed || !regs.empty();
        std::cout << reports::regressions_text(regs, baselines[i], o->quiet) << std::flush;
      }
      runs.push_back(std::move(run));
    }
    if (!o->junit.empty()) core::write_file_atomically(o->junit, reports::junit_xml(runs));
    if (!o->markdown.empty()) core::write_file_atomically(o->markdown, reports::check_markdown(runs));
    std::cout << reports::check_summary_text(runs, style);
    const int code = reports::check_exit_code(runs);
    return code == 0 && regressed ? static_cast<int>(core::kExitExpectationsFailed) : code;
  };
}

}  // namespace mailsim::cli
