// mailsim compare TOPOLOGY... [--scenario FILE ...]: the topologies side by side (static
// analysis + a baseline run + one run per single-node crash, each in its own process;
// runset/compare_runs.hpp, reports/compare_table.hpp, docs/analysis.md).
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/compare_run.hpp"
#include "core/output_file.hpp"
#include "reports/compare_html.hpp"
#include "reports/compare_table.hpp"

namespace mailsim::cli {

namespace {

// ", 4 variants" when --vary made them.
std::string variants_text(const nlohmann::json& result) {
  size_t n = 0;
  for (const auto& t : result["topologies"]) n += t.contains("variant") ? 1 : 0;
  return n ? fmt::format(", {} variants", n) : std::string();
}

}  // namespace

int run_compare(CompareOptions o) {
  const runset::CompareRequest& r = o.compare;
  o.compare.cache = o.rs.cache;
  bool any_failed = false;
  nlohmann::json result = runset::compare_topologies(r, o.rs.runner("compare runs"), &any_failed);
  if (!o.rs.quiet) {
    std::cout << fmt::format("compare: {} topologies{}; generated runs: every service at {}/s for {} s, one per "
                             "single-node crash at {} s; node availability {}\n\n",
                             r.topologies.size(), variants_text(result), r.rate, r.duration, r.at, r.analysis.node_availability);
    std::cout << reports::compare_table(result);
  }
  if (!o.rs.json.empty()) core::write_file_atomically(o.rs.json, result.dump(2) + "\n");
  if (!o.markdown.empty()) core::write_file_atomically(o.markdown, reports::compare_markdown(result));
  if (!o.html.empty()) core::write_file_atomically(o.html, reports::compare_html(result));
  return any_failed ? core::kExitInternal : 0;
}

Command add_compare(CLI::App& app) {
  auto o = std::make_shared<CompareOptions>();
  runset::CompareRequest& r = o->compare;
  app.add_option("topologies", r.topologies, "Topology YAML files")->required();
  app.add_option("--scenario", r.scenarios, "Also run these scenarios on every topology they fit (repeatable)");
  app.add_option("--vary", r.vary,
                 "PATH=V1,V2,... or PATH=A..B*F (a topology path, as in sweep; repeatable, the grid is their product): "
                 "compare each topology once per value");
  app.add_option("--rate", r.rate, "Per-service rate of the generated runs, per second")->capture_default_str();
  app.add_option("--duration", r.duration, "Length of the generated runs, simulated seconds")->capture_default_str();
  app.add_option("--at", r.at, "Crash time in the single-node crash runs, simulated seconds")->capture_default_str();
  app.add_option("--node-availability", r.analysis.node_availability,
                 "Per-node availability for the exact availability column")
      ->capture_default_str();
  add_output(app, "--markdown", o->markdown, "Write the comparison as Markdown to FILE");
  add_output(app, "--html", o->html, "Write the comparison as a self-contained HTML page to FILE");
  o->rs.add_to(app, false);
  return [o] { return run_compare(*o); };
}

}  // namespace mailsim::cli
