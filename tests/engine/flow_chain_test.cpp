// A flow whose steps call two different mail_node components in a row (webmail ->
// IMAP, as Tegu's Roundcube does): the second step must pick its own instance, not the
// node the front balancer chose for the first.
#include <gtest/gtest.h>

#include "app/run_one.hpp"

TEST(FlowChain, ConsecutiveMailNodeStepsEachServeOnTheirOwnNodes) {
  const char* topo = R"(
name: chain
network: {nic_latency: 50us, nic_bandwidth: 10Gbps, backbone_latency: 10us, backbone_bandwidth: 40Gbps,
          client_latency: 1ms, client_bandwidth: 1Gbps}
nodes:
  - {name: lb-1, cores: 2, speed: 1Gf}
  - {name: lb-2, cores: 2, speed: 1Gf}
  - {name: web-1, cores: 2, speed: 1Gf}
  - {name: web-2, cores: 2, speed: 1Gf}
  - {name: imap-1, cores: 2, speed: 1Gf}
components:
  - {name: front, model: vip_balancer, nodes: [lb-1, lb-2], params: {backend: web}}
  - {name: web, model: mail_node, nodes: [web-1, web-2]}
  - {name: imapd, model: mail_node, nodes: [imap-1]}
services:
  - name: webmail
    steps:
      - {component: front}
      - {component: web, op: https, cpu: 2ms}
      - {component: imapd, op: imap, cpu: 1ms}
)";
  const char* scen = R"(
name: steady
duration: 20s
client: {timeout: 5s}
load:
  - {service: webmail, rate: 50/s}
)";
  mailsim::app::Inputs in{mailsim::config::parse_topology(topo, "chain.yaml"),
                          mailsim::config::parse_scenario(scen, "steady.yaml")};
  auto run = mailsim::app::run_one(in, 3);
  const auto& s = run["services"]["webmail"];
  EXPECT_GT(s["requests"].get<uint64_t>(), 800u);
  EXPECT_EQ(s["failed"].get<uint64_t>(), 0u);
}
