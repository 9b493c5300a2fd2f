// Incidents from a service's per-window series (app/incidents.hpp): the rules of
// config/incident_params.hpp applied to hand-made series.
#include "app/incidents.hpp"

#include <gtest/gtest.h>

namespace mailsim::app {
namespace {

using nlohmann::json;

config::IncidentParams defaults() { return config::incident_params().parse(YAML::Node(), config::YamlReader("<test>")); }

// A service with one-second windows: per window {requests, ok, stalled}.
json service(const std::vector<std::array<int, 3>>& windows) {
  json req = json::array(), ok = json::array(), failed = json::array(), stalled = json::array();
  for (const auto& w : windows) {
    req.push_back(w[0]);
    ok.push_back(w[1]);
    failed.push_back(w[0] - w[1]);
    stalled.push_back(w[2]);
  }
  return {{"series", {{"window_s", 1.0}, {"requests", req}, {"ok", ok}, {"failed", failed}, {"stalled", stalled}}}};
}

TEST(Incidents, DefaultsAreTheDocumentedOnes) {
  const auto r = defaults();
  EXPECT_DOUBLE_EQ(r.min_success.value, 0.9);
  EXPECT_DOUBLE_EQ(r.stall.seconds, 1.0);
  EXPECT_DOUBLE_EQ(r.merge_gap.seconds, 5.0);
  EXPECT_DOUBLE_EQ(r.down_below.value, 0.5);
}

TEST(Incidents, AHealthyServiceHasNone) {
  EXPECT_TRUE(find_incidents(service({{20, 20, 0}, {20, 19, 0}, {20, 20, 0}}), defaults(), 3).empty());
  EXPECT_TRUE(find_incidents(json::object(), defaults(), 3).empty());
}

TEST(Incidents, AWindowBelowMinSuccessIsBadAtTheBoundaryItIsNot) {
  // 18 of 20 good is exactly 90%: not below the threshold.
  EXPECT_TRUE(find_incidents(service({{20, 18, 0}}), defaults(), 1).empty());
  EXPECT_EQ(find_incidents(service({{20, 17, 0}}), defaults(), 1).size(), 1u);
}

TEST(Incidents, StalledAnswersAreNotGoodAnswers) {
  // Every request answered ok, but half of them after the stall threshold (a VIP move
  // whose clients retransmit their SYN): an incident with stalled requests, no failures.
  const json inc = find_incidents(service({{20, 20, 0}, {20, 20, 10}, {20, 20, 0}, {20, 20, 0}}), defaults(), 4);
  ASSERT_EQ(inc.size(), 1u);
  EXPECT_EQ(inc[0]["stalled"], 10);
  EXPECT_EQ(inc[0]["failed"], 0);
  EXPECT_EQ(inc[0]["class"], "degraded");
  EXPECT_DOUBLE_EQ(inc[0]["start_s"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(inc[0]["end_s"].get<double>(), 2.0);
}

TEST(Incidents, BadWindowsCloserThanTheMergeGapAreOneIncident) {
  // Round robin over a dead backend flapping: bad, 4 good windows (a 4 s gap < 5 s), bad.
  std::vector<std::array<int, 3>> w = {{20, 10, 0}, {20, 20, 0}, {20, 20, 0}, {20, 20, 0}, {20, 20, 0}, {20, 10, 0}, {20, 20, 0}};
  json inc = find_incidents(service(w), defaults(), 7);
  ASSERT_EQ(inc.size(), 1u);
  EXPECT_DOUBLE_EQ(inc[0]["start_s"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(inc[0]["end_s"].get<double>(), 6.0);
  EXPECT_EQ(inc[0]["requests"], 120);  // the good windows between belong to it
  EXPECT_EQ(inc[0]["failed"], 20);
}

TEST(Incidents, AGapOfTheMergeGapOrMoreSeparatesIncidents) {
  std::vector<std::array<int, 3>> w = {{20, 0, 0}, {20, 20, 0}, {20, 20, 0}, {20, 20, 0}, {20, 20, 0}, {20, 20, 0}, {20, 0, 0}, {20, 20, 0}};
  json inc = find_incidents(service(w), defaults(), 8);
  ASSERT_EQ(inc.size(), 2u);
  EXPECT_DOUBLE_EQ(inc[1]["start_s"].get<double>(), 6.0);
}

TEST(Incidents, EmptyWindowsInsideTheGapDoNotEndAnIncident) {
  json inc = find_incidents(service({{20, 0, 0}, {0, 0, 0}, {0, 0, 0}, {20, 0, 0}, {20, 20, 0}}), defaults(), 5);
  ASSERT_EQ(inc.size(), 1u);
  EXPECT_DOUBLE_EQ(inc[0]["end_s"].get<double>(), 4.0);
}

TEST(Incidents, MostRequestsFailingIsDownElseDegraded) {
  EXPECT_EQ(find_incidents(service({{20, 9, 0}, {20, 20, 0}}), defaults(), 2)[0]["class"], "down");
  EXPECT_EQ(find_incidents(service({{20, 10, 0}, {20, 20, 0}}), defaults(), 2)[0]["class"], "degraded");
}

TEST(Incidents, AnIncidentOpenAtTheEndHasNotRecovered) {
  json inc = find_incidents(service({{20, 20, 0}, {20, 11, 0}, {20, 11, 0}}), defaults(), 2.5);
  ASSERT_EQ(inc.size(), 1u);
  EXPECT_FALSE(inc[0]["recovered"].get<bool>());
  EXPECT_TRUE(inc[0]["time_to_recover_s"].is_null());
  EXPECT_DOUBLE_EQ(inc[0]["end_s"].get<double>(), 2.5);  // the run's end, not the window's
  json back = find_incidents(service({{20, 11, 0}, {20, 20, 0}}), defaults(), 2);
  EXPECT_TRUE(back[0]["recovered"].get<bool>());
  EXPECT_DOUBLE_EQ(back[0]["time_to_recover_s"].get<double>(), 1.0);
}

TEST(Incidents, TheRulesAreSettable) {
  config::YamlReader r("<test>");
  auto rules = config::incident_params().parse(YAML::Load("{min_success: 50%, merge_gap: 0s}"), r);
  // 11 of 20 good passes at 50%; adjacent bad windows stay one incident with no gap.
  EXPECT_TRUE(find_incidents(service({{20, 11, 0}}), rules, 1).empty());
  EXPECT_EQ(find_incidents(service({{20, 0, 0}, {20, 0, 0}, {20, 20, 0}, {20, 0, 0}}), rules, 4).size(), 2u);
}

TEST(Incidents, WorstClassRanksDownOverDegradedOverNone) {
  EXPECT_EQ(worst_incident_class(json::array()), "none");
  EXPECT_EQ(worst_incident_class(json::array({{{"class", "degraded"}}, {{"class", "down"}}})), "down");
  EXPECT_GT(incident_class_rank("down"), incident_class_rank("degraded"));
  EXPECT_GT(incident_class_rank("degraded"), incident_class_rank("none"));
}

}  // namespace
}  // namespace mailsim::app
