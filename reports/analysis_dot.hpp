#pragma once
// The dependency graph of an analyzed topology (analysis/dependency_graph.hpp) as
// Graphviz DOT, single points of failure filled red, nodes no service needs dashed grey;
// and that DOT drawn as SVG by Graphviz's `dot`, when it is installed.
#include <string>

#include "analysis/analysis.hpp"
#include "config/topology.hpp"

namespace mailsim::reports {

std::string analysis_dot(const config::Topology& topo, const analysis::TopologyAnalysis& a);

// Whether Graphviz's `dot` is on the PATH.
bool graphviz_installed();
// Runs `dot -Tsvg` on the DOT into a temporary file beside `path`, then renames it.
void write_svg(const std::string& path, const std::string& dot);

}  // namespace mailsim::reports
