#pragma once
// For the engine's own unit tests (engine/*_test.cpp): a one-node platform and a component
// whose lifecycle does nothing, to be extended with the behaviour a test looks at.
#include <optional>
#include <string>
#include <utility>

#include "config/topology.hpp"
#include "engine/component.hpp"

namespace mailsim::engine::testing {

// One node, n1, of `cores` cores at 2 Gflop/s; the tutorial's network figures.
inline config::Topology one_node_topology(int cores) {
  return config::parse_topology(
      "name: engine-unit-test\n"
      "network: {nic_latency: 50us, nic_bandwidth: 10Gbps, backbone_latency: 10us, backbone_bandwidth: 40Gbps,\n"
      "          client_latency: 2ms, client_bandwidth: 1Gbps}\n"
      "nodes:\n"
      "  - {name: n1, cores: " + std::to_string(cores) + ", speed: 2Gf}\n"
      "components:\n"
      "  - {name: c, model: mail_node, nodes: [n1]}\n"
      "services:\n"
      "  - name: s\n"
      "    steps:\n"
      "      - {component: c, op: smtp}\n",
      "engine-unit-test.yaml");
}

// A component on node 0 whose lifecycle hooks do nothing.
class StubComponent : public Component {
 public:
  explicit StubComponent(std::string name) : Component(std::move(name), {0}) {}
  void start() override {}
  void on_node_down(NodeId) override {}
  void on_node_up(NodeId) override {}
  void stop_instance(NodeId) override {}
  void start_instance(NodeId) override {}
  std::optional<NodeId> resolve_role(const std::string&) const override { return std::nullopt; }
  void on_request(Request&) override {}
  bool accepts(NodeId) const override { return true; }
  nlohmann::json resolved_params() const override { return nlohmann::json::object(); }
};

}  // namespace mailsim::engine::testing
