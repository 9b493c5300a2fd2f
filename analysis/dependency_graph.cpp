#include "analysis/dependency_graph.hpp"

#include <set>
#include <span>

namespace mailsim::analysis {

DependencyGraph build_graph(const config::Topology& topo, const std::vector<ComponentRule>& rules) {
  DependencyGraph d;
  for (const auto& n : topo.nodes) d.nodes[n.name] = boost::add_vertex(VertexProps{VertexKind::kNode, n.name}, d.g);
  for (const auto& c : topo.components)
    d.components[c.name] = boost::add_vertex(VertexProps{VertexKind::kComponent, c.name}, d.g);
  for (const auto& s : topo.services) d.services[s.name] = boost::add_vertex(VertexProps{VertexKind::kService, s.name}, d.g);
  for (const auto& r : rules) {
    Vertex v = d.components.at(r.name);
    for (const auto& n : r.rule_nodes) boost::add_edge(v, d.nodes.at(n), d.g);
    for (const auto& dep : r.depends_on) boost::add_edge(v, d.components.at(dep), d.g);
  }
  for (const auto& s : topo.services) {
    std::set<std::string> seen;
    // A service is up when clients get their answers: the acceptance steps (a delivery
    // phase runs afterwards, from the queue, and only delays mail while it is down).
    for (const auto& st : std::span(s.steps.data(), s.accept_steps()))
      if (!st.fallback && seen.insert(st.component).second)
        boost::add_edge(d.services.at(s.name), d.components.at(st.component), d.g);
  }
  return d;
}

}  // namespace mailsim::analysis
