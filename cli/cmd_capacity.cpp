// mailsim capacity TOPOLOGY... [--scenario S] [--population N] [--at N]: per topology the
// knee in mailboxes and requests/s, the resource that limits it, each tier's utilisation
// at the standard load (predicted beside simulated), the headroom at a population, and
// charts (runset/capacity.hpp, reports/capacity_report.hpp, docs/capacity.md).
#include <iostream>

#include "cli/commands.hpp"
#include "cli/runset_common.hpp"
#include "core/output_file.hpp"
#include "reports/capacity_report.hpp"
#include "runset/capacity.hpp"

namespace mailsim::cli {

Command add_capacity(CLI::App& app) {
  struct Opts {
    runset::CapacityRequest req;
    std::string markdown, html;
    RunSetOptions rs;
  };
  auto o = std::make_shared<Opts>();
  runset::CapacityRequest& r = o->req;
  app.add_option("topology", r.topologies, "Topology YAML files")->required();
  app.add_option("--scenario", r.scenario, "A fault-free scenario with `population:` (the standard load profile)")
      ->capture_default_str();
  app.add_option("--population", r.mailboxes, "The standard population in mailboxes (default: the scenario's)")
      ->check(CLI::Range(1.0, 1e9));
  app.add_option("--at", r.at, "The population whose headroom is reported (default: the standard one)")
      ->check(CLI::Range(1.0, 1e9));
  app.add_option("--point-duration", r.point_duration_s,
                 "Simulated seconds of each point that confirms the knee (overloaded points end earlier)")
      ->capture_default_str()->check(CLI::Range(5.0, 86400.0));
  app.add_option("--slo", r.slo, "Expectations added to the scenario's expect: for the knee (the interactive "
                                 "latency a user accepts)")
      ->capture_default_str();
  add_output(app, "--markdown", o->markdown, "Write the report as Markdown to this file");
  add_output(app, "--html", o->html, "Write a self-contained HTML report (inline SVG charts) to this file");
  o->rs.add_to(app, false, runset::kCapacityPointBudgetSeconds, "a point is 20 s of simulated time near saturation");
  return [o] {
    o->req.cache = o->rs.cache;
    bool any_failed = false;
    const nlohmann::json doc = runset::capacity(o->req, o->rs.runner("capacity runs"), &any_failed);
    if (!o->rs.json.empty()) core::write_file_atomically(o->rs.json, doc.dump(1) + "\n");
    if (!o->markdown.empty()) core::write_file_atomically(o->markdown, reports::capacity_markdown(doc));
    if (!o->html.empty()) core::write_file_atomically(o->html, reports::capacity_html(doc));
    if (!o->rs.quiet) std::cout << reports::capacity_text(doc) << std::flush;
    return any_failed ? core::kExitInternal : 0;
  };
}

}  // namespace mailsim::cli
