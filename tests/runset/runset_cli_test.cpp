// The run-set commands as a user runs them, on the tutorial topology: explore's single
// faults, sweep's knee at a known capacity, reliability, and shards merged byte for byte.
#include <gtest/gtest.h>

#include "tests/common/run_binary.hpp"
#include <signal.h>
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
  // analyze's static answer for the same topology: no SPOF, the same (empty) cut sets.
  for (const char* svc : {"smtp", "imap"}) {
    const auto& a = j["agreement"]["services"][svc];
    EXPECT_TRUE(a["agree"].get<bool>()) << a.dump(1);
    EXPECT_TRUE(a["spofs_analyze"].empty()) << a.dump(1);
    EXPECT_TRUE(a["only_in_explore"].empty());
    EXPECT_TRUE(a["only_in_analyze"].empty());
  }
  EXPECT_NE(r.out.find("agreement with mailsim analyze (cut sets of up to 1 node(s)):\n  imap: agree"), std::string::npos)
      << r.out;
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
    // analyze finds exactly these pairs.
    const auto& a = j["agreement"]["services"][svc];
    EXPECT_TRUE(a["agree"].get<bool>()) << a.dump(1);
    EXPECT_EQ(a["cut_sets_analyze"], cuts) << a.dump(1);
    EXPECT_TRUE(a["expected_differences"].empty()) << a.dump(1);
  }
  // A missing shard is bad input.
  EXPECT_EQ(run_mailsim("merge " + d + "/s0.json " + d + "/s1.json").code, 2);
}


// explore --slo judges each crash run with the expectation grammar: on lb-pair a 90%
// availability SLO is broken exactly by the runs that lose a whole tier (the cut sets).
TEST(Explore, SloIsBrokenExactlyByTheCutSets) {
  std::string d = dir("explore-slo");
  auto r = run_mailsim("explore " + kTopo + " --faults 2 --rate 20 --slo 'availability >= 90%' --no-progress -j 2 --cache " +
                       d + "/cache --json " + d + "/e.json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(slurp(d + "/e.json"));
  EXPECT_EQ(j["slo"]["expectations"], "availability >= 90%");
  EXPECT_EQ(j["slo"]["runs"], 11);
  std::vector<nlohmann::json> broken;
  for (const auto& b : j["slo"]["broken_by"]) broken.push_back(b["nodes"]);
  EXPECT_EQ(broken, (std::vector<nlohmann::json>{{"lb-1", "lb-2"}, {"mail-1", "mail-2"}})) << j["slo"].dump(1);
  EXPECT_NE(r.out.find("SLO availability >= 90%: holds in 9 of 11 runs; broken by:\n  {lb-1+lb-2}: "), std::string::npos)
      << r.out;
  // The former sweep syntax is bad input that names the new spelling; so is an unknown service.
  auto old = run_mailsim("explore " + kTopo + " --slo 'imap.availability>=99%'");
  EXPECT_EQ(old.code, 2);
  EXPECT_NE(old.out.find("--slo:1:1: 'imap.availability' is not an expectation's metric: write availability(imap)"),
            std::string::npos) << old.out;
  auto typo = run_mailsim("explore " + kTopo + " --slo 'p99 <= 2s, p99(imapp) <= 2s'");
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.out.find("--slo:1:16: service 'imapp' is not in topology 'lb-pair' (did you mean 'imap'?)"),
            std::string::npos) << typo.out;
}

// A seed topology: DeepMail's single NFS server is imap's only single point of failure,
// and analyze says so too.
TEST(Explore, AgreesWithAnalyzeOnDeepmail) {
  std::string d = dir("explore-deepmail");
  auto r = run_mailsim("explore topologies/deepmail-11.yaml --faults 1 --rate 20 --no-progress -j 2 --cache " + d +
                       "/cache --json " + d + "/e.json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(slurp(d + "/e.json"));
  ASSERT_EQ(j["agreement"]["services"].size(), 3u) << j["agreement"].dump(1);
  for (const auto& [svc, a] : j["agreement"]["services"].items()) {
    EXPECT_TRUE(a["agree"].get<bool>()) << svc << ": " << a.dump(1);
    EXPECT_EQ(a["spofs_analyze"], a["spofs_explore"]) << svc;
    EXPECT_EQ(a["cut_sets_analyze"], j["cut_sets"][svc]) << svc;
  }
  EXPECT_EQ(j["agreement"]["services"]["imap"]["spofs_explore"], nlohmann::json({"nfs-1"}));
  EXPECT_TRUE(j["agreement"]["services"]["smtp"]["spofs_explore"].empty());
}

// RuPost's Maildir switch to the hot replica takes ~50 s after the master's loss: analyze
// (master OR replica) says imap survives; a run too short to see the switch end judges it
// down, and the agreement says so with the hint; the default length sees the switch.
TEST(Explore, RuPostMaildirSwitchNeedsALongEnoughRun) {
  std::string d = dir("explore-rupost");
  auto r = run_mailsim("explore topologies/rupost-13.yaml --faults 1 --rate 20 --duration 90 --no-progress -j 2 --cache " +
                       d + "/cache --json " + d + "/short.json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto s = nlohmann::json::parse(slurp(d + "/short.json"));
  const auto& imap = s["agreement"]["services"]["imap"];
  EXPECT_FALSE(imap["agree"].get<bool>()) << imap.dump(1);
  ASSERT_EQ(imap["only_in_explore"].size(), 1u) << imap.dump(1);
  EXPECT_EQ(imap["only_in_explore"][0]["nodes"], nlohmann::json({"nfs-master"}));
  EXPECT_NE(imap["only_in_explore"][0].value("hint", "").find("longer --duration"), std::string::npos) << imap.dump(1);
  EXPECT_TRUE(imap["only_in_analyze"].empty());
  EXPECT_NE(r.out.find("imap: DISAGREE"), std::string::npos) << r.out;
  r = run_mailsim("explore topologies/rupost-13.yaml --faults 1 --rate 20 --no-progress -j 2 --cache " + d +
                  "/cache --json " + d + "/e.json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(slurp(d + "/e.json"));
  EXPECT_EQ(j["duration_s"], 150.0);
  for (const auto& [svc, a] : j["agreement"]["services"].items()) EXPECT_TRUE(a["agree"].get<bool>()) << svc << ": " << a.dump(1);
  auto transient = names(j["single_node"]["imap"]["transient"]);
  EXPECT_NE(std::find(transient.begin(), transient.end(), "nfs-master"), transient.end()) << j["single_node"].dump();
  EXPECT_EQ(run_mailsim("explore topologies/rupost-13.yaml --scenario tests/runset/inputs/imap-load.yaml --duration 90").code, 2);
}

TEST(Sweep, KneeAtTheKnownCapacity) {
  std::string d = dir("sweep");
  // Capacity: 2 mail nodes x 4 cores / 100 ms per IMAP request = 80/s.
  auto r = run_mailsim("sweep " + kTopo + " tests/runset/inputs/imap-load.yaml --set load.imap.rate=40/s,60/s,72/s,96/s,120/s"
                   " --set services.imap.steps.1.cpu=100ms --slo 'availability>=99%,p99<=2s' --no-progress -j 2 --cache " +
                   d + "/cache --json " + d + "/s.json --csv " + d + "/s.csv --html " + d + "/s.html");
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
  // The plot: per service, p99 and availability against the rate; one line (path) per
  // combination of the other axes (here one: cpu=100ms), the knee circled at 72/s.
  std::string html = slurp(d + "/s.html");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);  // self-contained: nothing fetched
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t p = html.find(what); p != std::string::npos; p = html.find(what, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<svg"), 2u);                    // imap's p99 and availability (smtp has no load: no chart)
  EXPECT_EQ(count("<path class=\"series"), 2u);    // one series per chart
  EXPECT_EQ(count("<circle class=\"pt "), 2u * 5);  // five points per line
  EXPECT_EQ(count("<circle class=\"knee\""), 2u);  // the knee, on both charts
  EXPECT_NE(html.find("knee of services.imap.steps.1.cpu=100ms: 72/s"), std::string::npos);
  // Deterministic: the same sweep again (from the cache) writes the same bytes.
  ASSERT_EQ(run_mailsim("sweep " + kTopo + " tests/runset/inputs/imap-load.yaml --set load.imap.rate=40/s,60/s,72/s,96/s,120/s"
                        " --set services.imap.steps.1.cpu=100ms --slo 'availability>=99%,p99<=2s' -q -j 2 --cache " + d +
                        "/cache --html " + d + "/again.html").code, 0);
  EXPECT_EQ(slurp(d + "/again.html"), html);
}

// Issue 15 item 5: a point that cannot keep up ends early (within a minute of a 600 s
// scenario), marked overloaded with its evidence; the point below capacity runs to its end.
TEST(Sweep, AnOverloadedPointEndsEarlyAndIsMarked) {
  std::string d = dir("overload");
  // Capacity: 2 mail nodes x 4 cores / 100 ms = 80/s; 160/s is twice that.
  const std::string args = " tests/runset/inputs/imap-long.yaml --set load.imap.rate=40/s,160/s"
                           " --set services.imap.steps.1.cpu=100ms --no-progress -j 2 --no-cache --json " + d + "/s.json";
  auto r = run_mailsim("sweep " + kTopo + args);
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(slurp(d + "/s.json"));
  ASSERT_EQ(j["points"].size(), 2u);
  const auto& fine = j["points"][0];
  const auto& over = j["points"][1];
  EXPECT_FALSE(fine.contains("overloaded")) << fine.dump(1);
  EXPECT_TRUE(fine["slo"].get<bool>()) << fine.dump(1);
  ASSERT_TRUE(over.contains("overloaded")) << over.dump(1);
  EXPECT_FALSE(over["slo"].get<bool>());
  EXPECT_EQ(over["overloaded"]["service"], "imap");
  EXPECT_LT(over["overloaded"]["at_s"].get<double>(), 60.0) << over.dump(1);
  EXPECT_GT(over["overloaded"]["value"].get<double>(), over["overloaded"]["limit"].get<double>() - 1e-9);
  EXPECT_EQ(over["why"].get<std::string>().rfind("overloaded: imap: ", 0), 0u) << over.dump(1);
  EXPECT_NE(r.out.find("overloaded"), std::string::npos) << r.out;
  // `mailsim run --stop-overloaded`: twice the capacity of one FIFO server for 600 s ends
  // within a minute of simulated time, marked overloaded and partial, exit 1.
  auto one = run_mailsim("run topologies/labs/queue.yaml tests/runset/inputs/queue-overload.yaml --stop-overloaded -q "
                         "--json " + d + "/one.json");
  EXPECT_EQ(one.code, 1) << one.out;
  auto run = nlohmann::json::parse(slurp(d + "/one.json"));
  ASSERT_TRUE(run.contains("overloaded")) << run.dump().substr(0, 500);
  EXPECT_EQ(run["overloaded"]["service"], "job");
  EXPECT_LT(run["partial"]["end_s"].get<double>(), 60.0);
  EXPECT_EQ(run["partial"]["reason"].get<std::string>().rfind("overloaded: job: ", 0), 0u);
}

// A geometric sweep (issue 16): a log x axis with readable ticks, a results table, and a
// failing point marked red only on the service that broke the SLO.
TEST(Sweep, GeometricRatesGetALogAxisAResultsTableAndPerServiceMarks) {
  std::string d = dir("sweep-geometric");
  // smtp at a light 5/s throughout; imap from 5/s to 160/s on 80/s of capacity (as above).
  std::ofstream(d + "/mixed.yaml") << "name: mixed\nduration: 30s\nseed: 3\nclient: {timeout: 10s}\nload:\n"
                                      "  - {service: imap, rate: 10/s}\n  - {service: smtp, rate: 5/s}\n";
  auto r = run_mailsim("sweep " + kTopo + " " + d + "/mixed.yaml --set load.imap.rate=5/s..160/s*2"
                       " --set services.imap.steps.1.cpu=100ms --slo 'availability(imap)>=99%,availability(smtp)>=99%'"
                       " --no-progress -j 2 --cache " + d + "/cache --json " + d + "/s.json --html " + d + "/s.html");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(slurp(d + "/s.json"));
  ASSERT_EQ(j["points"].size(), 6u);  // 5, 10, 20, 40, 80, 160
  EXPECT_EQ(j["knees"][0]["knee"], "80/s") << r.out;  // capacity 80/s: 160/s fails
  const std::string html = slurp(d + "/s.html");
  // Log axis: equal ratios are equal distances, so 5..10 is as wide as 80..160.
  std::vector<double> xs;
  for (size_t p = html.find("<circle class=\"pt "); p != std::string::npos && xs.size() < 6;
       p = html.find("<circle class=\"pt ", p + 1))
    xs.push_back(std::stod(html.substr(html.find("cx=\"", p) + 4)));
  ASSERT_EQ(xs.size(), 6u);
  EXPECT_NEAR(xs[1] - xs[0], xs[5] - xs[4], 0.2) << html.substr(0, 200);
  EXPECT_EQ(html.find("e+0"), std::string::npos) << "ticks never in exponent notation";
  // The results table: a row per point, and the 160/s point's imap cells red, smtp's not.
  ASSERT_NE(html.find("<h2 id=\"results\">Results</h2>"), std::string::npos);
  const std::string table = html.substr(html.find("<h2 id=\"results\">"));
  const size_t row = table.find("<tr><td class=\"n\">160/s</td>");
  ASSERT_NE(row, std::string::npos) << table;
  const std::string cells = table.substr(row, table.find("</tr>", row) - row);
  EXPECT_NE(cells.find("<td class=\"n fail\">"), std::string::npos) << cells;  // imap
  EXPECT_NE(cells.find("<td class=\"n\">100.000%</td>"), std::string::npos) << cells;  // smtp held
  // The charts: imap's points past the knee ring red; smtp's never do.
  const std::string smtp = html.substr(html.find("<h2 id=\"svc-smtp\">"));
  EXPECT_EQ(smtp.substr(0, smtp.find("<h2", 1)).find("pt s0 fail"), std::string::npos);
  const std::string imap = html.substr(html.find("<h2 id=\"svc-imap\">"));
  EXPECT_NE(imap.substr(0, imap.find("<h2", 1)).find("fail\""), std::string::npos);
}

// A Latin hypercube over the IMAP rate and its CPU cost, two replications per point: the
// points are the seeded design (same seed, same bytes), the integer axis stays integer,
// and --knee gives the safe rate with the CPU cost free.
TEST(Sweep, LatinHypercubeIsSeededAndGivesASafeLimit) {
  std::string d = dir("sweep-lhs");
  std::string cmd = "sweep " + kTopo + " tests/runset/inputs/imap-load.yaml --lhs 6 --range load.imap.rate=20/s..140/s"
                    " --range services.imap.steps.1.cpu=50ms..100ms --range nodes.mail-1.cores=2..8 --reps 2 --seed 5"
                    " --knee load.imap.rate --slo 'availability(imap)>=99%,p99(imap)<=2s' --no-progress -j 2 --cache " + d + "/cache";
  auto r = run_mailsim(cmd + " --json " + d + "/a.json --html " + d + "/a.html");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(slurp(d + "/a.json"));
  EXPECT_EQ(j["design"], "lhs");
  ASSERT_EQ(j["points"].size(), 6u);
  std::vector<int> rate_strata(6, 0), core_strata(7, 0);
  for (const auto& p : j["points"]) {
    double rate = std::stod(p["values"][0].get<std::string>());
    ++rate_strata[std::min<size_t>(5, static_cast<size_t>((rate - 20) / 20))];
    const std::string cores = p["values"][2];
    EXPECT_EQ(cores.find_first_not_of("0123456789"), std::string::npos) << cores;
    ++core_strata[static_cast<size_t>(std::stoi(cores) - 2)];  // 7 integers, 6 strata: no value twice
  }
  for (int h : rate_strata) EXPECT_EQ(h, 1) << j["points"].dump();
  for (int h : core_strata) EXPECT_LE(h, 1) << j["points"].dump();
  ASSERT_EQ(j["knees"].size(), 1u);
  const auto& k = j["knees"][0];
  EXPECT_EQ(k["points"], 6);
  // The safe limit is what it says: every point at or below it passes, and the first
  // failure (if any) is above it.
  auto rate_of = [](const nlohmann::json& v) { return v.is_string() ? std::stod(v.get<std::string>()) : -1.0; };
  int passed = 0;
  for (const auto& p : j["points"]) {
    passed += p["slo"].get<bool>() ? 1 : 0;
    if (rate_of(p["values"][0]) <= rate_of(k["safe_up_to"])) EXPECT_TRUE(p["slo"].get<bool>()) << p.dump();
    if (!p["slo"].get<bool>()) EXPECT_GE(rate_of(p["values"][0]), rate_of(k["first_failure"])) << p.dump();
  }
  EXPECT_EQ(k["passed"], passed);
  if (k["reached"].get<bool>()) EXPECT_LT(rate_of(k["safe_up_to"]), rate_of(k["first_failure"])) << k.dump(1);
  EXPECT_NE(r.out.find("safe limit of load.imap.rate"), std::string::npos) << r.out;
  std::string html = slurp(d + "/a.html");
  EXPECT_NE(html.find("Latin hypercube of 6 points (seed 5)"), std::string::npos);
  // Byte-identical again without the cache, and a different seed gives other points.
  ASSERT_EQ(run_mailsim(cmd + " -q --no-cache --json " + d + "/b.json --html " + d + "/b.html").code, 0);
  EXPECT_EQ(slurp(d + "/b.json"), slurp(d + "/a.json"));
  EXPECT_EQ(slurp(d + "/b.html"), html);
  // Bad combinations are bad input, one line each.
  auto bad = run_mailsim("sweep " + kTopo + " tests/runset/inputs/imap-load.yaml --lhs 4 --range load.imap.rate=20/s..140/s"
                         " --set services.imap.steps.1.cpu=50ms,100ms --knee services.imap.steps.1.cpu");
  EXPECT_EQ(bad.code, 2) << bad.out;
  EXPECT_EQ(std::count(bad.out.begin(), bad.out.end(), '\n'), 1) << bad.out;
  EXPECT_EQ(run_mailsim("sweep " + kTopo + " tests/runset/inputs/imap-load.yaml --lhs 4").code, 2);
  EXPECT_EQ(run_mailsim("sweep " + kTopo + " tests/runset/inputs/imap-load.yaml --range load.imap.rate=1/s..2/s").code, 2);
  EXPECT_EQ(run_mailsim("sweep " + kTopo + " tests/runset/inputs/imap-load.yaml --lhs 4 --range load.imap.rate=9/s..2/s").code, 2);
}

// The sweep's SLO is the expectation grammar: a term naming no service applies to every
// service (as before), one service is METRIC(SERVICE), the old SERVICE.METRIC is refused
// with the new spelling, and the why of a failing point is the one evaluator's.
TEST(Sweep, SloUsesTheExpectationGrammar) {
  std::string d = dir("sweep-slo");
  std::string cmd = "sweep " + kTopo + " tests/runset/inputs/imap-load.yaml --set load.imap.rate=40/s,96/s"
                    " --set services.imap.steps.1.cpu=100ms --no-progress -j 2 --cache " + d + "/cache";
  auto one = run_mailsim(cmd + " --slo 'p99(imap) <= 2s, latency_max(imap) < 10s' --json " + d + "/one.json");
  ASSERT_EQ(one.code, 0) << one.out;
  auto j = nlohmann::json::parse(slurp(d + "/one.json"));
  EXPECT_EQ(j["slo"], "p99(imap) <= 2s, latency_max(imap) < 10s");
  ASSERT_EQ(j["points"].size(), 2u);
  EXPECT_TRUE(j["points"][0]["slo"].get<bool>()) << j["points"][0].dump();
  EXPECT_FALSE(j["points"][1]["slo"].get<bool>()) << j["points"][1].dump();  // 96/s is beyond the 80/s capacity
  EXPECT_EQ(j["points"][1]["why"].get<std::string>().rfind("p99(imap) <= 2s (measured ", 0), 0u) << j["points"][1].dump();
  // Every service: smtp has no load here, so only imap is judged, and the why names it.
  auto every = run_mailsim(cmd + " --slo 'p99 <= 2s' --json " + d + "/every.json");
  ASSERT_EQ(every.code, 0) << every.out;
  auto e = nlohmann::json::parse(slurp(d + "/every.json"));
  EXPECT_TRUE(e["points"][0]["slo"].get<bool>());
  EXPECT_EQ(e["points"][1]["why"].get<std::string>().rfind("imap: p99 <= 2s (measured ", 0), 0u) << e["points"][1].dump();
  auto old = run_mailsim(cmd + " --slo 'availability>=99%,imap.p99<=2s'");
  EXPECT_EQ(old.code, 2);
  EXPECT_NE(old.out.find("--slo:1:19: 'imap.p99' is not an expectation's metric: write p99(imap)"), std::string::npos)
      << old.out;
  EXPECT_EQ(run_mailsim(cmd + " --slo 'failover_time <= 5s'").code, 2);
}

TEST(Sweep, PointsShowEachComponentsFailoversSoATimerSweepShowsTheTimeItSets) {
  // VRRP's master-down interval is 3 x advert_int + skew: a longer advert_int gives a
  // longer takeover of the crashed master's VIP, at most one master-down interval.
  std::string d = dir("sweep-failovers");
  auto r = run_mailsim("sweep " + kTopo + " scenarios/tutorial/lb-master-crash.yaml --set "
                       "components.front_lb.params.advert_int=1s,2s,3s --set duration=60s --no-progress --cache " + d +
                       "/cache --json " + d + "/s.json");
  ASSERT_TRUE(r.code == 0 || r.code == 1) << r.out;
  EXPECT_NE(r.out.find("failovers of front_lb: 1 per run, mean "), std::string::npos) << r.out;
  auto j = nlohmann::json::parse(slurp(d + "/s.json"));
  double previous = 0;
  for (int i = 0; i < 3; ++i) {
    const auto& f = j["points"][i]["failovers"]["front_lb"];
    EXPECT_EQ(f["count_mean"].get<double>(), 1.0) << f.dump();
    double t = f["max_s"].get<double>(), advert = i + 1.0;
    EXPECT_EQ(f["mean_s"].get<double>(), t) << f.dump();  // one failover in one replication
    EXPECT_GT(t, previous) << f.dump();
    EXPECT_LE(t, 3 * advert + 1) << f.dump();
    previous = t;
  }
}

TEST(Sweep, ATopologyReadingOperatorsFilesKeepsItsFilesInTheRewrittenCopies) {
  // examples/ci's topology names its keepalived and haproxy files relative to its folder;
  // each swept copy lives under CACHE/inputs and still reads them (config_folder), so a
  // longer advert_int in params gives a longer takeover, and the copy reproduces its run.
  std::string d = dir("sweep-config-files");
  auto r = run_mailsim("sweep examples/ci/mailsim/rupost-13.yaml examples/ci/mailsim/scenarios/front-vip-holder-crash.yaml "
                       "--set components.front_lb.params.advert_int=1s,2s --set duration=40s --no-progress --cache " +
                       d + "/cache --json " + d + "/s.json");
  ASSERT_TRUE(r.code == 0 || r.code == 1) << r.out;
  auto j = nlohmann::json::parse(slurp(d + "/s.json"));
  ASSERT_EQ(j["points"].size(), 2u);
  const double one = j["points"][0]["failovers"]["front_lb"]["max_s"], two = j["points"][1]["failovers"]["front_lb"]["max_s"];
  EXPECT_GT(one, 3.0);
  EXPECT_LT(one, 4.0);  // 3 x 1 s + skew
  EXPECT_GT(two, one + 2.5);  // 3 x 2 s + skew
  std::vector<std::string> copies;
  for (const auto& e : std::filesystem::directory_iterator(d + "/cache/inputs"))
    if (e.path().filename().string().rfind("sweep-topology-", 0) == 0) copies.push_back(e.path().string());
  ASSERT_EQ(copies.size(), 2u);
  auto again = run_mailsim("run -q " + copies[0] + " examples/ci/mailsim/scenarios/front-vip-holder-crash.yaml --json " + d +
                           "/again.json");
  ASSERT_TRUE(again.code == 0 || again.code == 1) << again.out;
  const auto run = nlohmann::json::parse(slurp(d + "/again.json"));
  EXPECT_EQ(run["manifest"]["configs"][0]["path"], "../lb/keepalived-lb-1.conf");  // as the user wrote it
}

TEST(Sweep, MoreElectionTimeoutRandomnessGivesFewerSplitVotesAndShorterLeaderlessGaps) {
  // The Raft paper's Figure 16 trend (scenarios/db/raft-split-votes.yaml): over many seeds, a
  // wider random part of the election timeout gives fewer elections per failover and a
  // shorter gap; without randomness the followers' timers fire together and split the vote
  // for ever. The comparisons are between widths, not against measured numbers.
  std::string d = dir("sweep-split-votes");
  auto r = run_mailsim("sweep topologies/tutorial/raft-5.yaml scenarios/db/raft-split-votes.yaml --set "
                       "components.etcd.params.election_timeout_spread=0,0.00667,0.0333,0.1667,1 --reps 20 "
                       "--no-progress -j 2 --cache " + d + "/cache --json " + d + "/s.json");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("elections each"), std::string::npos) << r.out;
  auto j = nlohmann::json::parse(slurp(d + "/s.json"));
  ASSERT_EQ(j["points"].size(), 5u);
  auto etcd = [&](size_t i) { return j["points"][i]["failovers"]["etcd"]; };
  EXPECT_TRUE(etcd(0)["max_s"].is_null()) << etcd(0).dump();  // 150-150 ms: no leader within the run
  EXPECT_TRUE(etcd(0)["mean_s"].is_null()) << etcd(0).dump();
  for (size_t i = 1; i < 5; ++i) {
    ASSERT_TRUE(etcd(i)["mean_s"].is_number()) << i << ": " << etcd(i).dump();
    EXPECT_GE(etcd(i)["elections_mean"].get<double>(), 1.0) << etcd(i).dump();
    EXPECT_GE(etcd(i)["mean_s"].get<double>(), 0.150 - 0.030) << etcd(i).dump();  // nobody campaigns before T
    if (i > 1)  // fewer elections
      EXPECT_LT(etcd(i)["elections_mean"].get<double>(), etcd(i - 1)["elections_mean"].get<double>()) << i;
  }
  // A shorter mean gap up to 150-175 ms. Wider still, the first timer fires later on average
  // (T + width / 5 for 4 followers), so 150-300 ms is compared with 150-155 ms only.
  for (size_t i = 2; i < 4; ++i)
    EXPECT_LT(etcd(i)["mean_s"].get<double>(), etcd(i - 1)["mean_s"].get<double>()) << i;
  EXPECT_LT(etcd(4)["mean_s"].get<double>(), etcd(2)["mean_s"].get<double>());
  // The tail: 150-151 ms split the vote many times, and the longest gap shrinks up to
  // 150-175 ms (at 150-300 ms the first timer alone may take up to 2T).
  EXPECT_GT(etcd(1)["elections_mean"].get<double>(), 5.0) << etcd(1).dump();
  for (size_t i = 2; i < 4; ++i) {
    ASSERT_TRUE(etcd(i)["max_s"].is_number() && etcd(i - 1)["max_s"].is_number()) << etcd(i).dump();
    EXPECT_LT(etcd(i)["max_s"].get<double>(), etcd(i - 1)["max_s"].get<double>()) << i;
  }
  EXPECT_LT(etcd(4)["elections_mean"].get<double>(), 1.5) << etcd(4).dump();  // 150-300 ms: the first vote mostly wins
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

TEST(Reliability, QuorumGroupIsDownWithAMajorityLostNotOnlyWithEveryMember) {
  // Pairs are not measured and no single crash stops a 3-node CockroachDB: its cut sets
  // come from analyze's availability rule (a Raft majority), so any two nodes down stop
  // both services, not only all three.
  std::string d = dir("reliability-quorum");
  auto r = run_mailsim("reliability topologies/tutorial/crdb-3.yaml --rate 20 --pairs no --reps 20 --horizon 5y "
                       "--min-years 200 --max-years 200 --no-progress -j 2 --cache " + d + "/cache --json " + d + "/r.json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(slurp(d + "/r.json"));
  for (const auto& s : j["model"]["services"])
    EXPECT_EQ(s["cut_sets"], nlohmann::json::parse(R"([["crdb-1", "crdb-2"], ["crdb-1", "crdb-3"], ["crdb-2", "crdb-3"]])"))
        << s.dump();
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
  // No single crash is down, pairs are not measured: the cut sets are analyze's, both
  // balancers of the VIP pair and both mail nodes.
  for (const auto& s : j["model"]["services"])
    EXPECT_EQ(s["cut_sets"], nlohmann::json::parse(R"([["lb-1", "lb-2"], ["mail-1", "mail-2"]])")) << s.dump();
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(run_mailsim(common + " -q --shard " + std::to_string(i) + "/2 --json " + d + "/s" + std::to_string(i) + ".json").code, 0);
  ASSERT_EQ(run_mailsim("merge -q " + d + "/s0.json " + d + "/s1.json --json " + d + "/merged.json").code, 0);
  EXPECT_EQ(slurp(d + "/merged.json"), slurp(d + "/whole.json"));
}


// The cache key holds the build's identity: the same binary serves a repeated set from the
// cache; a changed binary (same version string, one byte more) recomputes every run.
TEST(RunCache, AChangedBuildNeverReadsTheResultsOfAnother) {
  std::string d = dir("build-id");
  std::filesystem::copy_file(MAILSIM_BINARY, d + "/mailsim-a");
  {
    std::ofstream b(d + "/mailsim-b", std::ios::binary);
    b << slurp(MAILSIM_BINARY) << '\n';  // trailing bytes: the ELF runs the same
  }
  std::filesystem::permissions(d + "/mailsim-b", std::filesystem::perms::owner_exec, std::filesystem::perm_options::add);
  auto sweep = [&](const std::string& binary) {
    std::string cmd = d + "/" + binary + " sweep " + kTopo + " tests/runset/inputs/imap-load.yaml --set " +
                      "load.imap.rate=20/s,40/s -j 2 --cache " + d + "/cache 2>&1";
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    EXPECT_EQ(pclose(p), 0) << out;
    return out;
  };
  auto count = [](const std::string& out, const std::string& word) {
    size_t k = 0;
    for (size_t at = out.find(word); at != std::string::npos; at = out.find(word, at + 1)) ++k;
    return k;
  };
  EXPECT_EQ(count(sweep("mailsim-a"), " cached"), 0u);
  EXPECT_EQ(count(sweep("mailsim-a"), " cached"), 2u);  // the same build: both from the cache
  std::string other = sweep("mailsim-b");
  EXPECT_EQ(count(other, " cached"), 0u) << other;  // another build: both recomputed
  EXPECT_EQ(count(other, " ok ("), 2u) << other;
}

// A set killed with SIGKILL resumes: the runs finished before the kill come from the cache,
// whole (no entry is named corrupt), the killed set wrote no output, the temporaries a
// killed writer leaves (planted here, as a kill mid-write would leave them) are removed,
// and the set completes.
TEST(RunCache, ASetKilledWithSigkillResumesFromItsCache) {
  std::string d = dir("sigkill");
  std::string args = " sweep " + kTopo + " tests/runset/inputs/imap-load.yaml --set " +
                     "load.imap.rate=1000/s,1100/s,1200/s,1300/s,1400/s,1500/s,1600/s,1700/s -j 1 --no-progress -q --cache " +
                     d + "/cache --json " + d + "/s.json";
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    execl("/bin/sh", "sh", "-c", (std::string(MAILSIM_BINARY) + args + " >/dev/null 2>&1").c_str(), nullptr);
    _exit(127);
  }
  auto files = [&](const std::string& infix) {
    size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(d))
      n += e.path().filename().string().find(infix) != std::string::npos ? 1 : 0;
    return n;
  };
  auto entries = [&] {
    size_t n = 0;
    if (std::filesystem::exists(d + "/cache/results"))
      for (const auto& e : std::filesystem::recursive_directory_iterator(d + "/cache/results"))
        n += e.path().extension() == ".json" ? 1 : 0;
    return n;
  };
  for (int i = 0; i < 3000 && entries() < 2; ++i) usleep(20000);
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  const size_t finished = entries();
  ASSERT_GE(finished, 2u) << "the set was killed before two runs finished";
  ASSERT_LT(finished, 8u) << "the set finished before it was killed";
  EXPECT_FALSE(std::filesystem::exists(d + "/s.json")) << "a killed set wrote its output";
  // What a kill between a temporary's creation and its rename leaves (the dead pid's files).
  const std::string dead = std::to_string(pid);
  std::filesystem::create_directories(d + "/cache/results/ab");
  std::ofstream(d + "/cache/results/ab/.ab01.json.tmp." + dead) << "mailsim-cache/1 ab01";
  std::ofstream(d + "/.s.json.tmp." + dead) << "{\"points\": [";
  auto r = run_mailsim(args.substr(1));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out.find("corrupt"), std::string::npos) << r.out;
  EXPECT_EQ(files(".tmp."), 0u) << "a stale temporary is left";
  EXPECT_EQ(nlohmann::json::parse(slurp(d + "/s.json"))["points"].size(), 8u);
  EXPECT_EQ(entries(), 8u);
  auto again = run_mailsim(args.substr(1) + " --no-progress");
  EXPECT_EQ(again.code, 0);
}

// A child run that hangs is killed at --time-limit and reported with the command that
// reproduces it; the other runs of the set complete and are in the result (exit 3).
TEST(Sweep, AHangingRunIsReportedWithItsCommandAndTheRestCompletes) {
  std::string d = dir("hang");
  // --run-overloaded: this test is about the wall-clock limit, not the overload stop.
  auto r = run_mailsim("sweep " + kTopo + " tests/runset/inputs/imap-load.yaml --set load.imap.rate=20/s,500000/s,40/s" +
                       " -j 2 --time-limit 3 --run-overloaded --no-cache --no-progress --json " + d + "/s.json");
  EXPECT_EQ(r.code, 3) << r.out;
  EXPECT_NE(r.out.find("exceeded its time limit and was killed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reproduce with: mailsim run"), std::string::npos) << r.out;
  auto j = nlohmann::json::parse(slurp(d + "/s.json"));
  size_t ok = 0;
  for (const auto& p : j["points"]) ok += p.contains("errors") ? 0 : 1;
  EXPECT_EQ(ok, 2u) << j.dump(1).substr(0, 2000);
}

}  // namespace
