// Engine-free parts of run sets: shards, YAML edits, sweep grids and knees, explore's
// fault sets and classes, merge equality, and the reliability Monte Carlo against closed
// forms (one repairable unit; k-of-n groups).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <map>

#include "reports/explore_table.hpp"
#include "reports/sweep_html.hpp"
#include "reports/sweep_table.hpp"
#include "core/error.hpp"
#include "runset/explore.hpp"
#include "runset/merge.hpp"
#include "runset/reliability.hpp"
#include "runset/shard.hpp"
#include "runset/sweep.hpp"
#include "runset/yaml_edit.hpp"

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
  auto p = parse_axis("population.mailboxes=20000..80000*2", "--set");  // only scenarios have a population
  EXPECT_FALSE(p.topology);
  EXPECT_EQ(p.path, "population.mailboxes");
  EXPECT_EQ(p.values, (std::vector<std::string>{"20000", "40000", "80000"}));
  EXPECT_THROW(parse_axis("load.0.rate=1/s..2/s", "--set"), core::InputError);
  auto g = grid_points({a, b});
  ASSERT_EQ(g.size(), 20u);
  EXPECT_EQ(g[0], (std::vector<size_t>{0, 0}));
  EXPECT_EQ(g[1], (std::vector<size_t>{0, 1}));  // the first axis is outermost
  EXPECT_EQ(g[19], (std::vector<size_t>{4, 3}));
}

// Issue 15 item 5: every scenario key except the two both documents have (name,
// description) needs no `scenario.` prefix; each family edits the scenario and the edited
// scenario is read back with the new value.
TEST(Sweep, EveryScenarioKeyFamilyIsAShortcutToTheScenario) {
  const std::string scen = R"(name: s
duration: 60s
seed: 1
client: {timeout: 10s}
metrics: {window: 1s}
load:
  - {service: imap, rate: 10/s}
population:
  mailboxes: 1000
  per_mailbox_per_day: {smtp: 150}
faults:
  - {at: 10s, crash: {node: mail-1}}
expect:
  - availability >= 99%
)";
  struct Case {
    const char* arg;
    const char* path;
    const char* check;  // the edited node, read back
    const char* value;
  };
  for (const Case& c : {Case{"load.imap.rate=20/s", "load.imap.rate", "load.0.rate", "20/s"},
                        Case{"population.mailboxes=2000", "population.mailboxes", "population.mailboxes", "2000"},
                        Case{"population.per_mailbox_per_day.smtp=300", "population.per_mailbox_per_day.smtp",
                             "population.per_mailbox_per_day.smtp", "300"},
                        Case{"faults.0.at=20s", "faults.0.at", "faults.0.at", "20s"},
                        Case{"client.timeout=5s", "client.timeout", "client.timeout", "5s"},
                        Case{"metrics.window=2s", "metrics.window", "metrics.window", "2s"},
                        Case{"duration=120s", "duration", "duration", "120s"},
                        Case{"seed=7", "seed", "seed", "7"},
                        Case{"expect.0=availability >= 90%", "expect.0", "expect.0", "availability >= 90%"}}) {
    SCOPED_TRACE(c.arg);
    auto a = parse_axis(c.arg, "--set");
    EXPECT_FALSE(a.topology);
    EXPECT_EQ(a.path, c.path);
    YAML::Node edited = YAML::Load(yaml_set(scen, a.path, a.values[0], "--set"));
    std::string check = c.check;
    YAML::Node n = edited;
    for (size_t start = 0;;) {
      size_t dot = check.find('.', start);
      std::string seg = check.substr(start, dot - start);
      n.reset(seg.find_first_not_of("0123456789") == std::string::npos ? n[std::stoi(seg)] : n[seg]);
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    EXPECT_EQ(n.as<std::string>(), c.value);
  }
  // And each topology family needs no `topology.` prefix; name/description need one.
  for (const char* t : {"network.nic_latency=1ms", "nodes.mail-1.cores=8", "components.mail.params.workers=4",
                        "services.imap.steps.0.cpu=1ms"})
    EXPECT_TRUE(parse_axis(t, "--set").topology) << t;
  EXPECT_THROW(parse_axis("description=x", "--set"), core::InputError);
}

nlohmann::json fake_run(double avail, double p99_ms) {
  return {{"services", {{"imap", {{"requests", 100}, {"ok", 100 * avail}, {"availability", avail}, {"outage_max_s", 0.0},
                                  {"latency_ms", {{"p50", 1.0}, {"p99", p99_ms}}}}}}}};
}

std::vector<config::Expectation> slo_of(const std::string& text) { return config::parse_expectation_list(text, "--slo"); }

// The sweep's SLO is the expectation grammar, judged by its one evaluator: the item says
// whether the run meets it and, when not, why.
TEST(Sweep, SloIsAListOfExpectations) {
  auto slo = slo_of("availability>=99%, p99(imap) <= 800ms");
  ASSERT_EQ(slo.size(), 2u);
  EXPECT_TRUE(slo[0].every_service());
  EXPECT_EQ(slo[1].subject, "imap");
  auto judged = [&](double avail, double p99) {
    auto run = fake_run(avail, p99);
    return sweep_item(0, {"1/s"}, 0, 1, &run, slo, "");
  };
  EXPECT_TRUE(judged(0.999, 500)["slo"].get<bool>());
  auto slow = judged(0.999, 900);
  EXPECT_FALSE(slow["slo"].get<bool>());
  EXPECT_EQ(slow["why"], "p99(imap) <= 800ms (measured 900ms)");
  auto lossy = judged(0.98, 500);
  EXPECT_EQ(lossy["why"], "imap: availability>=99% (measured 98.0000%)");
  // Without an SLO, the run's own verdicts decide.
  auto run = fake_run(0.5, 500);
  EXPECT_TRUE(sweep_item(0, {"1/s"}, 0, 1, &run, {}, "")["slo"].get<bool>());
  run["expectations"] = {{{"text", "failed(imap) == 0"}, {"pass", false}}};
  auto own = sweep_item(0, {"1/s"}, 0, 1, &run, {}, "");
  EXPECT_FALSE(own["slo"].get<bool>());
  EXPECT_EQ(own["why"], "failed(imap) == 0");
  EXPECT_THROW(slo_of("latency<=1s"), core::InputError);
}

// Issue 15 item 4: the knee of a population sweep says it in mailboxes and requests/s
// (the knee point's measured throughput) and names what saturated there, from the runs'
// `bottleneck` (the knee point's, else the first failure's).
TEST(Sweep, TheKneeHasUnitsAndTheResourceThatSaturated) {
  auto slo = slo_of("p99(imap)<=800ms");
  nlohmann::json set = {{"kind", "sweep"}, {"topology", "t"}, {"scenario", "s"}, {"reps", 1}, {"slo", "x"},
                        {"knee_axis", 0}, {"inputs", "h"}, {"total", 3},
                        {"axes", {{{"path", "population.mailboxes"}, {"values", {"80000", "160000", "320000"}}}}}};
  std::vector<nlohmann::json> items;
  const double p99[3] = {100, 300, 2000};
  for (size_t i = 0; i < 3; ++i) {
    auto run = fake_run(1.0, p99[i]);
    run["manifest"] = {{"scenario", {{"duration_s", 50.0}}}};  // 100 requests in 50 s: 2/s
    run["bottleneck"] = i == 0 ? nlohmann::json(nullptr)
                               : nlohmann::json({{"name", "mail-1.cpu"}, {"kind", "cpu"},
                                                 {"peak_utilisation", i == 1 ? 0.93 : 1.0}, {"utilisation", 0.9}});
    items.push_back(sweep_item(i, {set["axes"][0]["values"][i]}, 0, 1, &run, slo, ""));
  }
  auto res = sweep_finalize(set, items);
  const auto& k = res["knees"][0];
  EXPECT_EQ(k["knee"], "160000");
  EXPECT_DOUBLE_EQ(k["knee_rps"].get<double>(), 2.0);
  EXPECT_EQ(k["bottleneck"]["name"], "mail-1.cpu");
  EXPECT_NE(reports::sweep_table(res).find("knee of population.mailboxes: 160000 [160k mailboxes, 2 requests/s; "
                                           "mail-1.cpu saturated (cpu peak 93%)] (first failure at 320000"),
            std::string::npos)
      << reports::sweep_table(res);
  EXPECT_NE(reports::sweep_html(res).find("160k mailboxes, 2 requests/s; mail-1.cpu saturated (cpu peak 93%)"),
            std::string::npos);
}

TEST(Sweep, SloAndKneePerOtherAxis) {
  auto slo = slo_of("availability>=99%,p99(imap)<=800ms");
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
  // The plot: per chart (imap's p99 and availability) one line per topology variant, the
  // knee circled where one was reached (small, at 2/s), the failing point ringed.
  std::string html = reports::sweep_html(res);
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t p = html.find(what); p != std::string::npos; p = html.find(what, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<svg"), 2u);
  EXPECT_EQ(count("<path class=\"series s0\""), 2u);  // small
  EXPECT_EQ(count("<path class=\"series s1\""), 2u);  // big
  EXPECT_EQ(count("<title>topology.x=small</title>"), 2u);
  EXPECT_EQ(count("<circle class=\"pt "), 2u * 8);
  EXPECT_EQ(count("<circle class=\"pt s0 fail\""), 2u);
  EXPECT_EQ(count("<circle class=\"knee\""), 2u);
  EXPECT_NE(html.find("<title>knee of topology.x=small: 2/s</title>"), std::string::npos);
  EXPECT_EQ(html, reports::sweep_html(res));
}

// Issue 16's sweep page: a geometric sweep on a log axis with readable ticks, a results
// table, and a point ringed red only in the charts of the service that broke the SLO.
TEST(Sweep, HtmlLogAxisForGeometricValuesResultsTableAndPerServiceMarks) {
  auto slo = slo_of("p99(imap)<=800ms");
  nlohmann::json set = {{"kind", "sweep"}, {"topology", "t"}, {"scenario", "s"}, {"reps", 1}, {"slo", "x"},
                        {"knee_axis", 0}, {"inputs", "h"}, {"total", 4},
                        {"axes", {{{"path", "params.x"}, {"values", {"1000", "10000", "100000", "1000000"}}}}}};
  std::vector<nlohmann::json> items;
  for (int r = 0; r < 4; ++r) {
    auto run = fake_run(1.0, r == 3 ? 900 : 100);  // imap breaks the SLO at 1000000
    run["services"]["smtp"] = run["services"]["imap"];
    run["services"]["smtp"]["latency_ms"]["p99"] = 100;
    items.push_back(sweep_item(static_cast<size_t>(r), {set["axes"][0]["values"][r]}, 0, 1, &run, slo, ""));
  }
  EXPECT_EQ(items[3]["slo_services"], nlohmann::json::array({"imap"}));
  auto res = sweep_finalize(set, items);
  std::string html = reports::sweep_html(res);
  EXPECT_EQ(html.find("e+0"), std::string::npos) << "ticks in scientific notation";
  EXPECT_NE(html.find(">1M</text>"), std::string::npos);
  // Log scale: 1000, 10000, 100000 equally spaced, not crammed into the first 10%.
  auto x_of = [&](const std::string& v) {
    const size_t p = html.find("<title>" + v + ": p99 latency (ms)");
    const size_t c = html.rfind("cx=\"", p);
    return std::stod(html.substr(c + 4));
  };
  const double a = x_of("1000"), b = x_of("10000"), c = x_of("100000"), d = x_of("1000000");
  EXPECT_NEAR(b - a, c - b, 0.2);
  EXPECT_NEAR(c - b, d - c, 0.2);
  // Per service: the failing point is ringed in imap's two charts only.
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t p = html.find(what); p != std::string::npos; p = html.find(what, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<circle class=\"pt s0 fail\""), 2u);
  const size_t smtp = html.find("<h2 id=\"svc-smtp\">"), results = html.find("<h2 id=\"results\">");
  ASSERT_LT(smtp, results);
  EXPECT_EQ(html.substr(smtp, results - smtp).find("pt s0 fail"), std::string::npos) << "a ring in smtp's charts";
  // The results table: one row per point, the verdict and the service that broke it.
  EXPECT_NE(html.find("<h2 id=\"results\">"), std::string::npos);
  EXPECT_EQ(count("<td class=\"pass\">pass</td>"), 3u);
  EXPECT_EQ(count("<td class=\"fail\">FAIL: p99(imap)&lt;=800ms (measured 900ms)</td>"), 1u);
  EXPECT_EQ(count("<td class=\"n fail\">900.0</td>"), 1u);
}

// ---- Latin hypercube ----

// The stratum of a value on [lo, hi] cut in n (of log(value) for a log axis), computed
// here independently of lhs_stratum.
size_t stratum_of(double v, double lo, double hi, size_t n, bool log) {
  if (log) {
    v = std::log(v);
    lo = std::log(lo);
    hi = std::log(hi);
  }
  return std::min(n - 1, static_cast<size_t>(std::floor((v - lo) / (hi - lo) * static_cast<double>(n))));
}

TEST(Lhs, RangesParse) {
  auto r = parse_range("load.imap.rate=50/s..800/s", "--range");
  EXPECT_FALSE(r.topology);
  EXPECT_EQ(r.lo, 50);
  EXPECT_EQ(r.hi, 800);
  EXPECT_EQ(r.unit, "/s");
  EXPECT_FALSE(r.integer);
  EXPECT_FALSE(r.log);
  auto i = parse_range("nodes.mail-1.cores=2..16", "--range");
  EXPECT_TRUE(i.topology);
  EXPECT_TRUE(i.integer);
  auto l = parse_range("scenario.client.timeout=10s..30s:log", "--range");
  EXPECT_TRUE(l.log);
  EXPECT_EQ(l.unit, "s");
  EXPECT_THROW(parse_range("load.0.rate=50/s..800", "--range"), core::InputError);   // units differ
  EXPECT_THROW(parse_range("load.0.rate=800/s..50/s", "--range"), core::InputError);  // LO >= HI
  EXPECT_THROW(parse_range("load.0.rate=0/s..50/s:log", "--range"), core::InputError);
  EXPECT_THROW(parse_range("nodes.a.cores=1..8:log", "--range"), core::InputError);  // log of an integer axis
  EXPECT_THROW(parse_range("load.0.rate=50/s", "--range"), core::InputError);
  EXPECT_THROW(parse_range("bogus.x=1..2", "--range"), core::InputError);
}

TEST(Lhs, EveryStratumOfEveryAxisHoldsExactlyOnePoint) {
  std::vector<RangeAxis> axes = {parse_range("load.imap.rate=50/s..800/s", "r"),
                                 parse_range("client.timeout=10s..30s:log", "r"),
                                 parse_range("services.imap.steps.1.cpu=0.5ms..120ms:log", "r")};
  for (size_t n : {1u, 2u, 7u, 10u, 64u, 500u}) {
    auto d = lhs_design(axes, n, 42);
    ASSERT_EQ(d.size(), n);
    for (size_t a = 0; a < axes.size(); ++a) {
      std::vector<int> hits(n, 0);
      for (const auto& pt : d) {
        double v;
        std::string unit;
        ASSERT_TRUE(value_number(pt[a], &v, &unit)) << pt[a];
        EXPECT_EQ(unit, axes[a].unit) << pt[a];
        EXPECT_GE(v, axes[a].lo);
        EXPECT_LE(v, axes[a].hi);
        ++hits[stratum_of(v, axes[a].lo, axes[a].hi, n, axes[a].log)];
      }
      for (size_t s = 0; s < n; ++s) EXPECT_EQ(hits[s], 1) << "axis " << a << " stratum " << s << " of " << n;
    }
  }
}

TEST(Lhs, SeededAndIndependentOfTheOtherAxes) {
  std::vector<RangeAxis> axes = {parse_range("load.imap.rate=50/s..800/s", "r"), parse_range("nodes.a.cores=1..64", "r")};
  EXPECT_EQ(lhs_design(axes, 20, 7), lhs_design(axes, 20, 7));
  EXPECT_NE(lhs_design(axes, 20, 7), lhs_design(axes, 20, 8));
  // An axis's column depends on the seed and its path, not on the other axes.
  auto alone = lhs_design({axes[0]}, 20, 7);
  auto both = lhs_design(axes, 20, 7);
  for (size_t i = 0; i < 20; ++i) EXPECT_EQ(alone[i][0], both[i][0]);
  // Short texts: 4 significant digits unless the stratum needs more.
  for (const auto& pt : both) EXPECT_LE(pt[0].size(), 9u) << pt[0];
}

TEST(Lhs, IntegerAxesStayIntegers) {
  // At least as many integers as points: one integer per stratum of [lo, hi + 1).
  auto wide = parse_range("nodes.a.cores=1..64", "r");
  auto d = lhs_design({wide}, 16, 3);
  std::vector<int> hits(16, 0);
  for (const auto& pt : d) {
    ASSERT_EQ(pt[0].find_first_not_of("0123456789"), std::string::npos) << pt[0];
    int v = std::stoi(pt[0]);
    ASSERT_GE(v, 1);
    ASSERT_LE(v, 64);
    ++hits[static_cast<size_t>((v - 1) / 4)];  // strata of 4 integers
  }
  for (int h : hits) EXPECT_EQ(h, 1);
  // Fewer integers (3) than points (8): each integer gets floor(8/3) or ceil(8/3) points.
  auto narrow = parse_range("nodes.a.cores=2..4", "r");
  std::map<std::string, int> count;
  for (const auto& pt : lhs_design({narrow}, 8, 3)) ++count[pt[0]];
  ASSERT_EQ(count.size(), 3u);
  for (const auto& [v, c] : count) {
    EXPECT_GE(c, 2) << v;
    EXPECT_LE(c, 3) << v;
  }
}

TEST(Lhs, SafeLimitAlongOneAxisWithTheOthersFree) {
  // Knee axis 1 (rate); axis 0 a grid axis (two variants); axis 2 another range (free).
  nlohmann::json set = {{"kind", "sweep"}, {"design", "lhs"}, {"topology", "t"}, {"scenario", "s"}, {"reps", 1},
                        {"slo", "p99<=800ms"}, {"knee_axis", 1}, {"inputs", "h"}, {"total", 8},
                        {"lhs", {{"points", 4}, {"seed", 1}}},
                        {"axes", {{{"path", "topology.x"}, {"kind", "grid"}, {"values", {"small", "big"}}},
                                  {{"path", "load.0.rate"}, {"kind", "lhs"}, {"lo", 1}, {"hi", 5}, {"unit", "/s"}},
                                  {{"path", "client.timeout"}, {"kind", "lhs"}, {"lo", 1}, {"hi", 5}, {"unit", "s"}}}}};
  auto slo = slo_of("p99<=800ms");
  // Points in design order (not sorted by rate): small fails at 3.5/s but passes again at
  // 4.5/s (other axis favourable); big passes everywhere.
  const char* rates[4] = {"4.5/s", "1.5/s", "3.5/s", "2.5/s"};
  const double small_p99[4] = {100, 100, 900, 100};
  std::vector<nlohmann::json> items;
  size_t i = 0;
  for (int g = 0; g < 2; ++g)
    for (int p = 0; p < 4; ++p) {
      auto run = fake_run(1.0, g == 0 ? small_p99[p] : 100);
      items.push_back(sweep_item(i++, {g == 0 ? "small" : "big", rates[p], "2s"}, 0, 1, &run, slo, ""));
    }
  auto res = sweep_finalize(set, items);
  ASSERT_EQ(res["knees"].size(), 2u);
  const auto& small = res["knees"][0];
  EXPECT_EQ(small["others"], nlohmann::json({"small"}));
  EXPECT_EQ(small["safe_up_to"], "2.5/s");  // every point at or below 2.5/s passes
  EXPECT_EQ(small["first_failure"], "3.5/s");
  EXPECT_EQ(small["highest_pass"], "4.5/s");
  EXPECT_EQ(small["highest_pass_point"]["client.timeout"], "2s");
  EXPECT_TRUE(small["reached"].get<bool>());
  EXPECT_EQ(small["passed"], 3);
  EXPECT_FALSE(res["knees"][1]["reached"].get<bool>());
  EXPECT_EQ(res["knees"][1]["safe_up_to"], "4.5/s");
  EXPECT_NE(reports::sweep_table(res).find("safe limit of load.0.rate at small"), std::string::npos) << reports::sweep_table(res);
}

TEST(Explore, FaultSetsBySizeThenOrder) {
  auto s = fault_sets(4, 2);
  ASSERT_EQ(s.size(), 1u + 4 + 6);
  EXPECT_TRUE(s[0].empty());
  EXPECT_EQ(s[1], (std::vector<int>{0}));
  EXPECT_EQ(s[5], (std::vector<int>{0, 1}));
  EXPECT_EQ(s[10], (std::vector<int>{2, 3}));
}


// A run of 10 one-second windows of 10 requests; `tail_ok` of them succeed in each of the
// last 4 (the tail), every one before.
nlohmann::json explore_run(int tail_ok) {
  nlohmann::json req = nlohmann::json::array(), ok = nlohmann::json::array();
  for (int w = 0; w < 10; ++w) {
    req.push_back(10);
    ok.push_back(w >= 6 ? tail_ok : 10);
  }
  int failed = 4 * (10 - tail_ok);
  return {{"services", {{"svc", {{"requests", 100}, {"failed", failed}, {"availability", (100 - failed) / 100.0},
                                  {"outage_max_s", failed > 0 ? 2.0 : 0.0},
                                  {"series", {{"window_s", 1}, {"requests", req}, {"ok", ok}}}}}}}};
}

// Runs of 10 s, crashes of up to 2 nodes at 3 s, a 4 s tail, one service "svc".
ExploreSpec small_spec(const std::vector<std::string>& nodes) {
  ExploreSpec spec;
  spec.topology_name = "t";
  spec.nodes = nodes;
  spec.services = {"svc"};
  spec.base_name = "s";
  spec.duration_s = 10;
  spec.max_faults = 2;
  spec.at_s = 3;
  spec.tail_s = 4;
  return spec;
}

// One item per fault set of `spec`, each from a run with the tail ok count given per set.
std::vector<nlohmann::json> explore_items(const ExploreSpec& spec,
                                          const std::map<std::vector<std::string>, int>& tail) {
  std::vector<nlohmann::json> items;
  auto sets = fault_sets(static_cast<int>(spec.nodes.size()), spec.max_faults);
  for (size_t k = 0; k < sets.size(); ++k) {
    std::vector<std::string> nodes;
    for (int i : sets[k]) nodes.push_back(spec.nodes[static_cast<size_t>(i)]);
    auto run = explore_run(tail.at(nodes));
    items.push_back(explore_item(spec, k, nodes, &run, ""));
  }
  return items;
}

TEST(Explore, AgreementWithAnalyzeSeparatesExpectedDifferences) {
  ExploreSpec spec = small_spec({"a", "b", "c", "d"});
  nlohmann::json set = explore_set(spec, "h");
  // analyze: {a} (explore will measure it degraded: a partial loss), {b, c}, {c, d}.
  set["analysis"] = {{"services", {{"svc", {{"min_cut_sets", {{"a"}, {"b", "c"}, {"d", "c"}, {"a", "b", "c"}}}}}}}};
  // Measured tail ok per 10: a 7 (degraded), b/c/d 10; pairs: with a: 2 (down, contains {a});
  // {b,c} 0 (down: agree); {b,d} 0 (down: only in explore); {c,d} 10 (only in analyze).
  std::map<std::vector<std::string>, int> tail = {{{}, 10},         {{"a"}, 7},       {{"b"}, 10},     {{"c"}, 10},
                                                  {{"d"}, 10},      {{"a", "b"}, 2},  {{"a", "c"}, 2}, {{"a", "d"}, 2},
                                                  {{"b", "c"}, 0},  {{"b", "d"}, 0},  {{"c", "d"}, 10}};
  auto items = explore_items(spec, tail);
  auto r = explore_finalize(set, items);
  const auto& a = r["agreement"]["services"]["svc"];
  EXPECT_FALSE(a["agree"].get<bool>()) << a.dump(1);
  EXPECT_EQ(a["spofs_analyze"], nlohmann::json({"a"}));
  EXPECT_EQ(a["spofs_explore"], nlohmann::json::array());
  EXPECT_EQ(a["only_in_explore"], nlohmann::json({{{"nodes", {"b", "d"}}, {"explore_impact", "down"}}})) << a.dump(1);
  EXPECT_EQ(a["only_in_analyze"], nlohmann::json({{{"nodes", {"c", "d"}}, {"explore_impact", "none"}}})) << a.dump(1);
  // Expected: {a} (degraded) and the down pairs that contain it; the size-3 cut is beyond K.
  std::vector<nlohmann::json> expected;
  for (const auto& e : a["expected_differences"]) expected.push_back(e["nodes"]);
  EXPECT_EQ(expected, (std::vector<nlohmann::json>{{"a"}, {"a", "b"}, {"a", "c"}, {"a", "d"}})) << a.dump(1);
  EXPECT_EQ(a["not_compared"]["degraded"], nlohmann::json({"a"}));
  EXPECT_NE(reports::explore_table(r, 3).find("svc: DISAGREE"), std::string::npos);
  // Without the two honest disagreements it agrees.
  set["analysis"]["services"]["svc"]["min_cut_sets"] = {{"a"}, {"b", "c"}, {"b", "d"}};
  tail[{"c", "d"}] = 0;
  items = explore_items(spec, tail);
  // {c, d} is now down in explore but not a cut for analyze.
  r = explore_finalize(set, items);
  EXPECT_EQ(r["agreement"]["services"]["svc"]["only_in_explore"].size(), 1u);
  set["analysis"]["services"]["svc"]["min_cut_sets"] = {{"a"}, {"b", "c"}, {"b", "d"}, {"c", "d"}};
  r = explore_finalize(set, items);
  EXPECT_TRUE(r["agreement"]["services"]["svc"]["agree"].get<bool>()) << r["agreement"].dump(1);
  EXPECT_NE(reports::explore_table(r, 3).find("svc: agree"), std::string::npos);
  // A set without `analysis` (an older shard file) has no agreement section.
  set.erase("analysis");
  EXPECT_FALSE(explore_finalize(set, items).contains("agreement"));
}

// explore --slo judges every run with the expectation evaluator and lists, in run order,
// the crashes that break the SLO; without --slo neither the set nor the result changes.
TEST(Explore, SloListsTheCrashesThatBreakIt) {
  ExploreSpec spec = small_spec({"a", "b"});
  const nlohmann::json plain_set = explore_set(spec, "h");
  EXPECT_FALSE(plain_set.contains("slo"));
  spec.slo_text = "availability >= 90%";
  spec.slo = config::parse_expectation_list(spec.slo_text, "--slo");
  nlohmann::json set = explore_set(spec, "h");
  EXPECT_EQ(set["slo"], "availability >= 90%");
  // Tail ok per 10: baseline and {a} 10 (availability 1), {b} 8 (0.92), {a,b} 0 (0.6).
  const std::map<std::vector<std::string>, int> tail = {{{}, 10}, {{"a"}, 10}, {{"b"}, 8}, {{"a", "b"}, 0}};
  auto items = explore_items(spec, tail);
  auto r = explore_finalize(set, items);
  EXPECT_EQ(r["slo"]["runs"], 4);
  EXPECT_EQ(r["slo"]["holds"], 3);
  ASSERT_EQ(r["slo"]["broken_by"].size(), 1u) << r["slo"].dump(1);
  EXPECT_EQ(r["slo"]["broken_by"][0]["nodes"], nlohmann::json({"a", "b"}));
  EXPECT_EQ(r["slo"]["broken_by"][0]["why"], "svc: availability >= 90% (measured 60.0000%)");
  EXPECT_FALSE(r["runs"][3]["slo"].get<bool>());
  EXPECT_TRUE(r["runs"][2]["slo"].get<bool>());
  EXPECT_NE(reports::explore_table(r, 3).find("SLO availability >= 90%: holds in 3 of 4 runs; broken by:\n"
                                     "  {a+b}: svc: availability >= 90% (measured 60.0000%)\n"),
            std::string::npos)
      << reports::explore_table(r, 3);
  for (auto& it : items) it.erase("slo");
  EXPECT_FALSE(explore_finalize(plain_set, items).contains("slo"));
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
  std::string whole = finalize_set(set, prefix).dump(1);
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
