// mailsim: a thin shell over the library. Exit codes: 0 ok, 1 expectations failed,
// 2 bad input, 3 internal error (with the command that reproduces it).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdlib.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <map>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace {

// The subcommands in the order --help lists them.
std::vector<std::string> app_order(const CLI::App& app) {
  std::vector<std::string> out;
  for (const auto* sub : app.get_subcommands({})) out.push_back(sub->get_name());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mailsim;
  CLI::App app{"mailsim: simulate mail-cluster topologies under load and failures (SimGrid)", "mailsim"};
  app.set_version_flag("--version", MAILSIM_VERSION);
  app.require_subcommand(1);
  // --color before or after the subcommand: it sets what NO_COLOR / FORCE_COLOR would
  // (reports::color_wanted), for the whole process.
  app.fallthrough();
  std::string color = "auto";
  app.add_option("--color", color, "Colour the terminal output: auto (when a terminal and NO_COLOR is unset), "
                                   "always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  std::map<CLI::App*, cli::Command> commands;
  cli::Invocation invocation;
  auto add = [&](const std::function<cli::Command(CLI::App&)>& make, const char* name, const char* help) {
    CLI::App* sub = app.add_subcommand(name, help);
    commands[sub] = make(*sub);
  };
  add([&](CLI::App& sub) { return cli::add_run(sub, invocation); }, "run",
      "Run one topology under one scenario and report availability, latency and failovers");
  add(cli::add_validate, "validate", "Check topology and scenario files without simulating");
  add(cli::add_describe, "describe", "Show a model's params: defaults, units, docs and sources");
  add(cli::add_demo, "demo", "The default job: run the tutorial scenarios and write their results");
  add(cli::add_check, "check", "Run topology/scenario pairs and judge their expectations: exit code, JUnit, Markdown");
  add(cli::add_sweep, "sweep", "Vary YAML paths over a grid, with replications; find the knee where the SLO breaks");
  add(cli::add_capacity, "capacity",
      "Per topology the largest population before the SLO breaks, the resource that limits it, headroom, charts");
  add(cli::add_explore, "explore", "Crash every combination of up to K nodes and rank the impact per service");
  add(cli::add_reliability, "reliability", "Long-horizon Monte Carlo availability from measured failover outages");
  add(cli::add_analyze, "analyze", "Static analysis: SPOFs, minimal cut sets, exact availability, DOT graph");
  add(cli::add_compare, "compare", "Topologies side by side: SPOFs, worst single-node crash, failovers, p99, availability");
  add(cli::add_import, "import", "Write a topology skeleton from a folder of configuration files operators keep");
  add(cli::add_merge, "merge", "Combine the shard files of a sweep, explore or reliability run");
  // An unknown subcommand: CLI11 would say "A subcommand is required"; say which one was
  // meant instead.
  if (argc > 1 && argv[1][0] != '-') {
    const std::vector<std::string> names = app_order(app);
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      const std::string hint = core::did_you_mean(argv[1], names);
      std::cerr << fmt::format("mailsim: unknown command '{}'{}; commands: {} (mailsim --help)\n", argv[1], hint,
                               fmt::join(names, ", "));
      return core::kExitBadInput;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return core::kExitBadInput;
  } catch (const core::InputError& e) {  // an output path checked while parsing (add_output)
    std::cerr << e.what() << "\n";
    return core::kExitBadInput;
  }
  if (color == "always") {
    unsetenv("NO_COLOR");
    setenv("FORCE_COLOR", "1", 1);
  } else if (color == "never") {
    setenv("NO_COLOR", "1", 1);
  }
  try {
    for (auto& [sub, fn] : commands)
      if (sub->parsed()) return fn();
    return core::kExitBadInput;
  } catch (const core::InputError& e) {
    std::cerr << e.what() << "\n";
    return core::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "mailsim: internal error: " << e.what() << "\n";
    if (!invocation.reproduce.empty()) std::cerr << "reproduce with: " << invocation.reproduce << "\n";
    return core::kExitInternal;
  }
}
