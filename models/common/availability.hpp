#pragma once
// A model's availability rule: when a component can serve a step, as a boolean rule over
// the up/down state of nodes and the availability of other components it names in its
// params (a balancer's backend, Patroni's DCS). `mailsim analyze` (analysis) turns
// the rules of a topology's components into a dependency graph and evaluates it exactly.
//
// The rule is static: it says which node failures the component's mechanism survives once
// its failover has run, not how long the failover takes (runs measure that).
#include <functional>
#include <string>
#include <vector>

#include "config/topology.hpp"

namespace mailsim::models {

struct AvailabilityExpr {
  enum class Kind { kNode, kComponent, kAtLeast };
  Kind kind = Kind::kAtLeast;
  std::string name;                 // kNode: a node; kComponent: a component
  int k = 0;                        // kAtLeast: how many of `of` must hold
  std::vector<AvailabilityExpr> of;  // kAtLeast

  static AvailabilityExpr node(std::string n);
  static AvailabilityExpr component(std::string c);
  static AvailabilityExpr at_least(int k, std::vector<AvailabilityExpr> of);
  static AvailabilityExpr all_of(std::vector<AvailabilityExpr> of);  // k = size (true when empty)
  static AvailabilityExpr any_of(std::vector<AvailabilityExpr> of);  // k = 1
  // k of the named nodes.
  static AvailabilityExpr k_of_nodes(int k, const std::vector<std::string>& nodes);

  std::string describe() const;  // e.g. "1 of {lb-1, lb-2} AND component mail"
};

// A majority of n members (Raft, a quorum): n / 2 + 1.
inline int majority(size_t n) { return static_cast<int>(n / 2 + 1); }

struct AvailabilityRule {
  AvailabilityExpr expr;
  std::string summary;  // one line in words, with the mechanism ("VRRP: 1 of 2 nodes holds the VIP")
};

// The rule of component `c` for a step with operation `op` ("" for proxies, and for a
// component that another one's rule names). Parses the component's params; call it on a
// validated topology. Each model's rule is in its folder (<model>_model.cpp).
using AvailabilityFn =
    std::function<AvailabilityRule(const config::ComponentSpec& c, const config::Topology& topo, const std::string& op)>;

}  // namespace mailsim::models
