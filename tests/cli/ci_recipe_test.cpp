// The CI recipe of examples/ci (docs/import.md) end to end, as its job templates run it:
// `mailsim check --suite` over a topology whose params come from the operators' own files.
// Its files restate the seed cluster's params, so it runs as the seed does; a harmful change
// to a file (advert_int 1 -> 5, fall 3 -> 10) fails the suite, and the report names the
// failed expectation and the file and line that set the failing value.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/common/example_copy.hpp"
#include "tests/common/run_binary.hpp"

using mailsim::testing::run_mailsim;
using mailsim::testing::slurp;

namespace {

// A copy of examples/ci, as the infrastructure repository a CI job checks out.
class Repo : public mailsim::testing::ExampleCopy {
 public:
  explicit Repo(const std::string& name) : ExampleCopy("examples/ci", "mailsim-ci", name) {}

  // The job's command, run in the repository's folder.
  mailsim::testing::CommandResult check() const {
    return run_mailsim("check --suite " + path("mailsim/suite.yaml") + " --junit " + path("out/junit.xml") +
                       " --markdown " + path("out/check.md") + " --out " + path("out/runs"));
  }
};

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

}  // namespace

TEST(CiRecipe, TheExampleFilesDriveTheSeedClustersParamsAndRunAsTheSeedDoes) {
  const std::string scen = "examples/ci/mailsim/scenarios/front-vip-holder-crash.yaml";
  const std::string a = "out/test-ci-seed.json", b = "out/test-ci-files.json";
  ASSERT_EQ(run_mailsim("run -q topologies/rupost-13.yaml " + scen + " --json " + a).code, 0);
  auto r = run_mailsim("run -q examples/ci/mailsim/rupost-13.yaml " + scen + " --json " + b);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto seed = nlohmann::json::parse(slurp(a)), files = nlohmann::json::parse(slurp(b));
  for (const char* key : {"services", "events", "failovers", "expectations"}) EXPECT_EQ(seed[key], files[key]) << key;
  EXPECT_EQ(seed["manifest"]["params"], files["manifest"]["params"]);
  // The manifest records each file as the topology names it, with its SHA-256.
  const auto& configs = files["manifest"]["configs"];
  ASSERT_EQ(configs.size(), 12u);
  EXPECT_EQ(configs[0]["path"], "../lb/keepalived-lb-1.conf");
  EXPECT_EQ(configs[0]["node"], "lb-1");
  EXPECT_EQ(configs[0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_FALSE(seed["manifest"].contains("configs"));
  // main.cf drives the mail nodes' deferred queue (the seed's values: postconf(5)'s).
  std::vector<std::string> postfix_params;
  for (const auto& c : configs)
    if (c["kind"] == "postfix")
      for (const auto& p : c["params"]) postfix_params.push_back(p["param"]);
  EXPECT_EQ(postfix_params, (std::vector<std::string>{"queue_run_delay", "minimal_backoff_time", "maximal_backoff_time",
                                                      "maximal_queue_lifetime"}));
  EXPECT_EQ(files["manifest"]["params"]["rupost"]["queue_run_delay"], "5m");
}

TEST(CiRecipe, AHarmfulChangeFailsTheSuiteAndTheReportNamesTheExpectationAndTheFile) {
  Repo ok("ok");
  auto good = ok.check();
  ASSERT_EQ(good.code, 0) << good.out;

  Repo bad("harmful");
  bad.edit("lb/keepalived-lb-1.conf", "advert_int 1", "advert_int 5");
  bad.edit("lb/keepalived-lb-2.conf", "advert_int 1", "advert_int 5");
  bad.edit("lb/haproxy.cfg", "fall 3", "fall 10");
  auto r = bad.check();
  EXPECT_EQ(r.code, 1) << r.out;
  const std::string md = slurp(bad.path("out/check.md")), junit = slurp(bad.path("out/junit.xml"));
  // VRRP: the backup takes the VIP after 3 x advert_int + skew, now over 15 s.
  EXPECT_TRUE(has(md, "`failover_time(front_lb) <= 5s`")) << md;
  EXPECT_TRUE(has(md, "from ../lb/keepalived-lb-1.conf:20:5 `advert_int 5` (front_lb.advert_int)")) << md;
  // haproxy keeps sending to the dead instance for fall x inter = 20 s or more instead of 6 s.
  EXPECT_TRUE(has(md, "`availability(imap) >= 85%`")) << md;
  EXPECT_TRUE(has(md, "`default-server inter 2s fall 10 rise 2` (front_lb.fall)")) << md;
  EXPECT_TRUE(has(junit, "from ../lb/keepalived-lb-1.conf:20:5 `advert_int 5` (front_lb.advert_int)")) << junit;
  // The database's expectations do not depend on these files: they still pass.
  EXPECT_TRUE(has(md, "| :white_check_mark: | `rupost-13-ci/db-primary-crash` | 3/3 passed")) << md;
}

TEST(CiRecipe, AMalformedDirectiveIsBadInputAtItsLine) {
  Repo repo("malformed");
  repo.edit("lb/keepalived-lb-2.conf", "advert_int 1", "advert_int one");
  auto r = repo.check();
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(has(r.out, repo.path("lb/keepalived-lb-2.conf") + ":20:5: ")) << r.out;
}
