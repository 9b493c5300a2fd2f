// Static analysis against closed forms: k-of-n availabilities of hand-built topologies,
// single points of failure, minimal cut sets, refusal beyond the enumeration limit.
#include "analysis/analysis.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "models/registry.hpp"
#include "reports/analysis_dot.hpp"
#include "reports/analysis_text.hpp"

namespace mailsim::analysis {
namespace {

const char* kHeader = R"(
name: t
network: {nic_latency: 50us, nic_bandwidth: 10Gbps, backbone_latency: 10us, backbone_bandwidth: 40Gbps,
          client_latency: 2ms, client_bandwidth: 1Gbps}
)";

config::Topology topo(const std::string& body) {
  auto t = config::parse_topology(std::string(kHeader) + body, "t.yaml");
  models::validate_topology(t);
  return t;
}

// VIP pair in front of two mail nodes.
const char* kVipPair = R"(
nodes:
  - {name: lb-1, cores: 2, speed: 2Gf}
  - {name: lb-2, cores: 2, speed: 2Gf}
  - {name: mail-1, cores: 4, speed: 2Gf}
  - {name: mail-2, cores: 4, speed: 2Gf}
  - {name: deployer, cores: 2, speed: 2Gf}
components:
  - {name: front_lb, model: vip_balancer, nodes: [lb-1, lb-2], params: {backend: mail}}
  - {name: mail, model: mail_node, nodes: [mail-1, mail-2]}
services:
  - name: smtp
    steps:
      - {component: front_lb, request: 50KiB}
      - {component: mail, op: smtp, cpu: 4ms}
)";

const ServiceAnalysis& service(const TopologyAnalysis& a, const std::string& name) {
  for (const auto& s : a.services)
    if (s.name == name) return s;
  throw std::runtime_error("no service " + name);
}

TEST(KOfN, MatchesBinomialSums) {
  EXPECT_DOUBLE_EQ(k_of_n_availability(1, 2, 0.9), 1 - 0.1 * 0.1);
  EXPECT_NEAR(k_of_n_availability(2, 3, 0.9), 3 * 0.81 * 0.1 + 0.729, 1e-15);
  EXPECT_DOUBLE_EQ(k_of_n_availability(3, 3, 0.9), 0.729);
}

TEST(Analyze, VipPairInFrontOfTwoMailNodesIsOneOfTwoSquared) {
  auto t = topo(kVipPair);
  for (double a : {0.9, 0.99, 0.999}) {
    AnalysisOptions o;
    o.node_availability = a;
    auto r = analyze(t, o);
    const auto& s = service(r, "smtp");
    ASSERT_TRUE(s.availability.has_value());
    EXPECT_TRUE(s.availability_exact);
    double pair = 1 - (1 - a) * (1 - a);
    EXPECT_NEAR(*s.availability, pair * pair, 1e-14) << a;
    EXPECT_TRUE(s.spofs.empty());
    EXPECT_EQ(s.min_failures, 2);
    EXPECT_EQ(s.states, 16);  // the deployer is not enumerated
    ASSERT_EQ(s.min_cut_sets.size(), 2U);
    EXPECT_EQ(s.min_cut_sets[0], (std::vector<std::string>{"lb-1", "lb-2"}));
    EXPECT_EQ(s.min_cut_sets[1], (std::vector<std::string>{"mail-1", "mail-2"}));
    EXPECT_EQ(r.unused_nodes, std::vector<std::string>{"deployer"});
  }
}

TEST(Analyze, PerNodeAvailabilities) {
  auto t = topo(kVipPair);
  AnalysisOptions o;
  o.node_availability = 0.99;
  o.per_node = {{"lb-1", 0.9}, {"lb-2", 0.8}, {"mail-1", 0.7}};
  auto s = service(analyze(t, o), "smtp");
  EXPECT_NEAR(*s.availability, (1 - 0.1 * 0.2) * (1 - 0.3 * 0.01), 1e-14);
}

TEST(Analyze, SingleNodeComponentIsASpof) {
  auto t = topo(R"(
nodes:
  - {name: lb-1, cores: 2, speed: 2Gf}
  - {name: lb-2, cores: 2, speed: 2Gf}
  - {name: mail-1, cores: 4, speed: 2Gf}
  - {name: mail-2, cores: 4, speed: 2Gf}
  - {name: nfs-1, cores: 4, speed: 2Gf, disks: [{name: d1, profile: sata_ssd}]}
components:
  - {name: front_lb, model: vip_balancer, nodes: [lb-1, lb-2], params: {backend: mail}}
  - {name: mail, model: mail_node, nodes: [mail-1, mail-2]}
  - {name: maildir, model: nfs, nodes: [nfs-1]}
services:
  - name: imap
    steps:
      - {component: front_lb, request: 200B}
      - {component: mail, op: imap, cpu: 2ms}
      - {component: maildir, op: fetch, request: 20KiB}
)");
  AnalysisOptions o;
  o.node_availability = 0.99;
  auto s = service(analyze(t, o), "imap");
  EXPECT_EQ(s.spofs, std::vector<std::string>{"nfs-1"});
  EXPECT_EQ(s.min_failures, 1);
  double pair = 1 - 0.01 * 0.01;
  EXPECT_NEAR(*s.availability, pair * pair * 0.99, 1e-14);
  ASSERT_EQ(s.min_cut_sets.size(), 3U);
  EXPECT_EQ(s.min_cut_sets[0], std::vector<std::string>{"nfs-1"});
}

TEST(Analyze, PatroniNeedsEtcdMajorityAndOnePostgres) {
  auto t = topo(R"(
nodes:
  - {name: app, cores: 4, speed: 2Gf}
  - {name: pg-1, cores: 4, speed: 2Gf}
  - {name: pg-2, cores: 4, speed: 2Gf}
  - {name: etcd-1, cores: 2, speed: 2Gf}
  - {name: etcd-2, cores: 2, speed: 2Gf}
  - {name: etcd-3, cores: 2, speed: 2Gf}
components:
  - {name: web, model: mail_node, nodes: [app]}
  - {name: pg, model: patroni_postgres, nodes: [pg-1, pg-2], params: {dcs: etcd}}
  - {name: etcd, model: etcd, nodes: [etcd-1, etcd-2, etcd-3]}
services:
  - name: webmail
    steps:
      - {component: web, op: https, cpu: 2ms}
      - {component: pg, op: write, cpu: 1ms}
)");
  const double a = 0.95;
  AnalysisOptions o;
  o.node_availability = a;
  auto r = analyze(t, o);
  auto s = service(r, "webmail");
  EXPECT_NEAR(*s.availability, a * k_of_n_availability(2, 3, a) * k_of_n_availability(1, 2, a), 1e-14);
  EXPECT_EQ(s.spofs, std::vector<std::string>{"app"});
  // Cut sets of size 2: any two etcd members, both PostgreSQL nodes.
  EXPECT_EQ(s.min_cut_sets.size(), 1U + 1U + 3U);
  bool etcd_pair = false;
  for (const auto& c : s.min_cut_sets) etcd_pair = etcd_pair || c == std::vector<std::string>{"etcd-1", "etcd-3"};
  EXPECT_TRUE(etcd_pair);
  // pg depends on etcd through its params.
  for (const auto& c : r.components) {
    if (c.name == "pg") EXPECT_EQ(c.depends_on, std::vector<std::string>{"etcd"});
  }
}

TEST(Analyze, StorageTripleAndFallbackCache) {
  auto t = topo(R"(
nodes:
  - {name: front-1, cores: 8, speed: 2Gf}
  - {name: mc-1, cores: 2, speed: 2Gf}
  - {name: st-1, cores: 4, speed: 2Gf, disks: [{name: d1, profile: sata_ssd}]}
  - {name: st-2, cores: 4, speed: 2Gf, disks: [{name: d1, profile: sata_ssd}]}
  - {name: st-3, cores: 4, speed: 2Gf, disks: [{name: d1, profile: sata_ssd}]}
components:
  - {name: front, model: mail_node, nodes: [front-1]}
  - {name: cache, model: memcached, nodes: [mc-1]}
  - {name: store, model: storage_triple, nodes: [st-1, st-2, st-3]}
services:
  - name: smtp
    steps:
      - {component: front, op: smtp, cpu: 4ms}
      - {component: store, op: write, request: 50KiB}
  - name: imap
    steps:
      - {component: front, op: imap, cpu: 2ms}
      - {component: cache, op: get, fallback: true}
      - {component: store, op: read, request: 20KiB}
)");
  const double a = 0.9;
  AnalysisOptions o;
  o.node_availability = a;
  auto r = analyze(t, o);
  // A write needs one read-write pair, a read a live copy of every pair: 2 of 3 for one triple.
  for (const char* name : {"smtp", "imap"}) {
    auto s = service(r, name);
    EXPECT_NEAR(*s.availability, a * k_of_n_availability(2, 3, a), 1e-14) << name;
    EXPECT_EQ(s.spofs, std::vector<std::string>{"front-1"});
  }
  auto imap = service(r, "imap");
  EXPECT_EQ(imap.skipped, std::vector<std::string>{"cache"});
  EXPECT_EQ(r.unused_nodes, std::vector<std::string>{"mc-1"});
}

TEST(Analyze, RefusesOrSamplesBeyondTheEnumerationLimit) {
  auto t = topo(kVipPair);
  AnalysisOptions o;
  o.node_availability = 0.9;
  o.max_exact_nodes = 3;
  auto s = service(analyze(t, o), "smtp");
  EXPECT_FALSE(s.availability.has_value());
  EXPECT_NE(s.note.find("--samples"), std::string::npos);
  EXPECT_EQ(s.min_failures, 2);  // from the cut sets
  o.samples = 200000;
  auto sampled = service(analyze(t, o), "smtp");
  ASSERT_TRUE(sampled.availability.has_value());
  EXPECT_FALSE(sampled.availability_exact);
  EXPECT_NEAR(*sampled.availability, 0.99 * 0.99, 0.005);
  EXPECT_EQ(*sampled.availability, *service(analyze(t, o), "smtp").availability);  // seeded
}

TEST(Analyze, BadOptionsAreInputErrors) {
  auto t = topo(kVipPair);
  AnalysisOptions o;
  o.per_node = {{"lb-3", 0.9}};
  EXPECT_THROW(analyze(t, o), core::InputError);
  o.per_node = {{"lb-1", 1.5}};
  EXPECT_THROW(analyze(t, o), core::InputError);
}

TEST(Render, DotHighlightsSpofsAndJsonHasServices) {
  auto t = topo(R"(
nodes:
  - {name: mail-1, cores: 4, speed: 2Gf}
  - {name: nfs-1, cores: 4, speed: 2Gf, disks: [{name: d1, profile: sata_ssd}]}
components:
  - {name: mail, model: mail_node, nodes: [mail-1]}
  - {name: maildir, model: nfs, nodes: [nfs-1]}
services:
  - name: imap
    steps:
      - {component: mail, op: imap, cpu: 2ms}
      - {component: maildir, op: fetch, request: 20KiB}
)");
  auto r = analyze(t, AnalysisOptions{});
  std::string dot = reports::analysis_dot(t, r);
  EXPECT_NE(dot.find("digraph"), std::string::npos);
  EXPECT_NE(dot.find("nfs-1\\nSPOF: imap"), std::string::npos);
  std::string json = reports::analysis_json(r);
  EXPECT_NE(json.find("\"spofs\": [\n        \"mail-1\",\n        \"nfs-1\""), std::string::npos) << json;
  std::string text = reports::analysis_text(r);
  EXPECT_NE(text.find("mail-1, nfs-1"), std::string::npos) << text;
}

}  // namespace
}  // namespace mailsim::analysis

#include "analysis/compare.hpp"
#include "reports/compare_html.hpp"
#include "reports/compare_table.hpp"

namespace mailsim::analysis {
namespace {

// A run result with one service: outage, failed count and a per-second series of 10
// requests a second (its availability is the series').
nlohmann::json fake_run(double outage, int failed, std::vector<int> ok_series, double p99) {
  std::vector<int> req(ok_series.size(), 10);
  double ok = 0;
  for (int x : ok_series) ok += x;
  return {{"manifest", {{"scenario", {{"duration_s", static_cast<double>(ok_series.size())}}}}},
          {"services",
           {{"smtp",
             {{"availability", ok / (10.0 * static_cast<double>(ok_series.size()))},
              {"outage_max_s", outage},
              {"failed", failed},
              {"latency_ms", {{"p99", p99}}},
              {"series", {{"window_s", 1.0}, {"requests", req}, {"ok", ok_series}}}}}}},
          {"failovers", nlohmann::json::array({{{"component", "front_lb"}, {"duration_s", 3.1}}})}};
}

TEST(Compare, OneRowPerTopologyServiceAndTheWorstCrashByLostAvailability) {
  auto t = topo(kVipPair);
  std::vector<CompareInput> inputs;
  for (const char* name : {"alpha", "beta"}) {
    CompareInput in;
    in.analysis = analyze(t, AnalysisOptions{});
    in.analysis.topology = name;
    in.tail_s = 2;
    in.baseline = fake_run(0, 0, {10, 10, 10, 10}, 12.5);
    in.crashes.emplace_back("lb-1", fake_run(3.1, 30, {10, 0, 10, 10}, 1));
    in.crashes.emplace_back("mail-1", fake_run(1.0, 5, {10, 5, 10, 10}, 1));
    // beta: mail-2's crash leaves smtp down to the end: worse than any recovered outage.
    in.crashes.emplace_back("mail-2", std::string(name) == "beta" ? std::optional(fake_run(2.0, 20, {10, 10, 0, 0}, 1))
                                                                   : std::optional<nlohmann::json>());
    inputs.push_back(in);
  }
  auto result = compare_result(inputs);
  ASSERT_EQ(result["topologies"].size(), 2U);
  EXPECT_EQ(result["topologies"][0]["services"][0]["worst_crash"]["node"], "lb-1");
  EXPECT_EQ(result["topologies"][1]["services"][0]["worst_crash"]["node"], "mail-2");
  EXPECT_TRUE(result["topologies"][1]["services"][0]["worst_crash"]["down"].get<bool>());
  EXPECT_EQ(result["topologies"][0]["failed_runs"][0], "crash mail-2");
  EXPECT_DOUBLE_EQ(result["topologies"][0]["services"][0]["p99_ms"].get<double>(), 12.5);
  std::string table = reports::compare_table(result);
  EXPECT_NE(table.find("alpha"), std::string::npos);
  EXPECT_NE(table.find("50.000% DOWN (mail-2)"), std::string::npos) << table;
  EXPECT_NE(table.find("75.000% ok (lb-1)"), std::string::npos) << table;
  std::string md = reports::compare_markdown(result);
  int rows = 0;
  for (size_t p = md.find("\n| alpha"); p != std::string::npos; p = md.find("\n| alpha", p + 1)) ++rows;
  EXPECT_EQ(rows, 1);
  EXPECT_NE(md.find("\n| beta | 5 | smtp |"), std::string::npos) << md;
}


// RuPost's case (issue 16): a crash that leaves a permanent partial loss costs more
// availability than a longer outage the service recovers from, and compare must name it.
TEST(Compare, APermanentPartialLossOutranksALongerOutageThatRecovers) {
  CompareInput in;
  in.analysis = analyze(topo(kVipPair), AnalysisOptions{});
  in.tail_s = 4;
  in.baseline = fake_run(0, 0, std::vector<int>(10, 10), 1);
  // lb-1: 5 s down, then back (50 of 100 lost); mail-1: 6 of 10 per second from 2 s on (32 lost).
  in.crashes.push_back({"lb-1", fake_run(5.0, 50, {10, 10, 0, 0, 0, 0, 0, 10, 10, 10}, 1), "cmd-lb-1"});
  in.crashes.push_back({"mail-1", fake_run(0.01, 32, {10, 10, 6, 6, 6, 6, 6, 6, 6, 6}, 1), "cmd-mail-1"});
  in.crashes.push_back({"mail-2", fake_run(0.01, 60, {10, 10, 3, 3, 3, 3, 3, 3, 3, 3}, 1), "cmd-mail-2"});
  auto worst = compare_result({in})["topologies"][0]["services"][0]["worst_crash"];
  EXPECT_EQ(worst["node"], "mail-2");
  EXPECT_EQ(worst["command"], "cmd-mail-2");
  EXPECT_NEAR(worst["lost_availability"].get<double>(), 0.56, 1e-9);
  in.crashes.pop_back();
  worst = compare_result({in})["topologies"][0]["services"][0]["worst_crash"];
  EXPECT_EQ(worst["node"], "lb-1") << "50% lost beats 32% lost, however short each of mail-1's outages";
}

TEST(Compare, AtEqualLossADownIncidentOutranksADegradedOne) {
  CompareInput in;
  in.analysis = analyze(topo(kVipPair), AnalysisOptions{});
  in.tail_s = 2;
  in.baseline = fake_run(0, 0, {10, 10, 10, 10}, 1);
  auto degraded = fake_run(0, 0, {10, 10, 10, 10}, 1), down = degraded;
  degraded["services"]["smtp"]["incidents"] = nlohmann::json::array({{{"class", "degraded"}}});
  down["services"]["smtp"]["incidents"] = nlohmann::json::array({{{"class", "down"}}});
  in.crashes.push_back({"lb-1", degraded, ""});
  in.crashes.push_back({"mail-1", down, ""});
  EXPECT_EQ(compare_result({in})["topologies"][0]["services"][0]["worst_crash"]["node"], "mail-1");
}

// Issue 15 item 5: a baseline that could not keep up (ended early, `overloaded`) is marked
// in the compare document and its table, so its figures are not read as a steady state.
TEST(Compare, AnOverloadedBaselineIsMarked) {
  CompareInput in;
  in.analysis = analyze(topo(kVipPair), AnalysisOptions{});
  in.tail_s = 2;
  in.baseline = fake_run(0, 0, {10, 10, 10, 10}, 1);
  EXPECT_FALSE(compare_result({in})["topologies"][0].contains("overloaded"));
  (*in.baseline)["overloaded"] = {{"at_s", 21.0}, {"service", "smtp"}, {"measure", "backlog"}};
  auto result = compare_result({in});
  EXPECT_EQ(result["topologies"][0]["overloaded"]["service"], "smtp");
  EXPECT_NE(reports::compare_table(result).find("OVERLOADED: the baseline could not keep up with the load (smtp backlog "
                                                "at 21 s)"),
            std::string::npos)
      << reports::compare_table(result);
  EXPECT_NE(reports::compare_markdown(result).find("**overloaded**"), std::string::npos);
  EXPECT_NE(reports::compare_html(result).find(": OVERLOADED: the baseline could not keep up with the load (smtp backlog"),
            std::string::npos);
}

// Deepmail's webmail behind round-robin IMAP (lab 8): half the requests fail from the
// crash to the end. The tail sits at the 50% line, but the run ends inside a down
// incident, so the cell says DOWN, not an outage that recovered.
TEST(Compare, ARunEndingInsideADownIncidentIsDownNotAnOutage) {
  CompareInput in;
  in.analysis = analyze(topo(kVipPair), AnalysisOptions{});
  in.tail_s = 4;
  in.baseline = fake_run(0, 0, std::vector<int>(10, 10), 1);
  auto half = fake_run(0.01, 40, {10, 10, 5, 5, 5, 5, 5, 5, 5, 5}, 1);
  half["services"]["smtp"]["incidents"] =
      nlohmann::json::array({{{"class", "down"}, {"recovered", false}, {"start_s", 2.0}, {"end_s", 10.0}}});
  in.crashes.push_back({"mail-1", half, ""});
  auto result = compare_result({in});
  EXPECT_TRUE(result["topologies"][0]["services"][0]["worst_crash"]["down"].get<bool>());
  EXPECT_NE(reports::compare_table(result).find("60.000% DOWN (mail-1)"), std::string::npos);
  // The same incident, recovered at the end: an outage.
  half["services"]["smtp"]["incidents"][0]["recovered"] = true;
  in.crashes.back().run = half;
  result = compare_result({in});
  EXPECT_FALSE(result["topologies"][0]["services"][0]["worst_crash"]["down"].get<bool>());
  EXPECT_NE(reports::compare_table(result).find("60.000% outage (mail-1)"), std::string::npos);
}

// deepmail-appliance's case (issue 16): `SPOFs -` next to a crash measured down is flagged,
// with explore's explanation when the failover outlasted the time before the tail.
TEST(Compare, ACrashMeasuredDownThatAnalyzeSurvivesIsFlaggedWithWhy) {
  CompareInput in;
  in.analysis = analyze(topo(kVipPair), AnalysisOptions{});
  ASSERT_TRUE(in.analysis.services[0].spofs.empty());
  in.crash_at_s = 1;
  in.tail_s = 3;
  in.baseline = fake_run(0, 0, std::vector<int>(8, 10), 1);
  in.crashes.push_back({"mail-1", fake_run(7.0, 70, {10, 0, 0, 0, 0, 0, 0, 0}, 1), "cmd"});   // 7 s >= 8 - 1 - 3
  in.crashes.push_back({"mail-2", fake_run(2.0, 40, {10, 10, 10, 10, 0, 0, 0, 0}, 1), "cmd"});  // 2 s < 4 s
  auto d = compare_result({in})["topologies"][0]["services"][0]["disagreements"];
  ASSERT_EQ(d.size(), 2U) << d.dump();
  EXPECT_EQ(d[0]["node"], "mail-1");
  EXPECT_EQ(d[0]["analyze"], "survives");
  EXPECT_EQ(d[0]["measured"], "down");
  EXPECT_TRUE(d[0]["expected"].get<bool>());
  EXPECT_NE(d[0]["why"].get<std::string>().find("rerun with a longer --duration"), std::string::npos);
  EXPECT_FALSE(d[1]["expected"].get<bool>()) << "a short outage and still down: a real disagreement";
  const std::string table = reports::compare_table(compare_result({in}));
  EXPECT_NE(table.find("smtp: crash of mail-1: analyze says the service survives, the run measured down (expected)"),
            std::string::npos)
      << table;
}

}  // namespace
}  // namespace mailsim::analysis

#include "analysis/assumptions.hpp"
#include "config/yaml_reader.hpp"

namespace mailsim::analysis {
namespace {

// The assumptions behind a figure: the params of the acting components whose source is an
// assumption, with the value used, and the topology's `# assumption` comments on them.
TEST(Assumptions, ParamsSourcedAsAssumptionsAndTheTopologysComments) {
  const std::string file = "topologies/tutorial/rupost-maildir.yaml";
  auto t = config::load_topology(file);
  auto notes = assumptions_of(t, config::read_text_file(file), {"maildir"});
  auto has = [&](const std::string& prefix) {
    return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return n.rfind(prefix, 0) == 0; });
  };
  EXPECT_TRUE(has("maildir.switch_check_fall = 3 (assumption")) << ::testing::PrintToString(notes);
  // A note over three comment lines is one note, at its first line.
  EXPECT_TRUE(has(file + ":32: assumption: the article does not say how RuPost replicates its instances; they are NFS "
                         "exports, so a periodic rsync"))
      << ::testing::PrintToString(notes);
  EXPECT_TRUE(has(file + ":36: assumption")) << ::testing::PrintToString(notes);
  EXPECT_FALSE(has("mail.")) << "a component not asked about";
  EXPECT_TRUE(assumptions_of(t, config::read_text_file(file), {}).empty());
}

}  // namespace
}  // namespace mailsim::analysis
