#include "analysis/analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>
#include <cmath>
#include <random>
#include <set>
#include <span>

#include "analysis/dependency_graph.hpp"
#include "models/registry.hpp"

namespace mailsim::analysis {

namespace {

std::span<const config::StepSpec> accept_steps(const config::ServiceSpec& s) {
  return {s.steps.data(), s.accept_steps()};
}

using models::AvailabilityExpr;

// ---- compiled rules: (component, op) units over a bit mask of up nodes

struct CExpr {
  AvailabilityExpr::Kind kind = AvailabilityExpr::Kind::kAtLeast;
  int index = 0;  // node bit (kNode) or unit (kComponent)
  int k = 0;
  std::vector<CExpr> of;
};

struct Unit {
  std::string component;
  std::string op;
  models::AvailabilityRule rule;
  CExpr expr;
};

class Evaluator {
 public:
  explicit Evaluator(const config::Topology& topo) : topo_(topo) {}

  // The unit of `component` for steps with `op`, compiled on first use. `op` matters only
  // to rules that depend on it (storage_triple); components named by rules use op "".
  int unit(const std::string& component, const std::string& op) {
    auto key = std::make_pair(component, op);
    if (auto it = index_.find(key); it != index_.end()) {
      if (in_progress_.count(key))
        throw core::InputError(topo_.find_component(component)->mark,
                               fmt::format("component '{}' depends on itself through its params (a dependency cycle)",
                                           component));
      return it->second;
    }
    const config::ComponentSpec* c = topo_.find_component(component);
    MAILSIM_ASSERT(c != nullptr, "analysis: unknown component " + component + " in a validated topology");
    const models::ModelInfo* m = models::find_model(c->model);
    MAILSIM_ASSERT(m != nullptr, "analysis: unknown model " + c->model);
    if (!m->availability)
      throw core::InputError(c->model_mark, fmt::format("model {} has no availability rule yet: analyze cannot use "
                                                        "component '{}' (its ModelInfo::availability, models/{}/{}_model.cpp)",
                                                        c->model, component, c->model, c->model));
    int id = static_cast<int>(units_.size());
    units_.push_back(Unit{component, op, m->availability(*c, topo_, op), {}});
    index_[key] = id;
    in_progress_.insert(key);
    models::AvailabilityExpr e = units_[static_cast<size_t>(id)].rule.expr;
    CExpr ce = compile(e);
    units_[static_cast<size_t>(id)].expr = std::move(ce);
    in_progress_.erase(key);
    return id;
  }

  const std::vector<Unit>& units() const { return units_; }

  void reset() { memo_.assign(units_.size(), -1); }

  bool up(int u, std::uint64_t mask) {
    auto& m = memo_[static_cast<size_t>(u)];
    if (m < 0) m = eval(units_[static_cast<size_t>(u)].expr, mask) ? 1 : 0;
    return m == 1;
  }

 private:
  CExpr compile(const AvailabilityExpr& e) {
    CExpr c;
    c.kind = e.kind;
    switch (e.kind) {
      case AvailabilityExpr::Kind::kNode: {
        int i = topo_.node_index(e.name);
        MAILSIM_ASSERT(i >= 0, "analysis: rule names unknown node " + e.name);
        c.index = i;
        break;
      }
      case AvailabilityExpr::Kind::kComponent:
        c.index = unit(e.name, "");
        break;
      case AvailabilityExpr::Kind::kAtLeast:
        c.k = e.k;
        for (const auto& sub : e.of) c.of.push_back(compile(sub));
        break;
    }
    return c;
  }

  bool eval(const CExpr& e, std::uint64_t mask) {
    switch (e.kind) {
      case AvailabilityExpr::Kind::kNode:
        return (mask >> e.index) & 1U;
      case AvailabilityExpr::Kind::kComponent:
        return up(e.index, mask);
      case AvailabilityExpr::Kind::kAtLeast:
        break;
    }
    int got = 0;
    int left = static_cast<int>(e.of.size());
    for (const auto& sub : e.of) {
      if (got >= e.k) return true;
      if (got + left < e.k) return false;
      got += eval(sub, mask) ? 1 : 0;
      --left;
    }
    return got >= e.k;
  }

  const config::Topology& topo_;
  std::vector<Unit> units_;
  std::map<std::pair<std::string, std::string>, int> index_;
  std::set<std::pair<std::string, std::string>> in_progress_;
  std::vector<signed char> memo_;
};

void collect(const AvailabilityExpr& e, AvailabilityExpr::Kind kind, std::vector<std::string>* out) {
  if (e.kind == kind) {
    if (std::find(out->begin(), out->end(), e.name) == out->end()) out->push_back(e.name);
  }
  for (const auto& sub : e.of) collect(sub, kind, out);
}

// Nodes reachable from a vertex, in topology order.
std::vector<std::string> reachable_nodes(const DependencyGraph& d, Vertex from, const config::Topology& topo) {
  std::vector<boost::default_color_type> colors(boost::num_vertices(d.g), boost::white_color);
  struct Visitor : boost::default_dfs_visitor {
    std::set<Vertex>* seen;
    void discover_vertex(Vertex v, const Graph&) const { seen->insert(v); }
  };
  std::set<Vertex> seen;
  Visitor vis;
  vis.seen = &seen;
  boost::depth_first_visit(d.g, from, vis,
                           boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, d.g)));
  std::vector<std::string> out;
  for (const auto& n : topo.nodes)
    if (seen.count(d.nodes.at(n.name))) out.push_back(n.name);
  return out;
}

}  // namespace

double k_of_n_availability(int k, int n, double a) {
  double sum = 0;
  for (int i = k; i <= n; ++i) {
    double c = 1;
    for (int j = 1; j <= i; ++j) c = c * (n - i + j) / j;  // C(n, i)
    sum += c * std::pow(a, i) * std::pow(1 - a, n - i);
  }
  return sum;
}

TopologyAnalysis analyze(const config::Topology& topo, const AnalysisOptions& options) {
  TopologyAnalysis out;
  out.topology = topo.name;
  out.file = topo.file;
  out.options = options;
  core::SourceMark cli_mark{"--node-availability", 0, 0};
  if (topo.nodes.size() > 64)
    throw core::InputError(topo.nodes[64].mark, "analyze handles at most 64 nodes per topology");
  auto check_a = [&](double a, const std::string& what) {
    if (!(a >= 0 && a <= 1))
      throw core::InputError(cli_mark, fmt::format("availability of {} must be between 0 and 1, got {}", what, a));
  };
  check_a(options.node_availability, "every node");
  auto names = topo.node_names();
  for (const auto& [n, a] : options.per_node) {
    if (!topo.find_node(n))
      throw core::InputError(cli_mark, fmt::format("node '{}' is not in topology '{}'{}", n, topo.name,
                                                   core::did_you_mean(n, names)));
    check_a(a, n);
  }
  if (options.max_cut_size < 1) throw core::InputError({"--max-cut-size", 0, 0}, "--max-cut-size must be at least 1");
  std::vector<double> avail;
  for (const auto& n : topo.nodes) {
    auto it = options.per_node.find(n.name);
    double a = it != options.per_node.end() ? it->second : options.node_availability;
    avail.push_back(a);
    out.node_availability[n.name] = a;
    out.nodes.push_back(n.name);
  }

  // Compile every component's rule (op "") and every service's units.
  Evaluator ev(topo);
  for (const auto& c : topo.components) {
    int u = ev.unit(c.name, "");
    const Unit& unit = ev.units()[static_cast<size_t>(u)];
    ComponentRule r{c.name, c.model, c.nodes, {}, {}, unit.rule.expr.describe(), unit.rule.summary};
    collect(unit.rule.expr, AvailabilityExpr::Kind::kNode, &r.rule_nodes);
    collect(unit.rule.expr, AvailabilityExpr::Kind::kComponent, &r.depends_on);
    out.components.push_back(std::move(r));
  }
  DependencyGraph d = build_graph(topo, out.components);
  {
    // The evaluator already refuses cycles; keep Boost's check as the invariant.
    std::vector<Vertex> order;
    try {
      boost::topological_sort(d.g, std::back_inserter(order));
    } catch (const boost::not_a_dag&) {
      throw core::InputError(core::SourceMark{topo.file, 0, 0}, "the components' dependencies form a cycle");
    }
  }

  std::set<std::string> used;
  const int n_all = static_cast<int>(topo.nodes.size());
  const std::uint64_t all_up = n_all == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << n_all) - 1);
  for (const auto& s : topo.services) {
    ServiceAnalysis sa;
    sa.name = s.name;
    std::vector<int> units;
    for (const auto& st : accept_steps(s)) {
      auto& list = st.fallback ? sa.skipped : sa.components;
      if (std::find(list.begin(), list.end(), st.component) == list.end()) list.push_back(st.component);
      if (!st.fallback) {
        int u = ev.unit(st.component, st.op);
        if (std::find(units.begin(), units.end(), u) == units.end()) units.push_back(u);
      }
    }
    sa.skipped.erase(std::remove_if(sa.skipped.begin(), sa.skipped.end(),
                                    [&](const std::string& c) {
                                      return std::find(sa.components.begin(), sa.components.end(), c) !=
                                             sa.components.end();
                                    }),
                     sa.skipped.end());
    sa.nodes = reachable_nodes(d, d.services.at(s.name), topo);
    for (const auto& n : sa.nodes) used.insert(n);
    auto service_up = [&](std::uint64_t mask) {
      ev.reset();
      for (int u : units)
        if (!ev.up(u, mask)) return false;
      return true;
    };
    std::vector<int> rel;
    for (const auto& n : sa.nodes) rel.push_back(topo.node_index(n));
    const int r = static_cast<int>(rel.size());

    // Minimal cut sets by increasing size; a superset of a known cut is not minimal.
    std::vector<std::uint64_t> cuts;
    for (int size = 1; size <= std::min(options.max_cut_size, r); ++size) {
      std::vector<int> pick(static_cast<size_t>(size));
      for (int i = 0; i < size; ++i) pick[static_cast<size_t>(i)] = i;
      while (true) {
        std::uint64_t down = 0;
        for (int i : pick) down |= std::uint64_t{1} << rel[static_cast<size_t>(i)];
        bool superset = false;
        for (auto c : cuts) superset = superset || (c & down) == c;
        if (!superset && !service_up(all_up & ~down)) {
          cuts.push_back(down);
          std::vector<std::string> names_down;
          for (int i : pick) names_down.push_back(sa.nodes[static_cast<size_t>(i)]);
          if (size == 1) sa.spofs.push_back(names_down.front());
          sa.min_cut_sets.push_back(std::move(names_down));
        }
        int i = size - 1;
        while (i >= 0 && pick[static_cast<size_t>(i)] == r - size + i) --i;
        if (i < 0) break;
        ++pick[static_cast<size_t>(i)];
        for (int j = i + 1; j < size; ++j) pick[static_cast<size_t>(j)] = pick[static_cast<size_t>(j - 1)] + 1;
      }
    }
    if (!sa.min_cut_sets.empty()) {
      sa.min_failures = static_cast<int>(sa.min_cut_sets.front().size());
      sa.min_failures_known = true;
    }

    if (r <= options.max_exact_nodes) {
      // Exhaustive: every up/down state of the relevant nodes; the others stay up (they do
      // not change the service). Unavailability is summed, which keeps its precision.
      double unavailable = 0;
      int min_down = r + 1;
      std::int64_t states = 0;
      auto rec = [&](auto&& self, int i, std::uint64_t mask, double p, int down) -> void {
        if (i == r) {
          ++states;
          if (!service_up(mask)) {
            unavailable += p;
            min_down = std::min(min_down, down);
          }
          return;
        }
        int node = rel[static_cast<size_t>(i)];
        double a = avail[static_cast<size_t>(node)];
        self(self, i + 1, mask, p * a, down);
        self(self, i + 1, mask & ~(std::uint64_t{1} << node), p * (1 - a), down + 1);
      };
      rec(rec, 0, all_up, 1.0, 0);
      sa.availability = 1.0 - unavailable;
      sa.availability_exact = true;
      sa.states = states;
      if (min_down <= r) {
        sa.min_failures = min_down;
        sa.min_failures_known = true;
      }
    } else if (options.samples > 0) {
      std::mt19937_64 rng(options.seed);
      std::int64_t down_count = 0;
      for (std::int64_t i = 0; i < options.samples; ++i) {
        std::uint64_t mask = all_up;
        for (int node : rel) {
          double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
          if (u >= avail[static_cast<size_t>(node)]) mask &= ~(std::uint64_t{1} << node);
        }
        if (!service_up(mask)) ++down_count;
      }
      sa.availability = 1.0 - static_cast<double>(down_count) / static_cast<double>(options.samples);
      sa.states = options.samples;
      sa.note = fmt::format("{} nodes > --max-exact-nodes {}: estimated from {} seeded samples", r,
                            options.max_exact_nodes, options.samples);
    } else {
      sa.note = fmt::format("{} nodes > --max-exact-nodes {}: 2^{} states is too many to enumerate; pass --samples N "
                            "for a sampled estimate",
                            r, options.max_exact_nodes, r);
    }
    out.services.push_back(std::move(sa));
  }
  for (const auto& n : topo.nodes)
    if (!used.count(n.name)) out.unused_nodes.push_back(n.name);
  return out;
}

}  // namespace mailsim::analysis
