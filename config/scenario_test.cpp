// Scenario parsing: defaults, the three load profiles and their rate curves, the four
// fault kinds and their targets, and inline malformed scenarios (more are files under
// tests/config/malformed, driven by topology_test.cpp).
#include "config/scenario.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

using namespace mailsim;
using namespace mailsim::config;

namespace {

const char* kVipCrash = R"(name: vip-crash
description: the VIP holder dies and comes back
duration: 3m
seed: 42
client:
  timeout: 10s
metrics:
  window: 500ms
load:
  - {service: smtp, rate: 50/s}
  - service: imap
    rate: 100/s
    profile: step
    steps:
      - {at: 60s, rate: 200/s}
      - {at: 2m, rate: 50/s}
    timeout: 2s
  - {service: webmail, rate: 10/s, profile: ramp, to: 30/s, ramp_start: 10s, ramp_end: 70s}
faults:
  - at: 30s
    for: 60s
    crash: {role: front_lb.vip_holder}
  - {at: 40s, crash: {node: mail-1}}
  - {at: 50s, for: 10s, stop: {component: mail, node: mail-2}}
  - {at: 60s, for: 20s, partition: {between: [[lb-1, mail-1], mail-2], one_way: true}}
  - {at: 70s, degrade: {node: mail-2, latency: 20ms, loss: 5%}}
  - {at: 3m, degrade: {role: pg.leader, loss: 0.5}}
)";

const char* kMinimal = "name: m\nduration: 1h\nclient: {timeout: 5s}\nload: []\n";

std::string scenario_error(const std::string& text) {
  try {
    parse_scenario(text, "s.yaml");
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "";
}

// `marked` is a scenario in which one '^' stands just before the place the error must
// point at; the '^' is removed, the rest parsed, and the error must be exactly
// "s.yaml:LINE:COL: message".
testing::AssertionResult fails_at(const std::string& marked, const std::string& message) {
  auto at = marked.find('^');
  if (at == std::string::npos) return testing::AssertionFailure() << "no ^ in the test input";
  std::string text = marked;
  text.erase(at, 1);
  size_t newline = at == 0 ? std::string::npos : text.rfind('\n', at - 1);
  size_t col = newline == std::string::npos ? at + 1 : at - newline;
  size_t line =
      1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  std::string expect =
      "s.yaml:" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
  std::string got = scenario_error(text);
  if (got == expect) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "\n  got:    " << got << "\n  wanted: " << expect;
}

// kMinimal plus `more` (root keys, e.g. a faults list).
std::string minimal_with(const std::string& more) {
  return std::string(kMinimal) + more;
}

}  // namespace

TEST(Scenario, Defaults) {
  Scenario s = parse_scenario(kMinimal, "m.yaml");
  EXPECT_EQ(s.file, "m.yaml");
  EXPECT_EQ(s.name, "m");
  EXPECT_EQ(s.description, "");
  EXPECT_DOUBLE_EQ(s.duration.seconds, 3600);
  EXPECT_EQ(s.seed, 1u);
  EXPECT_DOUBLE_EQ(s.client_timeout.seconds, 5);
  EXPECT_DOUBLE_EQ(s.window.seconds, 1);
  EXPECT_TRUE(s.load.empty());
  EXPECT_TRUE(s.faults.empty());
}

TEST(Scenario, ParsesEverything) {
  Scenario s = parse_scenario(kVipCrash, "vip-crash.yaml");
  EXPECT_EQ(s.name, "vip-crash");
  EXPECT_EQ(s.description, "the VIP holder dies and comes back");
  EXPECT_DOUBLE_EQ(s.duration.seconds, 180);
  EXPECT_EQ(s.seed, 42u);
  EXPECT_DOUBLE_EQ(s.client_timeout.seconds, 10);
  EXPECT_DOUBLE_EQ(s.window.seconds, 0.5);

  ASSERT_EQ(s.load.size(), 3u);
  const LoadSpec& smtp = s.load[0];
  EXPECT_EQ(smtp.service, "smtp");
  EXPECT_EQ(smtp.profile, LoadSpec::Profile::kConstant);
  EXPECT_DOUBLE_EQ(smtp.rate.per_s, 50);
  EXPECT_FALSE(smtp.timeout.has_value());
  EXPECT_EQ(smtp.mark.line, 10);
  EXPECT_EQ(smtp.mark.col, 5);
  EXPECT_EQ(smtp.service_mark.line, 10);
  EXPECT_EQ(smtp.service_mark.col, 15);

  const LoadSpec& imap = s.load[1];
  EXPECT_EQ(imap.profile, LoadSpec::Profile::kStep);
  ASSERT_EQ(imap.steps.size(), 2u);
  EXPECT_DOUBLE_EQ(imap.steps[1].at.seconds, 120);
  EXPECT_DOUBLE_EQ(imap.steps[1].rate.per_s, 50);
  ASSERT_TRUE(imap.timeout.has_value());
  EXPECT_DOUBLE_EQ(imap.timeout->seconds, 2);

  const LoadSpec& web = s.load[2];
  EXPECT_EQ(web.profile, LoadSpec::Profile::kRamp);
  EXPECT_DOUBLE_EQ(web.ramp_to.per_s, 30);
  EXPECT_DOUBLE_EQ(web.ramp_start.seconds, 10);
  EXPECT_DOUBLE_EQ(web.ramp_end.seconds, 70);

  ASSERT_EQ(s.faults.size(), 6u);
  const FaultSpec& crash = s.faults[0];
  EXPECT_EQ(crash.kind, FaultSpec::Kind::kCrash);
  EXPECT_EQ(crash.kind_name(), "crash");
  EXPECT_DOUBLE_EQ(crash.at.seconds, 30);
  ASSERT_TRUE(crash.duration.has_value());
  EXPECT_DOUBLE_EQ(crash.duration->seconds, 60);
  EXPECT_EQ(crash.target.role, "front_lb.vip_holder");
  EXPECT_EQ(crash.target.node, "");
  EXPECT_EQ(crash.target.describe(), "role front_lb.vip_holder");
  EXPECT_EQ(crash.mark.line, 20);
  EXPECT_EQ(crash.target.mark.line, 22);
  EXPECT_EQ(crash.target.mark.col, 12);

  const FaultSpec& node_crash = s.faults[1];
  EXPECT_FALSE(node_crash.duration.has_value());  // permanent
  EXPECT_EQ(node_crash.target.describe(), "node mail-1");

  const FaultSpec& stop = s.faults[2];
  EXPECT_EQ(stop.kind, FaultSpec::Kind::kStop);
  EXPECT_EQ(stop.kind_name(), "stop");
  EXPECT_EQ(stop.target.component, "mail");
  EXPECT_EQ(stop.target.node, "mail-2");
  EXPECT_EQ(stop.target.describe(), "component mail on mail-2");

  const FaultSpec& part = s.faults[3];
  EXPECT_EQ(part.kind, FaultSpec::Kind::kPartition);
  EXPECT_EQ(part.kind_name(), "partition");
  ASSERT_EQ(part.groups.size(), 2u);
  EXPECT_EQ(part.groups[0], (std::vector<std::string>{"lb-1", "mail-1"}));
  EXPECT_EQ(part.groups[1], std::vector<std::string>{"mail-2"});
  EXPECT_TRUE(part.one_way);

  const FaultSpec& slow = s.faults[4];
  EXPECT_EQ(slow.kind, FaultSpec::Kind::kDegrade);
  EXPECT_EQ(slow.kind_name(), "degrade");
  EXPECT_DOUBLE_EQ(slow.extra_latency.seconds, 0.02);
  EXPECT_DOUBLE_EQ(slow.loss.value, 0.05);

  const FaultSpec& lossy = s.faults[5];
  EXPECT_DOUBLE_EQ(lossy.at.seconds, 180);  // at the very end is allowed
  EXPECT_EQ(lossy.target.role, "pg.leader");
  EXPECT_DOUBLE_EQ(lossy.extra_latency.seconds, 0);
  EXPECT_DOUBLE_EQ(lossy.loss.value, 0.5);
}

TEST(Scenario, PartitionIsSymmetricByDefault) {
  Scenario s = parse_scenario(minimal_with("faults:\n  - {at: 1s, partition: {between: [a, b]}}\n"),
                              "s.yaml");
  EXPECT_FALSE(s.faults[0].one_way);
  EXPECT_EQ(s.faults[0].groups, (std::vector<std::vector<std::string>>{{"a"}, {"b"}}));
}

TEST(Scenario, ClientConnectionSettings) {
  Scenario d = parse_scenario(kMinimal, "m.yaml");
  EXPECT_EQ(d.syn_retries, 6);                 // Linux tcp_syn_retries
  EXPECT_DOUBLE_EQ(d.initial_rto.seconds, 1);  // RFC 6298
  Scenario s = parse_scenario(
      "name: m\nduration: 1h\nclient: {timeout: 5s, syn_retries: 2, initial_rto: 200ms}\nload: "
      "[]\n",
      "m.yaml");
  EXPECT_EQ(s.syn_retries, 2);
  EXPECT_DOUBLE_EQ(s.initial_rto.seconds, 0.2);
  EXPECT_TRUE(fails_at("name: m\nduration: 1h\nclient: {timeout: 5s, syn_retries: ^21}\nload: []\n",
                       "21 is out of range [0, 20]"));
  EXPECT_TRUE(fails_at("name: m\nduration: 1h\nclient: {timeout: 5s, initial_rto: ^0s}\nload: []\n",
                       "initial_rto is 0s; it must be 1ms to 120s (Linux TCP_RTO_MAX)"));
}

TEST(Scenario, LargestSeed) {
  Scenario s = parse_scenario(minimal_with("seed: 9223372036854775807\n"), "s.yaml");
  EXPECT_EQ(s.seed, 9223372036854775807ULL);
}

TEST(LoadSpec, RateCurves) {
  Scenario s = parse_scenario(kVipCrash, "vip-crash.yaml");
  const LoadSpec& smtp = s.load[0];
  EXPECT_DOUBLE_EQ(smtp.rate_at(0), 50);
  EXPECT_DOUBLE_EQ(smtp.rate_at(1e6), 50);
  EXPECT_DOUBLE_EQ(smtp.max_rate(), 50);

  const LoadSpec& imap = s.load[1];
  EXPECT_DOUBLE_EQ(imap.rate_at(0), 100);
  EXPECT_DOUBLE_EQ(imap.rate_at(59.999), 100);
  EXPECT_DOUBLE_EQ(imap.rate_at(60), 200);  // a step applies from its `at` on
  EXPECT_DOUBLE_EQ(imap.rate_at(119), 200);
  EXPECT_DOUBLE_EQ(imap.rate_at(120), 50);
  EXPECT_DOUBLE_EQ(imap.max_rate(), 200);

  const LoadSpec& web = s.load[2];
  EXPECT_DOUBLE_EQ(web.rate_at(0), 10);
  EXPECT_DOUBLE_EQ(web.rate_at(10), 10);
  EXPECT_DOUBLE_EQ(web.rate_at(40), 20);
  EXPECT_DOUBLE_EQ(web.rate_at(70), 30);
  EXPECT_DOUBLE_EQ(web.rate_at(1000), 30);
  EXPECT_DOUBLE_EQ(web.max_rate(), 30);
}

TEST(LoadSpec, DecreasingRampMaxIsTheStart) {
  Scenario s = parse_scenario(
      "name: m\nduration: 1h\nclient: {timeout: 5s}\n"
      "load: [{service: a, rate: 90/s, profile: ramp, to: 0/s, ramp_start: 0s, ramp_end: 1m}]\n",
      "s.yaml");
  EXPECT_DOUBLE_EQ(s.load[0].max_rate(), 90);
  EXPECT_DOUBLE_EQ(s.load[0].rate_at(30), 45);
}

TEST(Scenario, LoadFromFileUsesThePathInErrors) {
  EXPECT_THROW(load_scenario("/nonexistent/s.yaml"), core::InputError);
}

// ---- inline malformed scenarios --------------------------------------------------------

TEST(ScenarioErrors, RootAndClient) {
  EXPECT_TRUE(fails_at("^name: m\nduration: 1h\nload: []\n",
                       "the scenario is missing required key 'client'"));
  EXPECT_TRUE(
      fails_at("name: m\nduration: 1h\nclient: {timeout: 5s, ^retries: 3}\nload: []\n",
               "unknown key 'retries' in client (known: timeout, syn_retries, initial_rto)"));
  // An empty value is reported at its key, not at the next line.
  EXPECT_TRUE(fails_at("name: m\nduration: 1h\n^client:\nload: []\n",
                       "client must be a map, not nothing (null)"));
  EXPECT_TRUE(fails_at("^name:\nduration: 1h\nclient: {timeout: 5s}\nload: []\n",
                       "expected a name, found nothing (null)"));
  EXPECT_TRUE(fails_at("name: m\nduration: 1h\nclient: {^timeout: }\nload: []\n",
                       "expected a duration like 250ms, found nothing (null)"));
  EXPECT_TRUE(fails_at("name: m\nduration: ^11y\nclient: {timeout: 5s}\nload: []\n",
                       "'11y' is not a duration: unknown unit 'y' (use us, ms, s, m, h, d)"));
  EXPECT_TRUE(fails_at("name: m\nduration: ^3651d\nclient: {timeout: 5s}\nload: []\n",
                       "duration is 3651d; it must be more than 0s, at most 3650d"));
  EXPECT_TRUE(fails_at(minimal_with("seed: ^1.5\n"), "'1.5' is not an integer"));
  EXPECT_TRUE(fails_at(minimal_with("seed: ^9223372036854775808\n"),
                       "'9223372036854775808' is not an integer"));
  EXPECT_TRUE(fails_at(minimal_with("metrics: {^windows: 1s}\n"),
                       "unknown key 'windows' in metrics (did you mean 'window'?)"));
  EXPECT_TRUE(fails_at(minimal_with("^load: [{service: a, rate: 1/s}]\n"),
                       "duplicate key 'load' in a scenario"));
}

TEST(ScenarioErrors, IncidentRules) {
  EXPECT_TRUE(fails_at(minimal_with("metrics: {incidents: {^stal: 2s}}\n"),
                       "unknown key 'stal' in incidents params (did you mean 'stall'?)"));
  EXPECT_TRUE(fails_at(minimal_with("metrics: {incidents: {stall: ^0s}}\n"), "incidents param 'stall' is 0s; it must be 1ms to 1d"));
  EXPECT_TRUE(fails_at(minimal_with("metrics: {incidents: {min_success: ^0%}}\n"), "incidents param 'min_success' is 0%; it must be more than 0%, at most 100%"));
  EXPECT_TRUE(fails_at(minimal_with("metrics: {incidents: {min_success: 40%, down_below: ^60%}}\n"),
                       "down_below must not exceed min_success"));
}

TEST(Scenario, IncidentRulesDefaultAndOverride) {
  Scenario s = parse_scenario(minimal_with(""), "s.yaml");
  EXPECT_DOUBLE_EQ(s.incidents.min_success.value, 0.9);
  EXPECT_DOUBLE_EQ(s.incidents.stall.seconds, 1.0);
  s = parse_scenario(minimal_with("metrics: {incidents: {stall: 250ms, merge_gap: 10s}}\n"), "s.yaml");
  EXPECT_DOUBLE_EQ(s.incidents.stall.seconds, 0.25);
  EXPECT_DOUBLE_EQ(s.incidents.merge_gap.seconds, 10.0);
  EXPECT_DOUBLE_EQ(s.incidents.down_below.value, 0.5);  // the others keep their defaults
}

TEST(ScenarioErrors, OneDocumentPerFile) {
  EXPECT_TRUE(fails_at(std::string(kMinimal) + "^---\nname: other\n",
                       "a second YAML document: a file holds one topology or one scenario"));
  // An explicit end marker alone is not a second document.
  EXPECT_EQ(scenario_error(std::string("---\n") + kMinimal + "...\n"), "");
}

TEST(ScenarioErrors, Load) {
  auto load = [](const std::string& entry) {
    return "name: m\nduration: 1h\nclient: {timeout: 5s}\nload:\n  - " + entry + "\n";
  };
  EXPECT_TRUE(fails_at(load("^{service: smtp}"), "load of smtp is missing required key 'rate'"));
  EXPECT_TRUE(fails_at(load("^{rate: 5/s}"), "a load entry is missing required key 'service'"));
  EXPECT_TRUE(fails_at(load("^{service: smtp, rate: 5/s, profile: step}"),
                       "a step profile is missing required key 'steps'"));
  EXPECT_TRUE(fails_at(load("^{service: smtp, rate: 5/s, profile: ramp, to: 9/s, ramp_end: 1m}"),
                       "a ramp profile is missing required key 'ramp_start'"));
  EXPECT_TRUE(fails_at(load("{service: smtp, rate: 5/s, profile: step, ramp_end: ^1m, steps: []}"),
                       "'ramp_end' does not apply to profile 'step'"));
  EXPECT_TRUE(fails_at(load("{service: smtp, rate: 5/s, profile: ramp, to: 9/s, ramp_start: 0s, "
                            "ramp_end: 1m, steps: ^[]}"),
                       "'steps' does not apply to profile 'ramp'"));
  EXPECT_TRUE(
      fails_at(load("{service: smtp, rate: 5/s, profile: step, steps: [{at: 1s, ^rat: 2/s}]}"),
               "unknown key 'rat' in a rate step (did you mean 'rate'?)"));
  EXPECT_TRUE(fails_at(load("{service: smtp, rate: 5/s, profile: step, steps: [{at: 1s, rate: "
                            "2/s}, {at: ^1s, rate: 3/s}]}"),
                       "rate steps must be in increasing order of 'at'"));
  EXPECT_TRUE(fails_at(load("{service: smtp, rate: 5/s, timeout: ^0s}"),
                       "timeout is 0s; it must be more than 0s, at most 1d"));
  EXPECT_TRUE(fails_at(load("^smtp"), "a load entry must be a map, not a scalar"));
  EXPECT_TRUE(fails_at(load("{service: ^smtp mail, rate: 5/s}"),
                       "'smtp mail' is not a valid name: use letters, digits, '_', '-' and '.'"));
  EXPECT_TRUE(fails_at(load("{service: smtp, ^service: imap, rate: 5/s}"),
                       "duplicate key 'service' in a load entry"));
}

TEST(ScenarioErrors, Faults) {
  auto fault = [](const std::string& entry) {
    return minimal_with("faults:\n  - " + entry + "\n");
  };
  EXPECT_TRUE(
      fails_at(fault("^{for: 5s, crash: {node: a}}"), "a fault is missing required key 'at'"));
  EXPECT_TRUE(fails_at(fault("{at: 5s, crash: ^{}}"), "crash needs 'node' or 'role'"));
  EXPECT_TRUE(fails_at(fault("{at: 5s, crash: ^node-1}"), "crash must be a map, not a scalar"));
  EXPECT_TRUE(fails_at(fault("{at: 5s, ^crash: }"), "crash must be a map, not nothing (null)"));
  EXPECT_TRUE(fails_at(fault("{at: 5s, crash: {node: a, ^component: mail}}"),
                       "unknown key 'component' in crash (known: node, role, model)"));
  EXPECT_TRUE(fails_at(fault("{at: 5s, stop: ^{node: a, role: x.y, component: c}}"),
                       "give either 'node' or 'role', not both"));
  EXPECT_TRUE(fails_at(fault("{at: 5s, crash: {role: ^.leader}}"),
                       "'.leader' is not a role: write COMPONENT.ROLE, e.g. front_lb.vip_holder"));
  EXPECT_TRUE(fails_at(fault("{at: 5s, crash: {role: ^pg.}}"),
                       "'pg.' is not a role: write COMPONENT.ROLE, e.g. front_lb.vip_holder"));
  EXPECT_TRUE(fails_at(fault("{at: 5s, partition: {between: ^[a, b, c]}}"),
                       "a partition is 'between' exactly two groups of nodes"));
  EXPECT_TRUE(fails_at(fault("{at: 5s, partition: {between: [a, b], one_way: ^yes}}"),
                       "'yes' is not a boolean: write true or false"));
  EXPECT_TRUE(
      fails_at(fault("{at: 5s, partition: ^[a, b]}"), "partition must be a map, not a list"));
  // A map group is {zone: NAME}; any other key is named.
  EXPECT_TRUE(fails_at(fault("{at: 5s, partition: {between: [a, {^b: c}]}}"), "unknown key 'b' in a partition group (known: zone)"));
  EXPECT_TRUE(fails_at(fault("{at: 5s, crash: {model: ^etcd}}"), "'model' goes with 'role', e.g. {model: etcd, role: leader}"));
  EXPECT_TRUE(fails_at(fault("{at: 5s, slow_disk: {node: a, factor: ^0.5}}"), "0.5 is out of range [1, 1000000]"));
  EXPECT_TRUE(fails_at(fault("{at: 5s, degrade: {node: a, loss: ^101%}}"),
                       "'101%' is not a fraction: must be at most 100%"));
  EXPECT_TRUE(fails_at(fault("{at: 5s, degrade: {node: a, latency: ^-3ms}}"),
                       "'-3ms' is not a duration: must be finite and not negative"));
  EXPECT_TRUE(fails_at(fault("^{at: 5s, crash: {node: a}, partition: {between: [a, b]}}"),
                       "a fault needs exactly one of: crash, stop, partition, degrade, slow_disk, switchover"));
  EXPECT_TRUE(fails_at(fault("{at: ^2h, crash: {node: a}}"),
                       "this fault starts after the end of the scenario"));
  EXPECT_TRUE(fails_at(minimal_with("faults: ^{at: 5s}\n"), "faults must be a list, not a map"));
}

TEST(ScenarioPopulation, MailboxesAndDailyRatesBecomeDiurnalLoads) {
  auto s = mailsim::config::parse_scenario(R"(
name: office
duration: 1h
client: {timeout: 30s}
population:
  mailboxes: 20000
  per_mailbox_per_day: {smtp: 150, imap: 432}
)",
                                           "pop.yaml");
  ASSERT_EQ(s.load.size(), 2u);
  const auto& smtp = s.load[0];
  EXPECT_EQ(smtp.service, "smtp");
  double avg = 20000.0 * 150 / 86400;  // 34.7/s
  EXPECT_NEAR(smtp.rate.per_s, avg, 1e-9);
  EXPECT_NEAR(smtp.rate_at(0), 2 * avg, 1e-9);         // t = 0 is the daily peak
  EXPECT_NEAR(smtp.rate_at(43200), 0, 1e-9);           // 12 h later the trough (ratio 2)
  EXPECT_NEAR(smtp.rate_at(21600), avg, 1e-9);         // 6 h: the average
  EXPECT_NEAR(smtp.max_rate(), 2 * avg, 1e-9);
  EXPECT_NEAR(s.load[1].rate.per_s, 20000.0 * 432 / 86400, 1e-9);
}

TEST(ScenarioPopulation, ServiceInBothLoadAndPopulationIsAnError) {
  try {
    mailsim::config::parse_scenario(R"(name: x
duration: 1h
client: {timeout: 30s}
load:
  - {service: smtp, rate: 10/s}
population:
  mailboxes: 10
  per_mailbox_per_day: {smtp: 150}
)",
                                    "pop.yaml");
    FAIL() << "expected an InputError";
  } catch (const mailsim::core::InputError& e) {
    EXPECT_STREQ(e.what(), "pop.yaml:8:25: service 'smtp' has two load entries");
  }
}
