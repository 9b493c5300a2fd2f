#pragma once
// The dependency graph of a topology (Boost.Graph): service -> component for each step a
// service needs (its acceptance steps that are not `fallback`), component -> node for
// each node its availability rule names, component -> component for each component the
// rule names. analyze walks it; reports/analysis_dot.hpp draws it.
#include <boost/graph/adjacency_list.hpp>
#include <map>
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "config/topology.hpp"

namespace mailsim::analysis {

enum class VertexKind { kService, kComponent, kNode };

struct VertexProps {
  VertexKind kind = VertexKind::kNode;
  std::string name;
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexProps>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

struct DependencyGraph {
  Graph g;
  std::map<std::string, Vertex> services, components, nodes;
};

// From the components' rules as analyze compiled them (TopologyAnalysis::components).
DependencyGraph build_graph(const config::Topology& topo, const std::vector<ComponentRule>& rules);

}  // namespace mailsim::analysis
