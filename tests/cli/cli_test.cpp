// The mailsim binary as a user runs it: exit codes, one-line errors with file:line:col,
// nothing written on bad input, byte-identical results for the same seed.
#include <gtest/gtest.h>

#include "tests/common/run_binary.hpp"
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using mailsim::testing::run_mailsim;
using mailsim::testing::slurp;

const std::string kTopo = "topologies/tutorial/lb-pair.yaml";
const std::string kInputs = "tests/cli/inputs/";

}  // namespace

TEST(Cli, ValidateAcceptsTheTutorialFiles) {
  auto r = run_mailsim("validate " + kTopo + " scenarios/tutorial/lb-master-crash.yaml --topology " + kTopo);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("ok (topology lb-pair"), std::string::npos);
}

TEST(Cli, UnknownModelIsBadInputWithPosition) {
  auto r = run_mailsim("validate " + kInputs + "bad-unknown-model.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, kInputs + "bad-unknown-model.yaml:6:22: unknown model 'mail_nodes' (did you mean 'mail_node'?)\n");
}

TEST(Cli, UnknownParamPointsAtTheKey) {
  auto r = run_mailsim("validate " + kInputs + "bad-param.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out.rfind(kInputs + "bad-param.yaml:10:26: unknown key 'advert_intt'", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("did you mean 'advert_int'?"), std::string::npos);
}

TEST(Cli, ScenarioServiceMustExistInTopology) {
  std::string out = "out/test-cli-bad.json";
  std::filesystem::remove(out);
  auto r = run_mailsim("run " + kTopo + " " + kInputs + "bad-scenario-service.yaml --json " + out);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, kInputs + "bad-scenario-service.yaml:5:15: service 'smtpp' is not in topology 'lb-pair' (did you mean 'smtp'?)\n");
  EXPECT_FALSE(std::filesystem::exists(out));  // nothing half-written
}

TEST(Cli, MissingFileIsBadInput) {
  auto r = run_mailsim("run no/such/topology.yaml scenarios/tutorial/lb-master-crash.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "no/such/topology.yaml:1:1: cannot read this file: No such file or directory\n");
}

TEST(Cli, UnknownFlagAndUnknownModelToDescribeAreBadInput) {
  EXPECT_EQ(run_mailsim("run --frobnicate").code, 2);
  auto r = run_mailsim("describe vip_balancr");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("did you mean 'vip_balancer'?"), std::string::npos);
}

TEST(Cli, DescribeListsParamsWithSources) {
  auto r = run_mailsim("describe vip_balancer");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("advert_int"), std::string::npos);
  EXPECT_NE(r.out.find("RFC 3768"), std::string::npos);
}

TEST(Cli, RunWritesJsonAndSameSeedIsByteIdentical) {
  std::string a = "out/test-cli-a.json", b = "out/test-cli-b.json";
  auto ra = run_mailsim("run " + kTopo + " scenarios/tutorial/lb-graceful-stop.yaml --seed 3 -q --json " + a);
  auto rb = run_mailsim("run " + kTopo + " scenarios/tutorial/lb-graceful-stop.yaml --seed 3 -q --json " + b);
  ASSERT_EQ(ra.code, 0) << ra.out;
  ASSERT_EQ(rb.code, 0) << rb.out;
  std::string ja = slurp(a);
  EXPECT_NE(ja.find("\"schema\": \"mailsim.run/1\""), std::string::npos);
  EXPECT_EQ(ja, slurp(b));
}

// ---- expectations, mailsim check, reports (docs/reports.md) ------------------------------

TEST(Cli, RunExitsOneWhenAnExpectationFailsAndStillWritesItsReports) {
  std::string dir = "out/test-cli-expect/";
  std::filesystem::remove_all(dir);
  auto r = run_mailsim("run " + kTopo + " " + kInputs + "expect-short.yaml --json " + dir + "r.json --html " + dir +
                   "r.html --csv " + dir + "r.csv");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("expectations: 3 of 4 passed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAIL p99(imap) < 800ms"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PASS failover_time(front_lb) <= 10s"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\033'), std::string::npos);  // not a terminal: no colours
  auto run = nlohmann::json::parse(slurp(dir + "r.json"));
  ASSERT_EQ(run.at("expectations").size(), 4u);
  EXPECT_FALSE(run.at("expectations").at(2).at("pass").get<bool>());
  EXPECT_GT(run.at("expectations").at(2).at("measured").get<double>(), 0.8);
  EXPECT_NE(slurp(dir + "r.html").find("<svg"), std::string::npos);
  EXPECT_EQ(slurp(dir + "r.csv").rfind("service,window_start_s,", 0), 0u);
  // --quiet still names the failure.
  auto q = run_mailsim("run " + kTopo + " " + kInputs + "expect-short.yaml -q");
  EXPECT_EQ(q.code, 1);
  EXPECT_NE(q.out.find("FAIL p99(imap) < 800ms  measured "), std::string::npos) << q.out;
}

TEST(Cli, MalformedExpectationIsBadInputAtTheCharacter) {
  auto r = run_mailsim("run " + kTopo + " " + kInputs + "bad-expect.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, kInputs + "bad-expect.yaml:8:18: '800' is not a duration: a unit is required (us, ms, s, m, h, d)\n");
  auto s = run_mailsim("check " + kTopo + " " + kInputs + "bad-expect-service.yaml");
  EXPECT_EQ(s.code, 2);
  EXPECT_EQ(s.out, kInputs + "bad-expect-service.yaml:7:18: service 'smtpp' is not in topology 'lb-pair' (did you mean 'smtp'?)\n");
  auto v = run_mailsim("validate " + kInputs + "bad-expect-service.yaml --topology " + kTopo);
  EXPECT_EQ(v.code, 2) << v.out;
}

TEST(Cli, CheckWritesJunitAndMarkdownAndExitsOneOnFailure) {
  std::string dir = "out/test-cli-check/";
  std::filesystem::remove_all(dir);
  auto r = run_mailsim("check --suite " + kInputs + "suite.yaml --junit " + dir + "junit.xml --markdown " + dir +
                   "check.md --out " + dir + "runs");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("PASS  lb-pair/expect-pass  3/3 expectations passed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("FAIL  lb-pair/expect-short  3/4 expectations passed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[2/2] running lb-pair/expect-short (seed 7)"), std::string::npos) << r.out;
  std::string cmd = "mailsim run topologies/tutorial/lb-pair.yaml tests/cli/inputs/expect-short.yaml --seed 7";
  EXPECT_NE(r.out.find("reproduce with: " + cmd), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("failed: 1 of 2 runs passed"), std::string::npos) << r.out;
  std::string junit = slurp(dir + "junit.xml");
  EXPECT_NE(junit.find("<testsuites name=\"mailsim check\" tests=\"7\" failures=\"1\" errors=\"0\">"), std::string::npos) << junit;
  EXPECT_NE(junit.find("reproduce with: " + cmd + "</failure>"), std::string::npos) << junit;
  std::string md = slurp(dir + "check.md");
  EXPECT_NE(md.find("1 of 2 runs failed (1 of 7 expectations failed)"), std::string::npos) << md;
  EXPECT_TRUE(std::filesystem::exists(dir + "runs/lb-pair__expect-pass.json"));
  // The reproduction command reproduces the run: same result, same verdicts.
  auto again = run_mailsim(cmd.substr(std::string("mailsim ").size()) + " -q --json " + dir + "again.json");
  EXPECT_EQ(again.code, 1);
  EXPECT_EQ(slurp(dir + "again.json"), slurp(dir + "runs/lb-pair__expect-short.json"));
}

TEST(Cli, CheckPassesAndRejectsBadSuites) {
  auto r = run_mailsim("check " + kTopo + " " + kInputs + "expect-pass.yaml");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("ok: 1 of 1 runs passed"), std::string::npos) << r.out;
  std::string junit = "out/test-cli-bad-suite.xml";
  std::filesystem::remove(junit);
  auto b = run_mailsim("check --suite " + kInputs + "bad-suite.yaml --junit " + junit);
  EXPECT_EQ(b.code, 2);
  EXPECT_EQ(b.out.rfind(kInputs + "bad-suite.yaml:3:5: unknown key 'scenaria' in a suite run", 0), 0u) << b.out;
  EXPECT_FALSE(std::filesystem::exists(junit));
  EXPECT_EQ(run_mailsim("check " + kTopo).code, 2);
  EXPECT_EQ(run_mailsim("check").code, 2);
}

TEST(Cli, BaselineFlagsRegressions) {
  std::string dir = "out/test-cli-baseline/";
  std::filesystem::remove_all(dir);
  std::string run = "run " + kTopo + " " + kInputs + "expect-pass.yaml -q ";
  ASSERT_EQ(run_mailsim(run + "--json " + dir + "old.json").code, 0);
  auto same = run_mailsim(run + "--baseline " + dir + "old.json");
  EXPECT_EQ(same.code, 0) << same.out;
  // A baseline that was better: p99 half of today's, no failed smtp request.
  auto old = nlohmann::json::parse(slurp(dir + "old.json"));
  double p99 = old["services"]["imap"]["latency_ms"]["p99"].get<double>();
  old["services"]["imap"]["latency_ms"]["p99"] = p99 / 2;
  std::ofstream(dir + "better.json") << old.dump();
  auto worse = run_mailsim(run + "--baseline " + dir + "better.json");
  EXPECT_EQ(worse.code, 1) << worse.out;
  EXPECT_NE(worse.out.find("regressions against " + dir + "better.json:"), std::string::npos) << worse.out;
  EXPECT_NE(worse.out.find("p99(imap)"), std::string::npos) << worse.out;
  EXPECT_EQ(run_mailsim(run + "--baseline " + dir + "better.json --tolerance p99=150%").code, 0);
  EXPECT_EQ(run_mailsim(run + "--baseline " + dir + "better.json --tolerance p99=fast").code, 2);
  EXPECT_EQ(run_mailsim(run + "--baseline no/such.json").code, 2);
}

// The library scenarios target roles every seed cluster has (front_lb.vip_holder,
// pg.primary) or roles by model ({model: etcd, role: leader}, skipped where the model is
// absent), so each runs on each cluster, and their expectations must hold. One case per
// cluster, so that ctest runs them in parallel.
class ScenarioLibrary : public ::testing::TestWithParam<const char*> {};

TEST_P(ScenarioLibrary, PassesOnSeedTopology) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator("scenarios/library"))
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 10u);
  std::string args;
  for (const auto& f : files) args += " " + f;
  auto r = run_mailsim(std::string("check -q topologies/") + GetParam() + ".yaml" + args);
  EXPECT_EQ(r.code, 0) << GetParam() << ": " << r.out;
}

INSTANTIATE_TEST_SUITE_P(Seeds, ScenarioLibrary, ::testing::Values("rupost-13", "tegu-13", "vk-workspace-8", "deepmail-11"));

// Topology-specific: losing VK's deployer touches no mail service (the article).
TEST(Cli, VkDeployerLossIsHarmless) {
  auto r = run_mailsim("check -q topologies/vk-workspace-8.yaml scenarios/seeds/vk-deployer-loss.yaml");
  EXPECT_EQ(r.code, 0) << r.out;
}

// A `model:` target on a topology without that model is skipped, and the timeline says so.
TEST(Cli, ModelTargetWithoutSuchComponentIsSkipped) {
  const std::string out = (std::filesystem::temp_directory_path() / "mailsim-model-target.json").string();
  auto r = run_mailsim("run --json " + out + " topologies/tegu-13.yaml scenarios/library/mail-store-node-loss.yaml");
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string json = slurp(out);
  EXPECT_NE(json.find("no component of model nfs"), std::string::npos);
  EXPECT_NE(json.find("no component of model storage_triple"), std::string::npos);
  std::filesystem::remove(out);
}

// CockroachDB: tegu-cockroach (topologies/) validates and runs the scenarios that apply to
// it (it has no PostgreSQL, so the library's pg.primary crash does not), and the tutorial
// cluster meets the node-loss scenario's expectations.
TEST(Cli, TeguCockroachValidatesAndRunsItsScenarios) {
  auto v = run_mailsim("validate topologies/tegu-cockroach.yaml");
  EXPECT_EQ(v.code, 0) << v.out;
  auto smoke = run_mailsim("check -q topologies/tegu-cockroach.yaml scenarios/seeds/smoke.yaml "
                           "scenarios/library/front-vip-holder-crash.yaml scenarios/library/load-spike-3x.yaml");
  EXPECT_EQ(smoke.code, 0) << smoke.out;
  auto loss = run_mailsim("check -q topologies/tutorial/crdb-3.yaml scenarios/db/crdb-node-loss.yaml");
  EXPECT_EQ(loss.code, 0) << loss.out;
}

// Bad cockroachdb params: one line `file:line:col: message`, exit code 2. The cases are the
// topology_crdb_*.yaml files of tests/config/malformed_models (model_validation_test checks
// the same messages through the library); each starts with `# expect: LINE:COL: MESSAGE`.
TEST(Cli, CockroachdbBadParamsPointAtTheValue) {
  const std::string dir = "tests/config/malformed_models/";
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("topology_crdb_", 0) != 0) continue;
    const std::string path = dir + name;
    std::string text = slurp(path);
    const std::string tag = "# expect: ";
    ASSERT_EQ(text.rfind(tag, 0), 0u) << path;
    const std::string expect = path + ":" + text.substr(tag.size(), text.find('\n') - tag.size()) + "\n";
    auto r = run_mailsim("validate " + path);
    EXPECT_EQ(r.code, 2) << path << ": " << r.out;
    EXPECT_EQ(r.out, expect) << path;
    ++files;
  }
  EXPECT_GE(files, 3);
}

// Run bounds (docs/formats.md#domains): a run whose estimate exceeds --max-requests is
// refused before it starts; --time-limit stops a run cleanly with a partial result, exit 1.
TEST(RunBounds, MaxRequestsBelowTheEstimateIsRefusedBeforeTheRun) {
  // backend-crash: 600 requests/s for 90 s, about 54,000 requests.
  auto r = run_mailsim("run " + kTopo + " scenarios/tutorial/backend-crash.yaml --max-requests 1000");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("scenarios/tutorial/backend-crash.yaml:1:1: scenario 'backend-crash' would simulate about "
                       "5.4e+04 client requests, more than --max-requests 1000"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("requests simulated"), std::string::npos) << "refused before the run";
}

TEST(RunBounds, TimeLimitStopsTheRunWithAPartialResult) {
  std::filesystem::create_directories("out/test-cli");
  const std::string json = "out/test-cli/partial-" + std::to_string(getpid()) + ".json";
  auto r = run_mailsim("run " + kTopo + " scenarios/tutorial/backend-crash.yaml -q --time-limit 0.001 --json " + json);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("run stopped early: --time-limit 0.001 s of wall time reached"), std::string::npos) << r.out;
  auto j = nlohmann::json::parse(slurp(json));
  ASSERT_TRUE(j.contains("partial")) << j.dump().substr(0, 300);
  EXPECT_LT(j["partial"]["end_s"].get<double>(), 90.0);
  EXPECT_NE(j["partial"]["reason"].get<std::string>().find("--time-limit"), std::string::npos);
  std::filesystem::remove(json);
}

TEST(RunBounds, MaxRequestsStopsARunThatReachesIt) {
  std::filesystem::create_directories("out/test-cli");
  const std::string json = "out/test-cli/max-" + std::to_string(getpid()) + ".json";
  // The estimate (54,000) is under the bound, so the run starts; 54,000 are reached near the end.
  auto r = run_mailsim("run " + kTopo + " scenarios/tutorial/backend-crash.yaml -q --max-requests 54000 --json " + json);
  ASSERT_EQ(r.code, 1) << r.out;
  auto j = nlohmann::json::parse(slurp(json));
  ASSERT_TRUE(j.contains("partial"));
  EXPECT_NE(j["partial"]["reason"].get<std::string>().find("--max-requests 54000 reached"), std::string::npos);
  std::filesystem::remove(json);
}

// A valid but very long scenario gets a warning with its estimate (validate and run).
TEST(RunBounds, VeryLongRunsAreWarnedAbout) {
  auto r = run_mailsim("validate tests/robust/corpus/scen-ten-years-1rps.yaml");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("warning: scenario 'short' simulates about 3.15e+08 client requests"), std::string::npos)
      << r.out;
  EXPECT_EQ(run_mailsim("validate scenarios/tutorial/backend-crash.yaml").out.find("warning"), std::string::npos);
}

// Every output path is checked before the simulation: a folder, or a path under a file,
// is exit 2 naming the path, without running.
TEST(RunBounds, UnwritableOutputsAreRefusedBeforeTheRun) {
  auto r = run_mailsim("run " + kTopo + " scenarios/tutorial/backend-crash.yaml --json tests/cli");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("tests/cli"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("requests simulated"), std::string::npos) << r.out;
  auto h = run_mailsim("run " + kTopo + " scenarios/tutorial/backend-crash.yaml --html " + kTopo + "/r.html");
  EXPECT_EQ(h.code, 2) << h.out;
  EXPECT_EQ(h.out.find("requests simulated"), std::string::npos) << h.out;
}

// Lost mail has one source, the durability ledger: the terminal summary, the HTML page,
// check's Markdown and the run JSON show the same counts for runs that lose mail by their
// stores' mechanisms (RuPost's rsync backlog, VK's pair on two lost nodes). One case per
// cluster.
class LostMailAgreement : public ::testing::TestWithParam<const char*> {};

TEST_P(LostMailAgreement, TerminalHtmlMarkdownAndJsonShowTheLedgersCounts) {
  const auto dir = std::filesystem::temp_directory_path() / (std::string("mailsim-lost-") + GetParam());
  std::filesystem::create_directories(dir);
  const std::string json = (dir / "run.json").string(), html = (dir / "run.html").string(),
                    md = (dir / "check.md").string();
  const std::string inputs = std::string("topologies/") + GetParam() + ".yaml scenarios/library/mail-store-lost-for-good.yaml";
  auto run = run_mailsim("run " + inputs + " --json " + json + " --html " + html);
  ASSERT_EQ(run.code, 0) << run.out;
  auto check = run_mailsim("check -q " + inputs + " --markdown " + md);
  ASSERT_EQ(check.code, 0) << check.out;
  const auto r = nlohmann::json::parse(slurp(json));
  const uint64_t lost = r["lost_acknowledged_messages"].get<uint64_t>();
  ASSERT_GT(lost, 0u);
  EXPECT_EQ(r["services"]["smtp"]["lost_acknowledged_messages"].get<uint64_t>(), lost);
  // The one store that lost it, in the ledger.
  std::string store;
  for (const auto& [name, d] : r["durability"].items())
    if (d["lost"].get<uint64_t>() > 0) {
      EXPECT_TRUE(store.empty()) << name;
      store = name;
      EXPECT_EQ(d["lost"].get<uint64_t>(), lost);
    }
  // Terminal: the smtp mail line and the store's durability line.
  EXPECT_NE(run.out.find(std::to_string(lost) + " acknowledged lost"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("acknowledged, " + std::to_string(lost) + " lost"), std::string::npos) << run.out;
  // HTML: the Mail table's lost cell and the Durability table's, both red.
  const std::string page = slurp(html);
  const std::string cell = "<td class=\"n fail\">" + std::to_string(lost) + "</td>";
  const size_t mail = page.find("<h2 id=\"mail\">"), durability = page.find("<h2 id=\"durability\">");
  ASSERT_NE(durability, std::string::npos);
  EXPECT_NE(page.find(cell, mail), std::string::npos);
  EXPECT_NE(page.find(cell, durability), std::string::npos);
  // check --markdown: the run's lost-mail column.
  EXPECT_NE(slurp(md).find("| " + std::to_string(lost) + ", smtp " + std::to_string(lost) + " |"), std::string::npos) << slurp(md);
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Seeds, LostMailAgreement, ::testing::Values("rupost-13", "vk-workspace-8"));

// compare --vary: one topology compared under several values of one of its settings, as
// named variants. RuPost's rsync interval decides how much acknowledged mail dies with the
// master (docs/models/nfs.md): a longer interval loses more, and each variant's row is what
// `run` of its generated copy reports.
TEST(CompareVary, EachValueIsAVariantAndItsRowIsItsRun) {
  const auto dir = std::filesystem::temp_directory_path() / ("mailsim-vary-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string scenario = "scenarios/library/mail-store-lost-for-good.yaml";
  const std::string json = (dir / "c.json").string();
  auto cmp = run_mailsim("compare topologies/rupost-13.yaml --vary components.maildir.params.replica_sync_interval=10s,120s"
                         " --scenario " + scenario + " --cache " + (dir / "cache").string() + " -q --json " + json);
  ASSERT_EQ(cmp.code, 0) << cmp.out;
  const auto c = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(c["topologies"].size(), 2u);
  EXPECT_NE(c["command"].get<std::string>().find("--vary components.maildir.params.replica_sync_interval=10s,120s"),
            std::string::npos);
  std::vector<uint64_t> lost;
  for (const auto& t : c["topologies"]) {
    EXPECT_EQ(t["file"], "topologies/rupost-13.yaml");
    const std::string value = t["variant"]["values"]["components.maildir.params.replica_sync_interval"];
    EXPECT_EQ(t["topology"], "rupost-13 [replica_sync_interval=" + value + "]");
    uint64_t shown = 0;
    for (const auto& s : t["services"])
      if (s["name"] == "smtp") shown = s["scenarios_lost_mail"]["mail-store-lost-for-good"].get<uint64_t>();
    const std::string rjson = (dir / (value + ".json")).string();
    auto run = run_mailsim("run " + t["variant"]["file"].get<std::string>() + " " + scenario + " -q --json " + rjson);
    ASSERT_EQ(run.code, 0) << run.out;
    EXPECT_EQ(nlohmann::json::parse(slurp(rjson))["lost_acknowledged_messages"].get<uint64_t>(), shown) << value;
    lost.push_back(shown);
  }
  EXPECT_LT(lost[0], lost[1]) << "a 10 s rsync interval loses less than a 120 s one";
  std::filesystem::remove_all(dir);
}

// --vary changes topologies only, and a path or value the topology refuses is exit 2
// before anything runs, with the position in the generated copy.
TEST(CompareVary, BadPathsAndValuesAreRefusedBeforeAnyRun) {
  auto scen = run_mailsim("compare topologies/rupost-13.yaml -q --vary scenario.duration=10s");
  EXPECT_EQ(scen.code, 2) << scen.out;
  EXPECT_NE(scen.out.find("--vary: 'duration' is a scenario path"), std::string::npos) << scen.out;
  auto missing = run_mailsim("compare topologies/rupost-13.yaml -q --vary components.nosuch.params.x=1");
  EXPECT_EQ(missing.code, 2) << missing.out;
  EXPECT_NE(missing.out.find("no entry of components has name or service 'nosuch'"), std::string::npos) << missing.out;
  auto value = run_mailsim("compare topologies/rupost-13.yaml -q --vary components.maildir.params.replica_sync_interval=0s");
  EXPECT_EQ(value.code, 2) << value.out;
  EXPECT_TRUE(std::regex_search(value.out, std::regex(R"(compare-topology-[0-9a-f]+\.yaml:[0-9]+:[0-9]+: nfs param )"
                                                           R"('replica_sync_interval' is 0s; it must be 1s to 1d)")))
      << value.out;
}

// compare shows the same ledger counts: its JSON, its terminal and Markdown scenario table and
// its HTML scenario table give, for each topology, the lost mail that `run` of the same scenario
// reports. One compare over both clusters, with its own cache so no earlier result is reused.
TEST(LostMailAgreement, CompareShowsTheRunsCountsInEveryFormat) {
  const auto dir = std::filesystem::temp_directory_path() / ("mailsim-lost-compare-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string scenario = "scenarios/library/mail-store-lost-for-good.yaml";
  const std::vector<std::string> seeds = {"rupost-13", "vk-workspace-8"};
  std::string topologies;
  for (const auto& s : seeds) topologies += " topologies/" + s + ".yaml";
  const std::string json = (dir / "c.json").string(), md = (dir / "c.md").string(), html = (dir / "c.html").string();
  auto cmp = run_mailsim("compare" + topologies + " --scenario " + scenario + " --cache " + (dir / "cache").string() +
                         " --no-progress --json " + json + " --markdown " + md + " --html " + html);
  ASSERT_EQ(cmp.code, 0) << cmp.out;
  const auto c = nlohmann::json::parse(slurp(json));
  const std::string page = slurp(html), table = slurp(md);
  const size_t scenarios = page.find("<h2 id=\"scenarios\">");
  ASSERT_NE(scenarios, std::string::npos);
  for (const auto& seed : seeds) {
    const std::string rjson = (dir / (seed + ".json")).string();
    auto run = run_mailsim("run topologies/" + seed + ".yaml " + scenario + " -q --json " + rjson);
    ASSERT_EQ(run.code, 0) << run.out;
    const uint64_t lost = nlohmann::json::parse(slurp(rjson))["lost_acknowledged_messages"].get<uint64_t>();
    ASSERT_GT(lost, 0u) << seed;
    bool found = false;
    for (const auto& t : c["topologies"])
      if (t["file"] == "topologies/" + seed + ".yaml")
        for (const auto& s : t["services"])
          if (s["name"] == "smtp") {
            found = true;
            EXPECT_EQ(s["scenarios_lost_mail"]["mail-store-lost-for-good"].get<uint64_t>(), lost) << seed;
            EXPECT_GE(s["lost_mail"]["count"].get<uint64_t>(), lost) << seed << ": the most any run lost";
          }
    EXPECT_TRUE(found) << seed;
    const std::string cell = "100.000%, " + std::to_string(lost) + " mail lost";
    // The terminal's scenario table pads columns: the row is "seed  smtp  cell".
    bool row = false;
    std::istringstream lines(cmp.out);
    for (std::string line; std::getline(lines, line);)
      row = row || (line.rfind(seed + " ", 0) == 0 && line.find(" smtp ") != std::string::npos &&
                    line.size() >= cell.size() && line.compare(line.size() - cell.size(), cell.size(), cell) == 0);
    EXPECT_TRUE(row) << seed << ": " << cmp.out;
    EXPECT_NE(table.find("| " + seed + " | smtp | " + cell + " |"), std::string::npos) << table;
    EXPECT_NE(page.find("<tr><td>" + seed + "</td><td>smtp</td><td class=\"fail\">" + cell + "</td></tr>", scenarios),
              std::string::npos);
  }
  std::filesystem::remove_all(dir);
}
