// The seed clusters (topologies/*.yaml, seeds/DIGEST.md) validate and analyze, and
// analyze finds what the article implies. Runs from the source root (mailsim_add_test).
#include <gtest/gtest.h>

#include <algorithm>

#include "models/registry.hpp"
#include "analysis/analysis.hpp"

namespace mailsim::analysis {
namespace {

TopologyAnalysis analyze_file(const std::string& file) {
  auto t = config::load_topology(file);
  models::validate_topology(t);
  AnalysisOptions o;
  o.node_availability = 0.999;
  return analyze(t, o);
}

const ServiceAnalysis& service(const TopologyAnalysis& a, const std::string& name) {
  for (const auto& s : a.services)
    if (s.name == name) return s;
  throw std::runtime_error("no service " + name);
}

bool contains(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

TEST(SeedTopologies, DeepmailSingleNfsExportIsTheSpofOfReadingMailNotOfSmtp) {
  auto a = analyze_file("topologies/deepmail-11.yaml");
  EXPECT_EQ(a.nodes.size(), 12U);  // 11 + the external NFS server
  EXPECT_EQ(service(a, "imap").spofs, std::vector<std::string>{"nfs-1"});
  EXPECT_EQ(service(a, "imap").min_failures, 1);
  EXPECT_LT(*service(a, "imap").availability, 0.999);
  // SMTP answers once postfix has queued the message: the NFS export only delays delivery.
  EXPECT_TRUE(service(a, "smtp").spofs.empty());
  EXPECT_EQ(service(a, "smtp").min_failures, 2);
  // Roundcube shows the mailbox through dovecot, which reads the same single export.
  EXPECT_EQ(service(a, "webmail").spofs, std::vector<std::string>{"nfs-1"});
  EXPECT_EQ(service(a, "webmail").min_failures, 1);
}

TEST(SeedTopologies, RupostMaildirReplicaRemovesTheNfsSpof) {
  auto a = analyze_file("topologies/rupost-13.yaml");
  for (const auto& s : a.services) {
    EXPECT_TRUE(s.spofs.empty()) << s.name;
    EXPECT_EQ(s.min_failures, 2) << s.name;
    EXPECT_GT(*s.availability, 0.99999) << s.name;
  }
  // The cold backup never serves; memcached is a fallback cache: no service stops with them.
  EXPECT_TRUE(contains(a.unused_nodes, "nfs-backup"));
  EXPECT_TRUE(contains(a.unused_nodes, "mc-1"));
  // imap fails when both NFS master and replica are lost (smtp only queues meanwhile).
  const auto& cuts = service(a, "imap").min_cut_sets;
  EXPECT_TRUE(std::find(cuts.begin(), cuts.end(), std::vector<std::string>{"nfs-master", "nfs-replica"}) != cuts.end());
}

TEST(SeedTopologies, TeguHasNoSpofAndWebmailNeedsTheDatabase) {
  auto a = analyze_file("topologies/tegu-13.yaml");
  EXPECT_EQ(a.nodes.size(), 13U);
  for (const auto& s : a.services) EXPECT_TRUE(s.spofs.empty()) << s.name;
  const auto& web = service(a, "webmail");
  EXPECT_TRUE(contains(web.nodes, "web-1"));
  EXPECT_TRUE(contains(web.nodes, "pg-1"));
  EXPECT_TRUE(contains(web.nodes, "etcd-3"));
  EXPECT_TRUE(a.unused_nodes.empty());  // tegu-1/2 serve smtp and imap
}

TEST(SeedTopologies, TeguCockroachNeedsTwoOfThreeDatabaseNodes) {
  auto a = analyze_file("topologies/tegu-cockroach.yaml");
  EXPECT_EQ(a.nodes.size(), 11U);
  for (const auto& s : a.services) {
    EXPECT_TRUE(s.spofs.empty()) << s.name;
    EXPECT_EQ(s.min_failures, 2) << s.name;
    // A majority of every range: any 2 of the 3 CockroachDB nodes is a cut set, 1 is not.
    for (auto pair : std::vector<std::vector<std::string>>{{"crdb-1", "crdb-2"}, {"crdb-1", "crdb-3"}, {"crdb-2", "crdb-3"}})
      EXPECT_TRUE(std::find(s.min_cut_sets.begin(), s.min_cut_sets.end(), pair) != s.min_cut_sets.end()) << s.name;
  }
}

TEST(SeedTopologies, VkDeployerIsHarmlessForMail) {
  auto a = analyze_file("topologies/vk-workspace-8.yaml");
  EXPECT_EQ(a.nodes.size(), 8U);
  EXPECT_EQ(a.unused_nodes, std::vector<std::string>{"deployer"});
  for (const auto& s : a.services) {
    EXPECT_FALSE(contains(s.nodes, "deployer")) << s.name;
    EXPECT_TRUE(s.spofs.empty()) << s.name;
  }
  // Storage: losing 2 of the 3 storage nodes stops mail (no read-write pair, a pair lost).
  EXPECT_EQ(service(a, "smtp").min_failures, 2);
}

// The article gives no disks, but every PostgreSQL node commits through its WAL's fsync and
// every mail node a service queues on writes Postfix's queue file before the 250: each
// declares a disk (a sata_ssd assumption), or its writes would cost nothing.
TEST(SeedTopologies, EveryDatabaseNodeAndEveryQueueingMailNodeDeclaresADisk) {
  for (const char* file : {"topologies/rupost-13.yaml", "topologies/tegu-13.yaml", "topologies/vk-workspace-8.yaml",
                           "topologies/deepmail-11.yaml"}) {
    const auto t = config::load_topology(file);
    std::vector<std::string> queues;
    for (const auto& s : t.services) queues.push_back(s.queue);
    size_t checked = 0;
    for (const auto& c : t.components) {
      const bool writes = c.model == "patroni_postgres" || (c.model == "mail_node" && contains(queues, c.name));
      if (!writes) continue;
      for (const auto& n : c.nodes) {
        ++checked;
        EXPECT_FALSE(t.find_node(n)->disks.empty()) << file << ": " << c.name << " on " << n;
      }
    }
    EXPECT_GE(checked, 2u) << file;
  }
}

}  // namespace
}  // namespace mailsim::analysis
