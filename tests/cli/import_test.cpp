// `mailsim import DIR -o FILE` (docs/import.md, "A topology from the files") on the
// infrastructure repository of examples/ci: the skeleton points at the files with relative
// paths, validates, and fails over as the hand-written topology does for the params the
// files give (the VIP's takeover, haproxy's marking a crashed server DOWN). A malformed
// file is exit 2 at its file:line:col, and nothing is written.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/common/example_copy.hpp"
#include "tests/common/run_binary.hpp"

namespace fs = std::filesystem;
using mailsim::testing::run_mailsim;
using mailsim::testing::slurp;
using nlohmann::json;

namespace {

struct Repo : mailsim::testing::ExampleCopy {
  explicit Repo(const std::string& name) : ExampleCopy("examples/ci", "mailsim-import", name) {}
};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) text.replace(at, from.size(), to);
  return text;
}

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

json run(const std::string& topology, const std::string& scenario, const std::string& out) {
  auto r = run_mailsim("run -q " + topology + " " + scenario + " --json " + out);
  EXPECT_TRUE(r.code == 0 || r.code == 1) << r.out;
  return json::parse(slurp(out));
}

// The events of one component, without its name.
json events_of(const json& result, const std::string& component) {
  json out = json::array();
  for (auto e : result["events"])
    if (e.value("component", "") == component) {
      e.erase("component");
      out.push_back(e);
    }
  return out;
}

}  // namespace

TEST(Import, TheSkeletonOfTheCiRepositoryValidatesAndFailsOverAsTheHandWrittenTopology) {
  Repo repo("ok");
  const std::string skeleton = repo.path("mailsim/imported.yaml");
  auto r = run_mailsim("import " + repo.path("") + " -o " + skeleton);
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string text = slurp(skeleton);
  // The files, relative to the skeleton's folder; the guesses marked as such.
  EXPECT_TRUE(has(text, "keepalived: {lb-1: ../lb/keepalived-lb-1.conf, lb-2: ../lb/keepalived-lb-2.conf}")) << text;
  EXPECT_TRUE(has(text, "haproxy: ../lb/haproxy.cfg")) << text;
  EXPECT_TRUE(has(text, "postfix: ../rupost/main.cf")) << text;
  EXPECT_TRUE(has(text, "network:")) << text;
  EXPECT_TRUE(has(text, "{name: rupost-1, cores: 8, speed: 2Gf}")) << text;
  EXPECT_TRUE(has(text, "# assumption:")) << text;
  EXPECT_TRUE(has(r.out, "ci/github-actions.yml: not read")) << r.out;
  auto v = run_mailsim("validate " + skeleton);
  EXPECT_EQ(v.code, 0) << v.out;

  // The VIP holder crashes: the same takeover as the hand-written topology's.
  const std::string vip_scenario = repo.path("mailsim/scenarios/front-vip-holder-crash.yaml");
  repo.write("mailsim/scenarios/lb-vip-holder-crash.yaml",
             replace_all(slurp(vip_scenario), "front_lb", "lb"));
  const json hand = run(repo.path("mailsim/rupost-13.yaml"), vip_scenario, repo.path("out/hand-vip.json"));
  const json imported =
      run(skeleton, repo.path("mailsim/scenarios/lb-vip-holder-crash.yaml"), repo.path("out/imported-vip.json"));
  ASSERT_EQ(hand["failovers"].size(), 1u);
  ASSERT_EQ(imported["failovers"].size(), 1u);
  for (const char* key : {"cause", "from", "to"}) EXPECT_EQ(hand["failovers"][0][key], imported["failovers"][0][key]) << key;
  // Links are shared: the skeleton's guessed services put other bytes on the backbone than
  // the hand-written topology's, which moves the VRRP adverts by nanoseconds.
  for (const char* key : {"start_s", "duration_s"})
    EXPECT_NEAR(hand["failovers"][0][key].get<double>(), imported["failovers"][0][key].get<double>(), 1e-6) << key;
  // Every param the balancer's files set is the hand-written topology's.
  int compared = 0;
  for (const auto& c : imported["manifest"]["configs"])
    if (c["component"] == "lb")
      for (const auto& p : c["params"]) {
        const std::string param = p["param"];
        EXPECT_EQ(imported["manifest"]["params"]["lb"][param], hand["manifest"]["params"]["front_lb"][param]) << param;
        ++compared;
      }
  EXPECT_GE(compared, 8);

  // A mail node crashes: haproxy marks it DOWN and UP again at the same instants. (The
  // balancers named as the hand-written topology names them: each node's check phase is
  // drawn from a random stream named after its component.)
  std::string renamed = replace_all(text, "name: lb\n", "name: front_lb\n");
  renamed = replace_all(renamed, "{component: lb}", "{component: front_lb}");
  repo.write("mailsim/imported-renamed.yaml", renamed);
  const std::string crash = repo.path("mailsim/scenarios/rupost-instance-crash.yaml");
  const json hand_crash = run(repo.path("mailsim/rupost-13.yaml"), crash, repo.path("out/hand-crash.json"));
  const json imported_crash = run(repo.path("mailsim/imported-renamed.yaml"), crash, repo.path("out/imported-crash.json"));
  const json checks = events_of(hand_crash, "front_lb");
  EXPECT_EQ(checks.size(), 5u) << checks.dump();  // the VIP at 0 s, then DOWN and UP on each balancer
  EXPECT_EQ(checks, events_of(imported_crash, "front_lb"));
}

TEST(Import, AMalformedFileIsBadInputAtItsLineAndNothingIsWritten) {
  Repo repo("malformed");
  const std::string out = repo.path("mailsim/imported.yaml");
  repo.write("mailsim/imported.yaml", "previous\n");
  // A value the importer refuses, found when the skeleton is checked.
  repo.edit("lb/keepalived-lb-2.conf", "advert_int 1", "advert_int one");
  auto r = run_mailsim("import " + repo.path("") + " -o " + out);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_TRUE(has(r.out, "lb/keepalived-lb-2.conf:20:5:")) << r.out;
  EXPECT_EQ(slurp(out), "previous\n");
  // A file the skeleton itself cannot read: an unbalanced brace.
  repo.edit("lb/keepalived-lb-2.conf", "advert_int one", "advert_int 1");
  repo.edit("cache/keepalived-mc-1.conf", "virtual_ipaddress {", "virtual_ipaddress {{");
  r = run_mailsim("import " + repo.path("") + " -o " + out);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_TRUE(has(r.out, "cache/keepalived-mc-1.conf:")) << r.out;
  EXPECT_EQ(slurp(out), "previous\n");
}

TEST(Import, AFolderWithoutAnyFileMailsimReadsIsBadInput) {
  Repo repo("empty");
  auto r = run_mailsim("import " + repo.path("mailsim") + " -o " + repo.path("out.yaml"));
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_TRUE(has(r.out, "no file mailsim reads here")) << r.out;
  EXPECT_FALSE(fs::exists(repo.path("out.yaml")));
}
