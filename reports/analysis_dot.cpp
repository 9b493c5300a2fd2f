#include "reports/analysis_dot.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <boost/graph/graphviz.hpp>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "analysis/dependency_graph.hpp"

namespace mailsim::reports {

namespace {

std::string dot_escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (ch == '\n') {
      out += "\\n";
      continue;
    }
    out += ch;
  }
  return out;
}

}  // namespace

std::string analysis_dot(const config::Topology& topo, const analysis::TopologyAnalysis& a) {
  using analysis::Graph, analysis::Vertex, analysis::VertexKind, analysis::VertexProps;
  analysis::DependencyGraph d = analysis::build_graph(topo, a.components);
  std::map<std::string, std::vector<std::string>> spof_of;  // node -> services
  for (const auto& s : a.services)
    for (const auto& n : s.spofs) spof_of[n].push_back(s.name);
  std::map<std::string, const analysis::ComponentRule*> rule_of;
  for (const auto& c : a.components) rule_of[c.name] = &c;
  std::set<std::string> unused(a.unused_nodes.begin(), a.unused_nodes.end());
  std::ostringstream os;
  auto vertex_writer = [&](std::ostream& o, Vertex v) {
    const VertexProps& p = d.g[v];
    switch (p.kind) {
      case VertexKind::kService:
        o << "[shape=box, style=\"rounded,bold\", label=\"service\\n" << dot_escape(p.name) << "\"]";
        break;
      case VertexKind::kComponent: {
        const analysis::ComponentRule* r = rule_of.at(p.name);
        o << "[shape=ellipse, label=\"" << dot_escape(p.name) << "\\n(" << dot_escape(r->model) << ")\\n"
          << dot_escape(r->rule) << "\"]";
        break;
      }
      case VertexKind::kNode: {
        auto it = spof_of.find(p.name);
        if (it != spof_of.end())
          o << "[shape=box3d, style=filled, fillcolor=\"#ff6b6b\", penwidth=2, label=\"" << dot_escape(p.name)
            << "\\nSPOF: " << dot_escape(fmt::format("{}", fmt::join(it->second, ", "))) << "\"]";
        else if (unused.count(p.name))
          o << "[shape=box3d, style=\"filled,dashed\", fillcolor=\"#eeeeee\", label=\"" << dot_escape(p.name)
            << "\\n(no service needs it)\"]";
        else
          o << "[shape=box3d, label=\"" << dot_escape(p.name) << "\"]";
        break;
      }
    }
  };
  auto edge_writer = [&](std::ostream& o, boost::graph_traits<Graph>::edge_descriptor e) {
    Vertex s = boost::source(e, d.g), t = boost::target(e, d.g);
    if (d.g[s].kind == VertexKind::kComponent && d.g[t].kind == VertexKind::kComponent)
      o << "[style=dashed, label=\"needs\"]";
    else if (d.g[t].kind == VertexKind::kNode)
      o << "[color=gray40]";
  };
  auto graph_writer = [&](std::ostream& o) {
    o << "label=\"" << dot_escape(a.topology) << ": red nodes are single points of failure\";\n"
      << "labelloc=t;\nrankdir=LR;\n";
  };
  boost::write_graphviz(os, d.g, vertex_writer, edge_writer, graph_writer);
  return os.str();
}

bool graphviz_installed() { return std::system("command -v dot >/dev/null 2>&1") == 0; }

// Renders DOT to SVG with Graphviz into a temporary file, then renames it.
void write_svg(const std::string& path, const std::string& dot) {
  std::string tmp = fmt::format("{}.tmp.{}", path, getpid());
  std::string cmd = fmt::format("dot -Tsvg -o '{}'", tmp);
  FILE* p = popen(cmd.c_str(), "w");
  if (!p) throw std::runtime_error("cannot run Graphviz dot");
  fwrite(dot.data(), 1, dot.size(), p);
  int rc = pclose(p);
  if (rc != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error(fmt::format("Graphviz dot failed to write {}", path));
  }
}

}  // namespace mailsim::reports
