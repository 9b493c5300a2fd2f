#pragma once
// Static analysis of a topology (`mailsim analyze`, docs/analysis.md): the dependency graph
// service -> components -> nodes, built from each model's availability rule
// (ModelInfo::availability, models/common/availability.hpp), and per service
//  - the minimal cut sets: smallest sets of nodes whose loss stops the service, enumerated
//    by increasing size up to a limit; the single points of failure are those of size 1;
//  - the minimum number of node failures to an outage;
//  - the exact steady-state availability for independent per-node availabilities, by
//    enumerating the 2^n up/down states of the n nodes the service depends on (refused
//    above a limit, or estimated by seeded sampling when asked).
// A service is counted down in a state when any of its non-`fallback` steps' components is
// unavailable by its rule, i.e. when some share of its requests fails whatever the retries.
// The graph itself is analysis/dependency_graph.hpp; the text, JSON and DOT renderings are
// reports/analysis_text.hpp and reports/analysis_dot.hpp.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/topology.hpp"

namespace mailsim::analysis {

struct AnalysisOptions {
  double node_availability = 0.999;           // every node, unless in per_node
  std::map<std::string, double> per_node;     // node -> availability
  int max_cut_size = 3;                       // largest cut set enumerated
  int max_exact_nodes = 25;                   // exhaustive enumeration up to 2^this states
  std::int64_t samples = 0;                   // beyond max_exact_nodes: sample this many states (0: refuse)
  std::uint64_t seed = 1;                     // of the sampling
};

struct ComponentRule {
  std::string name;
  std::string model;
  std::vector<std::string> nodes;
  std::vector<std::string> rule_nodes;  // nodes its rule names (a cold backup is placed, not needed)
  std::vector<std::string> depends_on;  // components named by its rule
  std::string rule;                     // the rule as an expression over nodes and components
  std::string summary;                  // the rule in words, with its mechanism
};

struct ServiceAnalysis {
  std::string name;
  std::vector<std::string> components;  // needed components (fallback steps left out), step order
  std::vector<std::string> skipped;     // components of `fallback` steps: not needed
  std::vector<std::string> nodes;       // nodes the service depends on, topology order
  std::vector<std::vector<std::string>> min_cut_sets;  // by size then topology order, sizes <= max_cut_size
  std::vector<std::string> spofs;       // cut sets of size 1
  int min_failures = 0;                 // node failures to an outage; 0 when unknown (see exact)
  bool min_failures_known = false;      // false: no cut up to max_cut_size and no enumeration
  // Availability: exact (enumerated), sampled, or refused (availability unset).
  std::optional<double> availability;
  bool availability_exact = false;
  std::int64_t states = 0;              // enumerated states or samples
  std::string note;                     // why availability is missing or sampled
};

struct TopologyAnalysis {
  std::string topology;
  std::string file;
  std::vector<std::string> nodes;
  std::map<std::string, double> node_availability;  // resolved, every node
  std::vector<ComponentRule> components;
  std::vector<ServiceAnalysis> services;
  std::vector<std::string> unused_nodes;  // no service depends on them
  AnalysisOptions options;
};

// Runs the analysis on a validated topology (models::validate_topology). InputError for
// unknown nodes in options.per_node, availabilities outside [0, 1], a component without an
// availability rule, or a dependency cycle between components.
TopologyAnalysis analyze(const config::Topology& topo, const AnalysisOptions& options);

// The availability of a k-of-n group of identical independent parts: sum_{i>=k} C(n,i) a^i (1-a)^(n-i).
double k_of_n_availability(int k, int n, double a);

}  // namespace mailsim::analysis
