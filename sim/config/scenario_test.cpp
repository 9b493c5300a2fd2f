// Scenario parsing: defaults, the three load profiles and their rate curves, the four
// fault kinds and their targets, and inline malformed scenarios (more are files under
// tests/config/malformed, driven by topology_test.cpp).
#include "sim/config/scenario.hpp"

#include <gtest/gtest.h>

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

// kMinimal plus `more` (root keys, e.g. a faults list).
std::string minimal_with(const std::string& more) { return std::string(kMinimal) + more; }

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
  EXPECT_EQ(crash.mark.line, 19);
  EXPECT_EQ(crash.target.mark.line, 21);
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
  Scenario s = parse_scenario(minimal_with("faults:\n  - {at: 1s, partition: {between: [a, b]}}\n"), "s.yaml");
  EXPECT_FALSE(s.faults[0].one_way);
  EXPECT_EQ(s.faults[0].groups, (std::vector<std::vector<std::string>>{{"a"}, {"b"}}));
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
  EXPECT_EQ(scenario_error("name: m\nduration: 1h\nload: []\n"), "s.yaml:1:1: the scenario is missing required key 'client'");
  EXPECT_EQ(scenario_error("name: m\nduration: 1h\nclient: {timeout: 5s, retries: 3}\nload: []\n"),
            "s.yaml:3:23: unknown key 'retries' in client (known: timeout)");
  EXPECT_EQ(scenario_error("name: m\nduration: 1h\nclient:\nload: []\n"),
            "s.yaml:3:8: client must be a map, not nothing (null)");
  EXPECT_EQ(scenario_error("name: m\nduration: 11y\nclient: {timeout: 5s}\nload: []\n"),
            "s.yaml:2:11: '11y' is not a duration: unknown unit 'y' (use us, ms, s, m, h, d)");
  EXPECT_EQ(scenario_error("name: m\nduration: 3651d\nclient: {timeout: 5s}\nload: []\n"),
            "s.yaml:2:11: duration must be positive and at most 10 years");
  EXPECT_EQ(scenario_error(minimal_with("seed: 1.5\n")), "s.yaml:5:7: '1.5' is not an integer");
  EXPECT_EQ(scenario_error(minimal_with("seed: 9223372036854775808\n")),
            "s.yaml:5:7: '9223372036854775808' is not an integer");
  EXPECT_EQ(scenario_error(minimal_with("metrics: {windows: 1s}\n")),
            "s.yaml:5:11: unknown key 'windows' in metrics (did you mean 'window'?)");
}

TEST(ScenarioErrors, Load) {
  auto load = [](const std::string& entry) {
    return scenario_error("name: m\nduration: 1h\nclient: {timeout: 5s}\nload:\n  - " + entry + "\n");
  };
  EXPECT_EQ(load("{service: smtp}"), "s.yaml:5:5: load of smtp is missing required key 'rate'");
  EXPECT_EQ(load("{rate: 5/s}"), "s.yaml:5:5: a load entry is missing required key 'service'");
  EXPECT_EQ(load("{service: smtp, rate: 5/s, profile: step}"), "s.yaml:5:5: a step profile is missing required key 'steps'");
  EXPECT_EQ(load("{service: smtp, rate: 5/s, profile: ramp, to: 9/s, ramp_end: 1m}"),
            "s.yaml:5:5: a ramp profile is missing required key 'ramp_start'");
  EXPECT_EQ(load("{service: smtp, rate: 5/s, profile: step, ramp_end: 1m, steps: []}"),
            "s.yaml:5:53: 'ramp_end' does not apply to profile 'step'");
  EXPECT_EQ(load("{service: smtp, rate: 5/s, profile: ramp, to: 9/s, ramp_start: 0s, ramp_end: 1m, steps: []}"),
            "s.yaml:5:90: 'steps' does not apply to profile 'ramp'");
  EXPECT_EQ(load("{service: smtp, rate: 5/s, profile: step, steps: [{at: 1s, rat: 2/s}]}"),
            "s.yaml:5:60: unknown key 'rat' in a rate step (did you mean 'rate'?)");
  EXPECT_EQ(load("{service: smtp, rate: 5/s, timeout: 0s}"), "s.yaml:5:37: a client timeout must be positive");
  EXPECT_EQ(load("smtp"), "s.yaml:5:5: a load entry must be a map, not a scalar");
  EXPECT_EQ(load("{service: smtp mail, rate: 5/s}"),
            "s.yaml:5:15: 'smtp mail' is not a valid name: use letters, digits, '_', '-' and '.'");
}

TEST(ScenarioErrors, Faults) {
  auto fault = [](const std::string& entry) { return scenario_error(minimal_with("faults:\n  - " + entry + "\n")); };
  EXPECT_EQ(fault("{for: 5s, crash: {node: a}}"), "s.yaml:6:5: a fault is missing required key 'at'");
  EXPECT_EQ(fault("{at: 5s, crash: {}}"), "s.yaml:6:20: crash needs 'node' or 'role'");
  EXPECT_EQ(fault("{at: 5s, crash: node-1}"), "s.yaml:6:19: crash must be a map, not a scalar");
  EXPECT_EQ(fault("{at: 5s, crash: {node: a, component: mail}}"),
            "s.yaml:6:29: unknown key 'component' in crash (known: node, role)");
  EXPECT_EQ(fault("{at: 5s, stop: {node: a, role: x.y, component: c}}"),
            "s.yaml:6:18: give either 'node' or 'role', not both");
  EXPECT_EQ(fault("{at: 5s, crash: {role: .leader}}"),
            "s.yaml:6:26: '.leader' is not a role: write COMPONENT.ROLE, e.g. front_lb.vip_holder");
  EXPECT_EQ(fault("{at: 5s, crash: {role: pg.}}"),
            "s.yaml:6:26: 'pg.' is not a role: write COMPONENT.ROLE, e.g. front_lb.vip_holder");
  EXPECT_EQ(fault("{at: 5s, partition: {between: [a, b, c]}}"),
            "s.yaml:6:33: a partition is 'between' exactly two groups of nodes");
  EXPECT_EQ(fault("{at: 5s, partition: {between: [a, b], one_way: yes}}"),
            "s.yaml:6:50: 'yes' is not a boolean: write true or false");
  EXPECT_EQ(fault("{at: 5s, partition: [a, b]}"), "s.yaml:6:23: partition must be a map, not a list");
  EXPECT_EQ(fault("{at: 5s, degrade: {node: a, loss: 101%}}"),
            "s.yaml:6:36: '101%' is not a fraction: must be at most 100%");
  EXPECT_EQ(fault("{at: 5s, degrade: {node: a, latency: -3ms}}"),
            "s.yaml:6:39: '-3ms' is not a duration: must be finite and not negative");
  EXPECT_EQ(fault("{at: 5s, crash: {node: a}, partition: {between: [a, b]}}"),
            "s.yaml:6:5: a fault needs exactly one of: crash, stop, partition, degrade");
  EXPECT_EQ(fault("{at: 2h, crash: {node: a}}"), "s.yaml:6:9: this fault starts after the end of the scenario");
  EXPECT_EQ(scenario_error(minimal_with("faults: {at: 5s}\n")), "s.yaml:5:9: faults must be a list, not a map");
}
