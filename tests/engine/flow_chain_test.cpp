// A flow whose steps call two different mail_node components in a row (webmail ->
// IMAP, as Tegu's Roundcube does): the second step must pick its own instance, not the
// node the front balancer chose for the first.
#include <gtest/gtest.h>

#include <string>

#include "app/run_one.hpp"
#include "core/error.hpp"

namespace {
// The LAN of every topology below.
const std::string kNetwork = R"(network: {nic_latency: 50us, nic_bandwidth: 10Gbps, backbone_latency: 10us, backbone_bandwidth: 40Gbps,
          client_latency: 1ms, client_bandwidth: 1Gbps}
)";
}  // namespace

TEST(FlowChain, ConsecutiveMailNodeStepsEachServeOnTheirOwnNodes) {
  const std::string topo = "name: chain\n" + kNetwork + R"(
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

namespace {

// Two web nodes behind a balancer, each also running dovecot; a page calls a database on
// its own node, then IMAP. web-2 crashes at 10 s for the rest of the run.
std::string webmail_topology(const char* imap_step_options) {
  return "name: webmail-imap-host\n" + kNetwork + std::string(R"(
nodes:
  - {name: lb-1, cores: 2, speed: 1Gf}
  - {name: lb-2, cores: 2, speed: 1Gf}
  - {name: web-1, cores: 4, speed: 1Gf}
  - {name: web-2, cores: 4, speed: 1Gf}
  - {name: db-1, cores: 4, speed: 1Gf}
components:
  - {name: front, model: vip_balancer, nodes: [lb-1, lb-2], params: {backend: web}}
  - {name: web, model: mail_node, nodes: [web-1, web-2]}
  - {name: db, model: mail_node, nodes: [db-1]}
services:
  - name: webmail
    steps:
      - {component: front}
      - {component: web, op: https, cpu: 2ms}
      - {component: db, op: imap, cpu: 1ms}
      - {component: web, op: imap, cpu: 1ms)") + imap_step_options + "}\n";
}

nlohmann::json run_webmail(const char* imap_step_options) {
  const char* scen = R"(
name: web-2-lost
duration: 60s
client: {timeout: 5s}
load:
  - {service: webmail, rate: 50/s}
faults:
  - {at: 10s, crash: {node: web-2}}
)";
  mailsim::app::Inputs in{mailsim::config::parse_topology(webmail_topology(imap_step_options), "w.yaml"),
                          mailsim::config::parse_scenario(scen, "s.yaml")};
  return mailsim::app::run_one(in, 3);
}

}  // namespace

// SOGo's IMAP host is localhost: once haproxy's checks take web-2 out (inter 2 s x fall 3),
// every page runs on web-1 and lists its mailbox there. Round robin over both dovecots
// keeps sending half the listings to the dead node for the rest of the run. (Two tests:
// one simulation per process.)
TEST(FlowChain, LocalStepTalksToTheCallersOwnInstanceSoLosingTheOtherNodeCostsOnlyTheHealthCheckWindow) {
  auto run = run_webmail(", local: true");
  // Lost: pages sent to web-2 until its checks fail, about half of 6-8 s of 50 s.
  EXPECT_GT(run["services"]["webmail"]["availability"].get<double>(), 0.9) << run["services"]["webmail"].dump();
}

TEST(FlowChain, RoundRobinStepKeepsSendingToTheDeadNodeForTheRestOfTheRun) {
  auto run = run_webmail("");
  // Also half of the pages web-1 serves, for the remaining ~42 s.
  EXPECT_LT(run["services"]["webmail"]["availability"].get<double>(), 0.75) << run["services"]["webmail"].dump();
}

TEST(FlowChain, LocalStepWithoutAnEarlierStepOnItsNodesIsAnInputError) {
  std::string topo = webmail_topology("");
  // A first step cannot be local: nobody called it.
  std::string first = topo;
  first.replace(first.find("{component: front}"), 18, "{component: front, local: true}");
  EXPECT_THROW(mailsim::config::parse_topology(first, "w.yaml"), mailsim::core::InputError);
  // db runs on no node of an earlier step (front's and web's nodes): an error at `local`.
  std::string db = topo;
  db.replace(db.find("{component: db, op: imap, cpu: 1ms}"), 35, "{component: db, op: imap, cpu: 1ms, local: true}");
  try {
    mailsim::config::parse_topology(db, "w.yaml");
    ADD_FAILURE() << "accepted a local step with no caller on its nodes";
  } catch (const mailsim::core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("w.yaml:20:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'local' step 2 needs an earlier step on a node that runs 'db'"),
              std::string::npos) << e.what();
  }
}

TEST(FlowChain, DirectClientsRetransmitTheirSynToTheSameNodeUntilTheirTimeout) {
  // No balancer: clients round-robin over two mail nodes. After mail-2 dies, a client that
  // drew it re-sends its SYN to mail-2 at 1, 3 s ... (Linux, one address) and times out at
  // 5 s; none reaches mail-1 on a retransmission, so no request succeeds after 1 s or more.
  const std::string topo = "name: direct\n" + kNetwork + R"(
nodes:
  - {name: mail-1, cores: 4, speed: 1Gf}
  - {name: mail-2, cores: 4, speed: 1Gf}
components:
  - {name: mail, model: mail_node, nodes: [mail-1, mail-2]}
services:
  - name: imap
    steps:
      - {component: mail, op: imap, cpu: 1ms}
)";
  const char* scen = R"(
name: mail-2-lost
duration: 30s
client: {timeout: 5s}
load:
  - {service: imap, rate: 20/s}
faults:
  - {at: 10s, crash: {node: mail-2}}
)";
  mailsim::app::Inputs in{mailsim::config::parse_topology(topo, "d.yaml"), mailsim::config::parse_scenario(scen, "s.yaml")};
  auto run = mailsim::app::run_one(in, 3);
  const auto& s = run["services"]["imap"];
  EXPECT_LT(s["latency_ms"]["max"].get<double>(), 1000.0) << s.dump();  // no success through a retransmission
  // About half of the 20 s x 20/s after the crash time out.
  EXPECT_GT(s["failed"].get<double>(), 150.0) << s.dump();
  EXPECT_LT(s["failed"].get<double>(), 250.0) << s.dump();
}
