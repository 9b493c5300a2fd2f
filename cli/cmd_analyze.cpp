// mailsim analyze TOPOLOGY: static analysis (analysis, docs/analysis.md): per service
// the single points of failure, minimal cut sets, node failures to an outage and the exact
// availability; --json, --dot, --svg (Graphviz) outputs.
#include <fmt/format.h>
#include <iostream>

#include "models/registry.hpp"
#include "core/output_file.hpp"
#include "analysis/analysis.hpp"
#include "reports/analysis_dot.hpp"
#include "reports/analysis_text.hpp"
#include "cli/commands.hpp"

namespace mailsim::cli {

namespace {

// "0.999" for every node, or "NODE=0.99" for one.
void parse_availability(const std::string& arg, analysis::AnalysisOptions* o) {
  core::SourceMark mark{"--node-availability", 0, 0};
  auto eq = arg.find('=');
  std::string value = eq == std::string::npos ? arg : arg.substr(eq + 1);
  double a = 0;
  try {
    size_t used = 0;
    a = std::stod(value, &used);
    if (used != value.size()) throw std::invalid_argument(value);
  } catch (const std::exception&) {
    throw core::InputError(mark, fmt::format("'{}' is not a number (give 0.999, or NODE=0.99)", value));
  }
  if (eq == std::string::npos)
    o->node_availability = a;
  else
    o->per_node[arg.substr(0, eq)] = a;
}

}  // namespace

Command add_analyze(CLI::App& app) {
  struct Opts {
    std::string topology;
    std::vector<std::string> availability;
    analysis::AnalysisOptions analysis;
    std::string json, dot, svg;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("topology", o->topology, "Topology YAML file")->required();
  app.add_option("--node-availability", o->availability,
                 "Steady-state availability of every node (default 0.999), or NODE=A for one node; repeatable");
  app.add_option("--max-cut-size", o->analysis.max_cut_size, "Largest minimal cut set to enumerate (nodes)")
      ->capture_default_str();
  app.add_option("--max-exact-nodes", o->analysis.max_exact_nodes,
                 "Enumerate 2^n node states exactly up to this many nodes per service")
      ->capture_default_str();
  app.add_option("--samples", o->analysis.samples,
                 "Beyond --max-exact-nodes, estimate availability from this many seeded samples (0: refuse)")
      ->capture_default_str();
  app.add_option("--seed", o->analysis.seed, "Seed of the sampling")->capture_default_str();
  add_output(app, "--json", o->json, "Write the analysis as JSON to FILE");
  add_output(app, "--dot", o->dot, "Write the dependency graph as Graphviz DOT to FILE (SPOFs in red)");
  add_output(app, "--svg", o->svg, "Render the dependency graph to an SVG FILE (needs Graphviz `dot`)");
  return [o] {
    for (const auto& a : o->availability) parse_availability(a, &o->analysis);
    auto topo = models::load_topology(o->topology);
    auto result = analysis::analyze(topo, o->analysis);
    std::cout << reports::analysis_text(result);
    if (!o->json.empty()) core::write_file_atomically(o->json, reports::analysis_json(result));
    std::string dot;
    if (!o->dot.empty() || !o->svg.empty()) dot = reports::analysis_dot(topo, result);
    if (!o->dot.empty()) core::write_file_atomically(o->dot, dot);
    if (!o->svg.empty()) {
      if (reports::graphviz_installed()) {
        reports::write_svg(o->svg, dot);
      } else {
        std::cerr << fmt::format(
            "mailsim analyze: --svg {}: Graphviz `dot` is not installed (apt-get install graphviz); no SVG "
            "written. Use --dot FILE and render it elsewhere.\n",
            o->svg);
      }
    }
    return 0;
  };
}

}  // namespace mailsim::cli
