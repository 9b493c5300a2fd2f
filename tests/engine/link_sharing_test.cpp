// Shared links (issue 15 item 1): the clients' link of a one-node cluster is the only slow
// link (1 MB/s), every request sends 10,000 B over it (10 ms), Poisson arrivals. A FIFO
// link sends the messages offered to it one after another (network.hpp), so it is an M/D/1
// queue: throughput capped at its bandwidth, mean wait rho s / (2 (1 - rho))
// (Pollaczek-Khinchine), rising as 1 / (1 - rho). A processor-sharing link (`sharing: ps`)
// is M/D/1-PS: mean transfer time s / (1 - rho).
#include <gtest/gtest.h>

#include "app/run_one.hpp"
#include "tests/engine/queue_topology.hpp"

namespace {

constexpr double kBandwidth = 1e6;  // B/s
constexpr double kBytes = 10000;
constexpr double kService = kBytes / kBandwidth;  // 10 ms

const char* kTopology = R"(
name: slow-uplink
network: {nic_latency: 1us, nic_bandwidth: 100Gbps, backbone_latency: 1us, backbone_bandwidth: 100Gbps,
          client_latency: 1us, client_bandwidth: 1MB/s, sharing: SHARING}
nodes:
  - {name: server, cores: 64, speed: 1Gf}
components:
  - {name: svc, model: mail_node, nodes: [server], params: {workers: 1000}}
services:
  - name: job
    steps: [{component: svc, op: imap, cpu: 1us, request: 10000B, response: 1B}]
)";

nlohmann::json run(double rate, int seconds, const std::string& sharing = "fifo") {
  const std::string scenario = mailsim::testing::poisson_scenario(rate, seconds);
  std::string topology = kTopology;
  topology.replace(topology.find("SHARING"), 7, sharing);
  mailsim::app::Inputs in{mailsim::config::parse_topology(topology, "slow.yaml"),
                          mailsim::config::parse_scenario(scenario, "poisson.yaml")};
  return mailsim::app::run_one(in, 5);
}

const nlohmann::json& uplink(const nlohmann::json& result) {
  for (const auto& r : result["resources"])
    if (r["name"] == "clients.link.up") return r;
  ADD_FAILURE() << "no clients.link.up";
  static const nlohmann::json none;
  return none;
}

// M/D/1 at rho: utilisation rho, mean wait rho s / (2 (1 - rho)), and the request's mean
// latency that wait plus s (the rest of its path takes microseconds).
void expect_md1(double rho) {
  const auto result = run(rho / kService, 1500);
  const auto& link = uplink(result);
  const double wait = rho * kService / (2 * (1 - rho));
  EXPECT_NEAR(link["utilisation"].get<double>(), rho, rho * 0.02);
  EXPECT_NEAR(link["mean_wait_s"].get<double>(), wait, wait * 0.10);
  const double latency_s = result["services"]["job"]["latency_ms"]["mean"].get<double>() / 1000;
  EXPECT_NEAR(latency_s, wait + kService, (wait + kService) * 0.10);
  EXPECT_EQ(result["bottleneck"]["name"], "clients.link.up");
}

// M/D/1-PS at rho: utilisation rho and the request's mean latency s / (1 - rho).
void expect_ps(double rho) {
  const auto result = run(rho / kService, 1500, "ps");
  const auto& link = uplink(result);
  EXPECT_NEAR(link["utilisation"].get<double>(), rho, rho * 0.02);
  const double latency_s = result["services"]["job"]["latency_ms"]["mean"].get<double>() / 1000;
  const double expected = kService / (1 - rho);
  EXPECT_NEAR(latency_s, expected, expected * 0.10);
  EXPECT_EQ(result["bottleneck"]["name"], "clients.link.up");
}

}  // namespace

TEST(LinkSharing, AHalfLoadedProcessorSharingLinkTakesSOverOneMinusRho) { expect_ps(0.5); }

TEST(LinkSharing, AnEightyPercentLoadedProcessorSharingLinkTakesSOverOneMinusRho) { expect_ps(0.8); }

TEST(LinkSharing, AnOverloadedProcessorSharingLinkCapsThroughputAtItsBandwidth) {
  const auto result = run(1.5 / kService, 200, "ps");
  const auto& link = uplink(result);
  EXPECT_GE(link["utilisation"].get<double>(), 0.99);
  EXPECT_LE(link["utilisation"].get<double>(), 1.0);
  const double carried = result["services"]["job"]["ok"].get<double>() * kBytes;
  EXPECT_LE(carried, kBandwidth * result["manifest"]["engine"]["end_s"].get<double>());
}

TEST(LinkSharing, AHalfLoadedLinkQueuesAsMD1) { expect_md1(0.5); }

TEST(LinkSharing, AnEightyPercentLoadedLinkQueuesAsMD1) { expect_md1(0.8); }

TEST(LinkSharing, AnOverloadedLinkCapsThroughputAtItsBandwidth) {
  // Offered 1.5 x the link: it is busy all the time and carries at most its bandwidth.
  const int seconds = 200;
  const auto result = run(1.5 / kService, seconds);
  const auto& link = uplink(result);
  EXPECT_GE(link["utilisation"].get<double>(), 0.99);
  EXPECT_LE(link["utilisation"].get<double>(), 1.0);
  const double carried = result["services"]["job"]["ok"].get<double>() * kBytes;
  // Requests answered within the run: at most what the link could carry while the run lasted.
  EXPECT_LE(carried, kBandwidth * result["manifest"]["engine"]["end_s"].get<double>());
  // The queue grew: waits far beyond the service time.
  EXPECT_GT(link["mean_wait_s"].get<double>(), 100 * kService);
}

TEST(LinkSharing, AnIdleLinkAddsOnlyBytesOverBandwidth) {
  // One request every 10 s: never two on the link at once, so each takes latency + s.
  const auto result = run(0.1, 200);
  EXPECT_EQ(uplink(result)["mean_wait_s"].get<double>(), 0);
  const double latency_s = result["services"]["job"]["latency_ms"]["mean"].get<double>() / 1000;
  EXPECT_NEAR(latency_s, kService, 0.0002);
}
