#include "engine/resources.hpp"

#include <gtest/gtest.h>

namespace mailsim::engine {
namespace {

ResourceInfo cpu(const std::string& name, double cores) { return {name, "cpu", "n", std::nullopt, cores, "cores"}; }

TEST(ResourceMeter, UtilisationIsTheTimeAverageOfBusyUnitsOverCapacity) {
  ResourceMeter m(cpu("n.cpu", 2), 1.0);
  m.update(0.5, 1, 0);  // one of two cores busy for 0.5 .. 2.5
  m.update(2.5, 2, 3);  // both busy, three waiting, for 2.5 .. 3.5
  m.update(3.5, 0, 0);
  auto j = m.to_json(4, 4);
  EXPECT_DOUBLE_EQ(j["utilisation"].get<double>(), (2.0 * 1 + 1.0 * 2) / (2 * 4));
  EXPECT_DOUBLE_EQ(j["mean_queue"].get<double>(), 3.0 / 4);
  EXPECT_DOUBLE_EQ(j["max_queue"].get<double>(), 3);
  // Windows of 1 s: [0,1) half a core busy over 0.5 s..., [2,3) 1 core for .5 s + 2 for .5 s.
  auto util = j["series"]["utilisation"].get<std::vector<double>>();
  ASSERT_EQ(util.size(), 4u);
  EXPECT_DOUBLE_EQ(util[0], 0.25);
  EXPECT_DOUBLE_EQ(util[1], 0.5);
  EXPECT_DOUBLE_EQ(util[2], 0.75);
  EXPECT_DOUBLE_EQ(util[3], 0.5);
  EXPECT_DOUBLE_EQ(j["peak_utilisation"].get<double>(), 0.75);
}

TEST(ResourceMeter, MeanWaitIsQueueTimeOverServedByLittlesLaw) {
  ResourceMeter m(cpu("n.cpu", 1), 10.0);
  m.served(0);
  m.update(0, 1, 1);  // one served, one waits 2 s
  m.update(2, 1, 0);
  m.served(2);
  m.update(3, 0, 0);
  auto j = m.to_json(10, 10);
  EXPECT_EQ(j["served"].get<uint64_t>(), 2u);
  EXPECT_DOUBLE_EQ(j["mean_wait_s"].get<double>(), 2.0 / 2);
}

TEST(ResourceMeter, TotalsCoverTheMeasuredSpanOnlyWhileTheSeriesGoesOnToTheEnd) {
  ResourceMeter m(cpu("n.cpu", 1), 1.0);
  m.update(0, 1, 0);  // busy through the load (4 s) and 2 s of drain
  m.update(6, 0, 0);
  auto j = m.to_json(4, 8);
  EXPECT_DOUBLE_EQ(j["utilisation"].get<double>(), 1.0);
  EXPECT_EQ(j["series"]["utilisation"].size(), 6u);  // idle windows after 6 s trimmed
}

TEST(ResourceMeter, AnIdleResourceReportsZero) {
  ResourceMeter m(cpu("n.cpu", 4), 1.0);
  auto j = m.to_json(100, 130);
  EXPECT_EQ(j["utilisation"].get<double>(), 0);
  EXPECT_EQ(j["peak_utilisation"].get<double>(), 0);
  EXPECT_EQ(j["mean_queue"].get<double>(), 0);
  EXPECT_EQ(j["mean_wait_s"].get<double>(), 0);
  EXPECT_EQ(j["served"].get<uint64_t>(), 0u);
  EXPECT_TRUE(j["series"]["utilisation"].empty());
}

TEST(Resources, SortedBySustainedUtilisationThenNameAndTheBottleneckNeedsHalf) {
  Resources res(1.0);
  res.add(cpu("b.cpu", 1)).update(0, 0.4, 0);
  res.add(cpu("a.cpu", 1)).update(0, 0.4, 0);
  res.add(cpu("c.cpu", 1)).update(0, 0.2, 0);
  auto j = res.to_json(10, 10);
  ASSERT_EQ(j["resources"].size(), 3u);
  EXPECT_EQ(j["resources"][0]["name"], "a.cpu");
  EXPECT_EQ(j["resources"][1]["name"], "b.cpu");
  EXPECT_EQ(j["resources"][2]["name"], "c.cpu");
  EXPECT_TRUE(j["bottleneck"].is_null());  // 0.4 < 0.5

  Resources busy(1.0);
  busy.add(cpu("x.cpu", 1)).update(0, 0.6, 0);
  auto k = busy.to_json(10, 10);
  EXPECT_EQ(k["bottleneck"]["name"], "x.cpu");
  EXPECT_DOUBLE_EQ(k["bottleneck"]["peak_utilisation"].get<double>(), 0.6);
  EXPECT_DOUBLE_EQ(k["bottleneck"]["sustained_utilisation"].get<double>(), 0.6);
}

// Issue 15 item 4: the ranking and the bottleneck follow sustained load, not bursts. A
// resource busy for one second in twenty (5% mean, 100% in its busiest 1 s window) must not
// outrank one steadily 85% busy, although its 1 s peak is higher.
TEST(Resources, ABurstyLightlyLoadedResourceDoesNotOutrankASteadily85PercentBusyOne) {
  Resources rs(1.0);
  ResourceMeter& bursty = rs.add(cpu("bursty.cpu", 1));
  ResourceMeter& steady = rs.add(cpu("steady.cpu", 1));
  const double end = 60;
  for (double t = 0; t < end; t += 20) {
    bursty.update(t + 5, 1, 0);
    bursty.update(t + 6, 0, 0);
  }
  steady.update(0, 0.85, 0);
  steady.update(end, 0, 0);
  const auto j = rs.to_json(end, end);
  const auto& top = j["resources"][0];
  const auto& second = j["resources"][1];
  EXPECT_EQ(top["name"], "steady.cpu");
  EXPECT_EQ(j["bottleneck"]["name"], "steady.cpu");
  EXPECT_NEAR(top["sustained_utilisation"].get<double>(), 0.85, 1e-9);
  EXPECT_NEAR(second["sustained_utilisation"].get<double>(), 0.1, 1e-9) << "1 s busy in its busiest 10 s";
  EXPECT_GT(second["peak_utilisation"].get<double>(), top["peak_utilisation"].get<double>())
      << "ranked by 1 s peaks, the burst would have been named";
  EXPECT_NEAR(j["bottleneck"]["sustained_utilisation"].get<double>(), 0.85, 1e-9);
}

TEST(Resources, NoBottleneckWhenOnlyBurstsReachHalfTheCapacity) {
  Resources rs(1.0);
  ResourceMeter& bursty = rs.add(cpu("bursty.cpu", 1));
  bursty.update(10, 1, 0);
  bursty.update(13, 0, 0);  // 3 s at 100%: 30% over its busiest 10 s
  const auto j = rs.to_json(60, 60);
  EXPECT_DOUBLE_EQ(j["resources"][0]["peak_utilisation"].get<double>(), 1.0);
  EXPECT_NEAR(j["resources"][0]["sustained_utilisation"].get<double>(), 0.3, 1e-9);
  EXPECT_TRUE(j["bottleneck"].is_null());
}

}  // namespace
}  // namespace mailsim::engine
