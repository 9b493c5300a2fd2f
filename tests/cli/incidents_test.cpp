// Outages become incidents (issue 16): the tutorial runs whose outage lists mislead a
// reader give the incidents a reader expects (docs/architecture.md#incidents).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/common/run_binary.hpp"

namespace {

using mailsim::testing::run_mailsim;
using mailsim::testing::slurp;
using nlohmann::json;

json run_tutorial(const std::string& scenario) {
  std::filesystem::create_directories("out");
  const std::string out = "out/test-incidents-" + scenario + ".json";
  auto r = run_mailsim("run topologies/tutorial/lb-pair.yaml scenarios/tutorial/" + scenario + ".yaml --json " + out + " -q");
  EXPECT_LE(r.code, 1) << r.out;
  return json::parse(slurp(out));
}

TEST(Incidents, StallsWithoutFailuresAreAnIncident) {
  // lb-master-crash: the VIP moves in ~2.6 s; clients retransmit their SYN and are
  // answered after 1 or 3 s, so nearly nothing fails, but they hung.
  const json run = run_tutorial("lb-master-crash");
  for (const char* svc : {"imap", "smtp"}) {
    const json& s = run["services"][svc];
    EXPECT_LT(s["outage_max_s"].get<double>(), 0.1) << svc;  // what the outage list says
    ASSERT_EQ(s["incidents"].size(), 1u) << svc;
    const json& inc = s["incidents"][0];
    EXPECT_GT(inc["stalled"].get<int>(), 100) << svc;
    EXPECT_GT(inc["stalled"].get<int>(), 10 * inc["failed"].get<int>()) << svc;
    EXPECT_TRUE(inc["recovered"].get<bool>());
    // It starts at the crash (30 s) and lasts a few seconds, as the VIP move does.
    EXPECT_DOUBLE_EQ(inc["start_s"].get<double>(), 30.0);
    EXPECT_LE(inc["duration_s"].get<double>(), 5.0);
  }
}

TEST(Incidents, FragmentedOutagesAreOneIncident) {
  // backend-crash: round robin over a dead and a live backend fails every other request
  // until the health checks mark it DOWN: hundreds of tiny outages, one degraded incident.
  const json run = run_tutorial("backend-crash");
  const json& imap = run["services"]["imap"];
  EXPECT_GT(imap["outages"].size(), 100u);
  ASSERT_EQ(imap["incidents"].size(), 1u);
  EXPECT_EQ(imap["incidents"][0]["class"], "degraded");
  // Nearly every failure is in it (a stray timeout elsewhere is not an incident).
  EXPECT_GE(imap["incidents"][0]["failed"].get<double>(), 0.99 * imap["failed"].get<double>());
}

TEST(Incidents, RulesUsedAreInTheManifest) {
  const json run = run_tutorial("backend-crash");
  EXPECT_EQ(run["manifest"]["incident_rules"],
            json::parse(R"({"down_below": 0.5, "merge_gap": "5s", "min_success": 0.9, "stall": "1s"})"));
}

}  // namespace
