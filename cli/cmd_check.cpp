// mailsim check: CI regression mode. Runs topology/scenario pairs, each in its own child
// process (one simulation per process), and turns their expectations into an exit code,
// JUnit XML and a Markdown summary (docs/reports.md#mailsim-check).
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "reports/check_report.hpp"
#include "app/verdicts.hpp"
#include "reports/verdict_text.hpp"
#include "core/output_file.hpp"
#include "reports/summary_table.hpp"
#include "runset/child_run.hpp"
#include "cli/commands.hpp"
#include "app/run_one.hpp"
#include "config/yaml_reader.hpp"

namespace mailsim::cli {

namespace {

struct Pair {
  std::string topology, scenario;
  std::optional<uint64_t> seed;
};

// A suite file: `runs:`, a list of {topology, scenario | scenarios, seed?}; paths are
// relative to the suite file's folder.
std::vector<Pair> read_suite(const std::string& file) {
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
  std::vector<Pair> out;
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

}  // namespace

Command add_check(CLI::App& app) {
  struct Opts {
    std::vector<std::string> files;
    std::string suite, junit, markdown, out;
    std::optional<uint64_t> seed;
    bool quiet = false;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("files", o->files, "TOPOLOGY SCENARIO [SCENARIO...]");
  app.add_option("--suite", o->suite, "A suite file listing topology/scenario pairs (YAML, docs/reports.md)");
  app.add_option("--junit", o->junit, "Write JUnit XML: one testcase per expectation per run");
  app.add_option("--markdown", o->markdown, "Write a Markdown summary (for a pull-request comment)");
  app.add_option("--out", o->out, "Folder for each run's result (TOPOLOGY__SCENARIO.json)");
  app.add_option("--seed", o->seed, "Seed for every run (default: the suite's or the scenario's)");
  app.add_flag("-q,--quiet", o->quiet, "Print only failures and the final line");
  return [o] {
    std::vector<Pair> pairs;
    if (o->files.size() == 1)
      throw core::InputError({"<command line>", 0, 0}, "mailsim check needs TOPOLOGY SCENARIO [SCENARIO...] or --suite FILE");
    for (size_t i = 1; i < o->files.size(); ++i) pairs.push_back({o->files[0], o->files[i], std::nullopt});
    if (!o->suite.empty())
      for (auto& p : read_suite(o->suite)) pairs.push_back(p);
    if (pairs.empty())
      throw core::InputError({"<command line>", 0, 0}, "mailsim check needs TOPOLOGY SCENARIO [SCENARIO...] or --suite FILE");

    // Every input is read and checked before anything runs: bad input exits 2 at once.
    std::vector<app::Inputs> inputs;
    for (const auto& p : pairs) inputs.push_back(app::load_inputs(p.topology, p.scenario));

    const bool tty = isatty(STDERR_FILENO) == 1;
    reports::TableStyle style{reports::color_wanted(STDOUT_FILENO)};
    auto paint = [&](const char* code, const std::string& s) {
      return style.color ? fmt::format("\033[{}m{}\033[0m", code, s) : s;
    };
    std::vector<reports::CheckRun> runs;
    for (size_t i = 0; i < pairs.size(); ++i) {
      const app::Inputs& in = inputs[i];
      uint64_t seed = o->seed.value_or(pairs[i].seed.value_or(in.scenario.seed));
      reports::CheckRun run;
      run.topology_file = pairs[i].topology;
      run.scenario_file = pairs[i].scenario;
      run.name = in.topology.name + "/" + in.scenario.name;
      run.command = fmt::format("mailsim run {} {} --seed {}", pairs[i].topology, pairs[i].scenario, seed);
      if (pairs.size() > 1) {
        // The progress line: overwritten in place on a terminal, one line per run otherwise.
        std::string line = fmt::format("[{}/{}] running {} (seed {})", i + 1, pairs.size(), run.name, seed);
        if (tty) std::cerr << "\r\033[K" << line << std::flush;
        else if (!o->quiet) std::cerr << line << "\n" << std::flush;
      }
      auto child = runset::run_in_child([&] { return app::run_one(in, seed).dump() + "\n"; });
      if (tty && pairs.size() > 1) std::cerr << "\r\033[K" << std::flush;
      run.exit_code = child.exit_code;
      if (child.exit_code == 0) {
        run.result = nlohmann::json::parse(child.output, nullptr, false);
        if (run.result.is_discarded()) run.exit_code = core::kExitInternal, run.result = nullptr;
      }
      if (run.exit_code == 0 && !o->out.empty()) {
        std::string file = std::filesystem::path(pairs[i].topology).stem().string() + "__" +
                           std::filesystem::path(pairs[i].scenario).stem().string() + ".json";
        core::write_file_atomically((std::filesystem::path(o->out) / file).string(), run.result.dump(1) + "\n");
      }
      size_t failed = run.exit_code == 0 ? app::failed_expectations(run.result) : 0;
      size_t total = run.exit_code == 0 ? run.result.at("expectations").size() : 0;
      bool ok = run.exit_code == 0 && failed == 0;
      if (!o->quiet || !ok) {
        std::string status = run.exit_code != 0 ? paint("31;1", "ERROR") : ok ? paint("32", "PASS ") : paint("31;1", "FAIL ");
        std::string detail = run.exit_code != 0 ? fmt::format("exit {}", run.exit_code)
                             : total == 0       ? "no expectations"
                                                : fmt::format("{}/{} expectations passed", total - failed, total);
        std::cout << fmt::format("{} {}  {}\n", status, run.name, detail);
        if (run.exit_code == 0)
          for (const auto& v : run.result.at("expectations"))
            if (!v.value("pass", false))
              std::cout << fmt::format("      {} {}  {}\n", paint("31;1", "FAIL"), v.value("text", std::string()),
                                       reports::measured_text(v));
        if (!ok) std::cout << fmt::format("      reproduce with: {}\n", run.command);
        std::cout << std::flush;
      }
      runs.push_back(std::move(run));
    }
    if (!o->junit.empty()) core::write_file_atomically(o->junit, reports::junit_xml(runs));
    if (!o->markdown.empty()) core::write_file_atomically(o->markdown, reports::check_markdown(runs));
    int code = reports::check_exit_code(runs);
    size_t bad_runs = 0;
    for (const auto& r : runs)
      if (r.exit_code != 0 || app::failed_expectations(r.result) > 0) ++bad_runs;
    std::cout << fmt::format("{}: {} of {} runs passed\n", code == 0 ? paint("32", "ok") : paint("31;1", "failed"),
                             runs.size() - bad_runs, runs.size());
    return code;
  };
}

}  // namespace mailsim::cli
