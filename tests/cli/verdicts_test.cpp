// Honest verdicts (issue 16): for each seed cluster, the worst single-node crash compare
// names is the one with the largest lost availability, checked against explore's runs of
// the same crashes (`explore --faults 1` under compare's generated load), and compare's
// document says how to reproduce each run.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/common/run_binary.hpp"

namespace {

using mailsim::testing::run_mailsim;
using mailsim::testing::slurp;
using nlohmann::json;

class SeedCluster : public ::testing::TestWithParam<const char*> {};

TEST_P(SeedCluster, CompareNamesTheCrashWithTheLargestLostAvailability) {
  const std::string name = GetParam();
  const std::string dir = "out/test-verdicts-" + name;
  std::filesystem::create_directories(dir);
  const std::string topo = "topologies/" + name + ".yaml";
  // compare's defaults: every service at 20/s for 90 s, crashes at 20.5 s.
  auto c = run_mailsim("compare " + topo + " --json " + dir + "/compare.json --cache " + dir + "/cache -q");
  ASSERT_EQ(c.code, 0) << c.out;
  const json cmp = json::parse(slurp(dir + "/compare.json"));
  const json& services = cmp["topologies"][0]["services"];

  // The same load as explore's base scenario (named as compare names its runs, so the
  // generated crash scenarios are the same text and explore reuses compare's cached runs).
  std::ofstream base(dir + "/base.yaml");
  base << "name: compare\nduration: 90s\nseed: 1\nclient: {timeout: 10s}\nload:\n";
  for (const auto& s : services) base << "  - {service: " << s["name"].get<std::string>() << ", rate: 20/s}\n";
  base.close();
  auto e = run_mailsim("explore " + topo + " --faults 1 --scenario " + dir + "/base.yaml --at 20.5 --json " + dir +
                       "/explore.json --cache " + dir + "/cache -q");
  ASSERT_EQ(e.code, 0) << e.out;
  const json exp = json::parse(slurp(dir + "/explore.json"));

  for (const auto& s : services) {
    const std::string svc = s["name"];
    const json& worst = s["worst_crash"];
    ASSERT_TRUE(worst.is_object()) << svc;
    // The lowest availability over explore's single-node crash runs (run 0 is the baseline).
    double lowest = 2;
    std::vector<std::string> lowest_nodes;
    for (const auto& r : exp["runs"]) {
      if (r["nodes"].empty() || !r["services"].contains(svc)) continue;
      const double a = r["services"][svc]["availability"].get<double>();
      if (a < lowest) lowest_nodes.clear();
      if (a <= lowest) {
        lowest = a;
        lowest_nodes.push_back(r["nodes"][0]);
      }
    }
    EXPECT_DOUBLE_EQ(worst["availability"].get<double>(), lowest) << name << " " << svc;
    EXPECT_NE(std::find(lowest_nodes.begin(), lowest_nodes.end(), worst["node"].get<std::string>()), lowest_nodes.end())
        << name << " " << svc << ": compare names " << worst["node"];
    EXPECT_EQ(exp["ranking"][svc][0]["nodes"][0], worst["node"]) << name << " " << svc << ": explore ranks first";
    // The run can be reproduced: `mailsim run TOPOLOGY SCENARIO --seed N`.
    EXPECT_EQ(worst["command"].get<std::string>().rfind("mailsim run " + topo + " ", 0), 0u) << worst["command"];
  }
  // No absolute path of this machine in the document.
  EXPECT_EQ(slurp(dir + "/compare.json").find("\"/"), std::string::npos);
}

// docs/README.md is the index a reader starts from: it links every page of docs/ and
// every model's page.
TEST(DocsIndex, ListsEveryPageAndEveryModel) {
  const std::string index = slurp("docs/README.md");
  size_t pages = 0;
  for (const char* dir : {"docs", "docs/models", "docs/schema"})
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (!e.is_regular_file() || e.path().filename() == "README.md") continue;
      const std::string rel = std::filesystem::relative(e.path(), "docs").string();
      EXPECT_NE(index.find("](" + rel + ")"), std::string::npos) << rel << " is not linked from docs/README.md";
      ++pages;
    }
  EXPECT_GT(pages, 0u);
  auto d = run_mailsim("describe");
  ASSERT_EQ(d.code, 0) << d.out;
  size_t models = 0;
  for (const auto& e : std::filesystem::directory_iterator("docs/models")) {
    const std::string name = e.path().stem().string();
    EXPECT_NE(d.out.find(name), std::string::npos) << name << ": a page for a model describe does not list";
    ++models;
  }
  EXPECT_GT(models, 0u);
}

INSTANTIATE_TEST_SUITE_P(Issue16, SeedCluster,
                         ::testing::Values("rupost-13", "tegu-13", "vk-workspace-8", "deepmail-11", "tegu-cockroach"),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

}  // namespace
