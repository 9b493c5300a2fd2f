#pragma once
// One function per subcommand; each registers its CLI11 options and returns the callback
// that runs it. main.cpp maps errors to exit codes (DESIGN.md decision 6).
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "core/output_file.hpp"

namespace mailsim::cli {

using Command = std::function<int()>;

// What main reads back from the command that ran: the command line that reproduces its
// simulation (`mailsim run T S --seed N`), printed under an internal error (exit 3).
struct Invocation {
  std::string reproduce;
};

// An output file flag (--json, --html, ...): its path is checked as soon as it is parsed
// (core::check_output_path), so an unwritable output is exit 2 before any simulation, and
// the temporaries a killed earlier command left beside it are removed.
inline CLI::Option* add_output(CLI::App& app, const std::string& flag, std::string& path, const std::string& help) {
  return app.add_option(flag, path, help)->each([](const std::string& p) {
    core::check_output_path(p);
    core::remove_stale_temporaries(p);
  });
}

Command add_run(CLI::App& app, Invocation& invocation);
Command add_validate(CLI::App& app);
Command add_describe(CLI::App& app);
Command add_demo(CLI::App& app);
Command add_check(CLI::App& app);
Command add_explore(CLI::App& app);
Command add_reliability(CLI::App& app);
Command add_sweep(CLI::App& app);
Command add_merge(CLI::App& app);
Command add_analyze(CLI::App& app);
Command add_compare(CLI::App& app);
Command add_import(CLI::App& app);
Command add_capacity(CLI::App& app);

}  // namespace mailsim::cli
