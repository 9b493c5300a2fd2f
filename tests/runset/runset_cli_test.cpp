// The run-set commands as a user runs them, on the tutorial topology: explore's single
// faults, sweep's knee at a known capacity, reliability, and shards merged byte for byte.
#include <gtest/gtest.h>

#include "tests/common/run_binary.hpp"
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

using mailsim::testing::run_mailsim;
using mailsim::testing::slurp;

// Each test has its own output folder and cache (ctest runs cases in parallel).
std::string dir(const std::string& name) {
  std::string d = "out/test-runset/" + name + "-" + std::to_string(getpid());
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

const std::string kTopo = "topologies/tutorial/lb-pair.yaml";

std::vector<std::string> names(const nlohmann::json& a) { return a.get<std::vector<std::string>>(); }

TEST(Explore, SingleFaultsOnLbPairSayWhichNodesMatter) {
  std::string d = dir("explore");
  auto r = run_mailsim("explore " + kTopo + " --faults 1 --rate 50 --no-progress -j 2 --cache " + d + "/cache --json " + d +
                   "/e.json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(slurp(d + "/e.json"));
  EXPECT_EQ(j["schema"], "mailsim.explore/1");
  EXPECT_EQ(j["runs"].size(), 5u);  // baseline + 4 nodes
  for (const char* svc : {"smtp", "imap"}) {
    const auto& s = j["single_node"][svc];
    // No single node takes a service down: both tiers are redundant.
    EXPECT_TRUE(s["down"].empty()) << s.dump();
    EXPECT_TRUE(j["cut_sets"][svc].empty());
    // A mail node's crash fails the requests haproxy sends it until its checks mark it
    // DOWN; the backup balancer's crash costs nothing. (The VIP holder's crash black-holes
    // traffic for ~3 s, which clients mostly ride out with SYN retransmissions within
    // their 10 s timeout: transient or none depending on the service.)
    auto transient = names(s["transient"]);
    EXPECT_NE(std::find(transient.begin(), transient.end(), "mail-1"), transient.end()) << s.dump();
    EXPECT_NE(std::find(transient.begin(), transient.end(), "mail-2"), transient.end()) << s.dump();
    auto none = names(s["none"]);
    EXPECT_NE(std::find(none.begin(), none.end(), "lb-2"), none.end()) << s.dump();
    EXPECT_TRUE(s["degraded"].empty()) << s.dump();
    // The ranking puts a mail node first: the most failed requests.
    EXPECT_EQ(j["ranking"][svc][0]["nodes"][0].get<std::string>().rfind("mail-", 0), 0u);
  }
  EXPECT_NE(r.out.find("single-node loss"), std::string::npos);
}

TEST(Explore, PairsFindTheCutSetsAndShardsMergeByteForByte) {
  std::string d = dir("explore-shards");
  std::string common = "explore " + kTopo + " --faults 2 --rate 20 --no-progress -q -j 2 --cache " + d + "/cache";
  ASSERT_EQ(run_mailsim(common + " --json " + d + "/whole.json").code, 0);
  // Shards as separate processes, each with its own cache: nothing is shared but the inputs.
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(run_mailsim("explore " + kTopo + " --faults 2 --rate 20 --no-progress -q -j 1 --cache " + d + "/cache" +
                      std::to_string(i) + " --shard " + std::to_string(i) + "/3 --json " + d + "/s" +
                      std::to_string(i) + ".json")
                  .code,
              0);
  auto m = run_mailsim("merge " + d + "/s2.json " + d + "/s0.json " + d + "/s1.json --json " + d + "/merged.json");
  ASSERT_EQ(m.code, 0) << m.out;
  EXPECT_EQ(slurp(d + "/merged.json"), slurp(d + "/whole.json"));
  auto j = nlohmann::json::parse(slurp(d + "/whole.json"));
  EXPECT_EQ(j["runs"].size(), 1u + 4 + 6);
  // Losing both balancers or both mail nodes takes every service down.
  for (const char* svc : {"smtp", "imap"}) {
    auto cuts = j["cut_sets"][svc];
    EXPECT_NE(std::find(cuts.begin(), cuts.end(), nlohmann::json{"lb-1", "lb-2"}), cuts.end()) << cuts.dump();
    EXPECT_NE(std::find(cuts.begin(), cuts.end(), nlohmann::json{"mail-1", "mail-2"}), cuts.end()) << cuts.dump();
    EXPECT_EQ(cuts.size(), 2u) << cuts.dump();
  }
  // A missing shard is bad input.
  EXPECT_EQ(run_mailsim("merge " + d + "/s0.json " + d + "/s1.json").code, 2);
}

TEST(Sweep, KneeAtTheKnownCapacity) {
  std::string d = dir("sweep");
  // Capacity: 2 mail nodes x 4 cores / 100 ms per IMAP request = 80/s.
  auto r = run_mailsim("sweep " + kTopo + " tests/runset/inputs/imap-load.yaml --set load.imap.rate=40/s,60/s,72/s,96/s,120/s"
                   " --set services.imap.steps.1.cpu=100ms --slo 'availability>=99%,p99<=2s' --no-progress -j 2 --cache " +
                   d + "/cache --json " + d + "/s.json --csv " + d + "/s.csv");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(slurp(d + "/s.json"));
  ASSERT_EQ(j["points"].size(), 5u);
  ASSERT_EQ(j["knees"].size(), 1u);
  EXPECT_EQ(j["knees"][0]["knee"], "72/s") << r.out;
  EXPECT_EQ(j["knees"][0]["first_failure"], "96/s") << r.out;
  EXPECT_NE(r.out.find("knee of load.imap.rate at 100ms: 72/s"), std::string::npos) << r.out;
  std::string csv = slurp(d + "/s.csv");
  EXPECT_EQ(csv.rfind("load.imap.rate,services.imap.steps.1.cpu,service,", 0), 0u) << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 5 * 2);  // header + 5 points x 2 services
}

TEST(Sweep, BadValueIsBadInputWithItsPosition) {
  std::string d = dir("sweep-bad");
  auto r = run_mailsim("sweep " + kTopo + " tests/runset/inputs/imap-load.yaml --set load.imap.rate=fast --cache " + d +
                   "/cache");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("'fast' is not a rate"), std::string::npos) << r.out;
  EXPECT_EQ(run_mailsim("sweep " + kTopo + " tests/runset/inputs/imap-load.yaml --set bogus.x=1").code, 2);
  EXPECT_EQ(run_mailsim("explore " + kTopo + " --shard 3/3").code, 2);
}

TEST(Reliability, LbPairFromMeasuredOutagesAndShardsMerge) {
  std::string d = dir("reliability");
  std::string common = "reliability " + kTopo + " --rate 20 --pairs no --reps 20 --horizon 5y --min-years 2000 "
                       "--max-years 20000 --no-progress -j 2 --cache " + d + "/cache";
  auto r = run_mailsim(common + " --json " + d + "/whole.json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(slurp(d + "/whole.json"));
  EXPECT_EQ(j["schema"], "mailsim.reliability/1");
  for (const char* svc : {"smtp", "imap"}) {
    const auto& s = j["services"][svc];
    double a = s["availability"];
    EXPECT_GT(a, 0.999);
    EXPECT_LT(a, 1.0);
    EXPECT_LE(s["ci95"][0].get<double>(), a);
    EXPECT_GE(s["ci95"][1].get<double>(), a);
    // The mail nodes' failovers are measured, so the failover tax is positive.
    EXPECT_GT(s["failover_tax"].get<double>(), 0) << s.dump();
    EXPECT_GT(j["extra"]["outages"][svc]["mail-1"]["crash_loss_s"].get<double>(), 0.5);
    EXPECT_EQ(j["extra"]["outages"][svc]["lb-2"]["crash_loss_s"].get<double>(), 0.0);
  }
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(run_mailsim(common + " -q --shard " + std::to_string(i) + "/2 --json " + d + "/s" + std::to_string(i) + ".json").code, 0);
  ASSERT_EQ(run_mailsim("merge -q " + d + "/s0.json " + d + "/s1.json --json " + d + "/merged.json").code, 0);
  EXPECT_EQ(slurp(d + "/merged.json"), slurp(d + "/whole.json"));
}

}  // namespace
