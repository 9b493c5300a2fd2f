// The operational-laws prediction (analysis/capacity_model.hpp) on inputs whose demands are
// known by construction: U = X * D per resource, X_max = 1 / D_max.
#include "analysis/capacity_model.hpp"

#include <gtest/gtest.h>

#include "config/yaml_reader.hpp"
#include "core/input_file.hpp"

namespace mailsim::analysis {
namespace {

const ResourcePrediction& find(const CapacityPrediction& p, const std::string& name) {
  for (const auto& r : p.resources)
    if (r.name == name) return r;
  throw std::runtime_error("no resource " + name);
}

TEST(CapacityModel, OneServerUtilisationIsRateTimesMeanServiceTime) {
  // Lab 6's queue: 10 ms of CPU on one core, 50 requests/s: U = 0.5, saturation at 100/s.
  auto t = config::load_topology("topologies/labs/queue.yaml");
  auto s = config::load_scenario("scenarios/labs/queue-poisson.yaml");
  auto p = predict_capacity(t, s);
  EXPECT_NEAR(p.load_rps, 50, 1e-9);
  EXPECT_NEAR(find(p, "server.cpu").utilisation, 0.5, 1e-9);
  EXPECT_EQ(p.bottleneck, "server.cpu");
  EXPECT_NEAR(p.saturation_factor, 2, 1e-9);
  EXPECT_NEAR(p.load_rps * p.saturation_factor, 100, 1e-9);  // X_max = 1 / D_max
}

TEST(CapacityModel, ABalancedBackendSplitsItsDemandAndAVipSendsEverythingToItsHolder) {
  // lb-pair: imap at 100/s with 2 ms on a mail node (2 nodes, 4 cores each): each node
  // 100/2 x 2 ms / 4 cores = 2.5%; the balancers' steps have no CPU, but every request's
  // 200 B enters lb-1 (priority 150), the VIP holder, with the mail step's 20 KiB reply,
  // and nothing enters lb-2.
  auto t = config::load_topology("topologies/tutorial/lb-pair.yaml");
  auto s = config::parse_scenario("name: x\nduration: 100s\nclient: {timeout: 10s}\nload:\n  - {service: imap, rate: 100/s}\n", "inline");
  auto p = predict_capacity(t, s);
  EXPECT_NEAR(find(p, "mail-1.cpu").utilisation, 0.025, 1e-12);
  EXPECT_NEAR(find(p, "mail-2.cpu").utilisation, 0.025, 1e-12);
  EXPECT_NEAR(find(p, "lb-1.nic.down").demand, 100 * (200.0 + 20 * 1024), 1e-6);
  // The answer goes back through lb-1 to the clients: out of lb-1 with the request it
  // forwards, and down the clients' link.
  EXPECT_NEAR(find(p, "lb-1.nic.up").demand, 100 * (200.0 + 20 * 1024), 1e-6);
  EXPECT_NEAR(find(p, "clients.link.down").demand, 100 * 20 * 1024.0, 1e-6);
  EXPECT_NEAR(find(p, "clients.link.up").demand, 100 * 200.0, 1e-6);
  for (const auto& r : p.resources) EXPECT_NE(r.node, "lb-2") << r.name;
  EXPECT_NEAR(p.saturation_factor, 40, 1e-9);  // the mail nodes' CPUs: 1 / 0.025
  EXPECT_EQ(p.bottleneck, "mail-1.cpu");        // tie broken by name
}

// vk-workspace-8's webmail looks its session up in memcached (a fallback step; a hit skips
// the next step, on_hit_skip 1) and only on a miss goes on to MySQL (1 ms, primary db-1):
// with memcached's default 90% hits MySQL sees a tenth of the webmail requests.
TEST(CapacityModel, TheStepsACacheHitSkipsAreVisitedByTheMissesOnly) {
  const std::string text = config::read_text_file("topologies/vk-workspace-8.yaml");
  auto s = config::load_scenario("scenarios/library/standard-load.yaml");
  auto warm = predict_capacity(config::parse_topology(text, "topologies/vk-workspace-8.yaml"), s);
  const std::string cold_text = [&] {
    std::string t = text;
    const std::string from = "params: {mode: mcrouter}";
    t.replace(t.find(from), from.size(), "params: {mode: mcrouter, hit_ratio: 0%}");
    return t;
  }();
  auto cold = predict_capacity(config::parse_topology(cold_text, "topologies/vk-workspace-8.yaml"), s);
  double webmail = 0;
  for (const auto& l : s.load)
    if (l.service == "webmail") webmail = l.expected_requests(s.duration.seconds) / s.duration.seconds;
  EXPECT_NEAR(find(cold, "db-1.cpu").demand - find(warm, "db-1.cpu").demand, webmail * 0.9 * 0.001, 1e-12);
}

TEST(CapacityModel, SideBySideFindsTheRunsResourceByNameOrCpuNode) {
  auto t = config::load_topology("topologies/labs/queue.yaml");
  auto s = config::load_scenario("scenarios/labs/queue-poisson.yaml");
  auto p = predict_capacity(t, s);
  nlohmann::json run = {{"resources", {{{"name", "server.cores"}, {"kind", "cpu"}, {"node", "server"}, {"utilisation", 0.49}}}}};
  auto rows = utilisation_side_by_side(p, run);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0]["name"], "server.cpu");
  EXPECT_DOUBLE_EQ(rows[0]["simulated"].get<double>(), 0.49);
  EXPECT_TRUE(utilisation_side_by_side(p, nlohmann::json::object())[0]["simulated"].is_null());
}

TEST(CapacityModel, ADiskIsADemandAndCanBeTheBottleneck) {
  // nfs-server with its export on a hard disk (Seagate Exos X16 figures: 550 write IOPS,
  // 170 read IOPS, an 8.3 ms flush): a 50 KiB delivery is 2 writes and a flush, a 20 KiB fetch
  // 1 read, both bound by IOPS, not bandwidth. At 20 deliveries and 50 fetches per second
  // the disk is busy 20 x (2 / 550 + 8.3 ms) + 50 / 170 = 53%, the mail nodes' CPUs 2.25%.
  std::string text = core::read_input_file("topologies/tutorial/nfs-server.yaml");
  text.replace(text.find("profile: sata_ssd"), 17, "profile: hdd");
  auto t = config::parse_topology(text, "nfs-hdd.yaml");
  auto s = config::parse_scenario(
      "name: x\nduration: 100s\nclient: {timeout: 10s}\nload:\n  - {service: smtp, rate: 20/s}\n"
      "  - {service: imap, rate: 50/s}\n",
      "inline");
  auto p = predict_capacity(t, s);
  const auto& disk = find(p, "nfs-1.export");
  EXPECT_EQ(disk.kind, "disk");
  EXPECT_EQ(disk.unit, "IO/s");
  EXPECT_DOUBLE_EQ(disk.capacity, 550);
  EXPECT_NEAR(disk.utilisation, 20 * (2.0 / 550 + 8.3e-3) + 50.0 / 170, 1e-12);
  EXPECT_NEAR(find(p, "mail-1.cpu").utilisation, (20 * 0.004 + 50 * 0.002) / 2 / 4, 1e-12);
  EXPECT_EQ(p.bottleneck, "nfs-1.export");
  EXPECT_NEAR(p.saturation_factor, 1 / disk.utilisation, 1e-12);
}

TEST(CapacityModel, StorageCopiesAndRaftReplicasEachPayTheirDisk) {
  // storage-triple: a write lands on both copies of one of the three pairs, so each of the 3
  // nodes writes 2/3 of the messages; crdb-3: every write appends on all 3 replicas.
  auto st = config::load_topology("topologies/tutorial/storage-triple.yaml");
  auto p = predict_capacity(st, config::parse_scenario("name: x\nduration: 100s\nclient: {timeout: 10s}\nload:\n"
                                                       "  - {service: smtp, rate: 30/s}\n",
                                                       "inline"));
  double busy = 0;
  for (const char* n : {"st-1.d1", "st-2.d1", "st-3.d1"}) busy += find(p, n).utilisation;
  EXPECT_NEAR(find(p, "st-1.d1").utilisation, busy / 3, 1e-12) << "spread evenly";
  auto cr = config::load_topology("topologies/tutorial/crdb-3.yaml");
  auto q = predict_capacity(cr, config::parse_scenario("name: x\nduration: 100s\nclient: {timeout: 10s}\nload:\n"
                                                       "  - {service: write, rate: 100/s}\n",
                                                       "inline"));
  // sata_ssd: a small append is 1 / 36,000 s of IOPS plus a 200 us flush, on every node.
  for (const char* n : {"crdb-1.store", "crdb-2.store", "crdb-3.store"})
    EXPECT_NEAR(find(q, n).utilisation, 100 * (1.0 / 36000 + 200e-6), 1e-12) << n;
}

}  // namespace
}  // namespace mailsim::analysis
