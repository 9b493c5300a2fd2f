// Expectations (`expect:` in a scenario): the typed form of each metric, and the exact
// file:line:col of the offending character for every kind of mistake, in plain and quoted
// YAML scalars.
#include "config/expectation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "config/scenario.hpp"

using namespace mailsim;
using namespace mailsim::config;

namespace {

const std::string kHead = "name: m\nduration: 1h\nclient: {timeout: 5s}\nload: []\nexpect:\n";

std::string error_of(const std::string& text) {
  try {
    parse_scenario(text, "s.yaml");
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "";
}

// `marked` holds one '^' just before the character the error must point at.
testing::AssertionResult fails_at(const std::string& marked, const std::string& message) {
  std::string text = kHead + marked;
  auto at = text.find('^');
  text.erase(at, 1);
  size_t newline = text.rfind('\n', at - 1);
  size_t col = at - newline;
  size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  std::string expect = "s.yaml:" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
  std::string got = error_of(text);
  if (got == expect) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "\n  got:    " << got << "\n  wanted: " << expect;
}

}  // namespace

TEST(Expectation, ParsesEachUnit) {
  Scenario s = parse_scenario(kHead +
                                  "  - availability(smtp) >= 99.9%\n"
                                  "  - p99(imap) < 800ms\n"
                                  "  - outage_max(smtp) <= 45s\n"
                                  "  - failover_time(front_lb) <= 40s\n"
                                  "  - lost_acknowledged_messages == 0\n"
                                  "  - violations(single_writable_primary) == 0\n"
                                  "  - \"failed( smtp )!=3\"\n"
                                  "  - error_rate(imap) < 0.001\n",
                              "s.yaml");
  ASSERT_EQ(s.expectations.size(), 8u);
  const auto& a = s.expectations[0];
  EXPECT_EQ(a.metric, "availability");
  EXPECT_EQ(a.subject, "smtp");
  EXPECT_EQ(a.op, CompareOp::kGe);
  EXPECT_DOUBLE_EQ(a.threshold, 0.999);
  EXPECT_EQ(a.unit, MetricUnit::kFraction);
  EXPECT_EQ(a.text, "availability(smtp) >= 99.9%");
  EXPECT_EQ(a.mark.line, 6);
  EXPECT_EQ(a.mark.col, 5);
  EXPECT_EQ(a.subject_mark.col, 18);
  EXPECT_DOUBLE_EQ(s.expectations[1].threshold, 0.8);
  EXPECT_EQ(s.expectations[1].op, CompareOp::kLt);
  EXPECT_EQ(s.expectations[1].unit, MetricUnit::kSeconds);
  EXPECT_DOUBLE_EQ(s.expectations[2].threshold, 45);
  EXPECT_EQ(s.expectations[3].subject, "front_lb");
  EXPECT_EQ(s.expectations[4].subject, "");
  EXPECT_EQ(s.expectations[4].metric_text(), "lost_acknowledged_messages");
  EXPECT_EQ(s.expectations[4].op, CompareOp::kEq);
  EXPECT_EQ(s.expectations[5].subject, "single_writable_primary");
  EXPECT_EQ(s.expectations[6].subject, "smtp");
  EXPECT_EQ(s.expectations[6].op, CompareOp::kNe);
  EXPECT_DOUBLE_EQ(s.expectations[6].threshold, 3);
  EXPECT_EQ(s.expectations[6].metric_text(), "failed(smtp)");
  EXPECT_DOUBLE_EQ(s.expectations[7].threshold, 0.001);
}

TEST(Expectation, NoExpectListMeansNone) {
  EXPECT_TRUE(parse_scenario(kHead.substr(0, kHead.size() - 8), "s.yaml").expectations.empty());
}

TEST(Expectation, CompareOperators) {
  EXPECT_TRUE(compare(1, CompareOp::kLt, 2));
  EXPECT_FALSE(compare(2, CompareOp::kLt, 2));
  EXPECT_TRUE(compare(2, CompareOp::kLe, 2));
  EXPECT_TRUE(compare(3, CompareOp::kGt, 2));
  EXPECT_TRUE(compare(2, CompareOp::kGe, 2));
  EXPECT_TRUE(compare(0, CompareOp::kEq, 0));
  EXPECT_FALSE(compare(0, CompareOp::kNe, 0));
}

TEST(Expectation, ErrorsPointAtTheOffendingCharacter) {
  EXPECT_TRUE(fails_at("  - ^outage_mx(imap) < 800ms\n", "unknown metric 'outage_mx' in an expectation (did you mean 'outage_max'?)"));
  EXPECT_TRUE(fails_at("  - ^availablity(smtp) >= 99%\n",
                       "unknown metric 'availablity' in an expectation (did you mean 'availability'?)"));
  EXPECT_TRUE(fails_at("  - p99(imap) < ^800\n", "'800' is not a duration: a unit is required (us, ms, s, m, h, d)"));
  EXPECT_TRUE(fails_at("  - p99(imap) ^=> 800ms\n", "'=>' is not an operator: write >="));
  EXPECT_TRUE(fails_at("  - p99(imap) ^= 800ms\n", "'=' is not an operator: write == to compare"));
  EXPECT_TRUE(fails_at("  - p99(imap) ^~ 800ms\n", "expected an operator: <, <=, >, >=, == or !="));
  EXPECT_TRUE(fails_at("  - availability(smtp) >= ^101%\n", "'101%' is not a fraction: must be at most 100%"));
  EXPECT_TRUE(fails_at("  - failover_time^ <= 5s\n", "metric 'failover_time' needs a COMPONENT: write failover_time(COMPONENT)"));
  // sweep's former SLO syntax gets the new spelling.
  EXPECT_TRUE(fails_at("  - ^imap.p99 < 800ms\n", "'imap.p99' is not an expectation's metric: write p99(imap)"));
  EXPECT_TRUE(fails_at("  - availability(smtp ^>= 99%\n", "expected ')' after 'smtp'"));
  EXPECT_TRUE(fails_at("  - failed(^) == 0\n", "metric 'failed' needs a SERVICE between the parentheses"));
  EXPECT_TRUE(fails_at("  - failed(smtp) == 1.5^x\n", "'1.5x' is not a count: failed(smtp) is a plain number, without a unit"));
  EXPECT_TRUE(fails_at("  - failed(smtp) ==^\n", "a value must follow '=='"));
  EXPECT_TRUE(fails_at("  - failed(smtp)^\n", "'failed(smtp)' needs an operator and a value, e.g. failed(smtp) >= ..."));
  EXPECT_TRUE(fails_at("  - \"^(smtp) > 1\"\n", "'(smtp) > 1' is not an expectation: write METRIC OP VALUE, e.g. availability(smtp) >= 99.9%"));
  // Quoted: the column skips the opening quote.
  EXPECT_TRUE(fails_at("  - \"p99(imap) < ^800\"\n", "'800' is not a duration: a unit is required (us, ms, s, m, h, d)"));
  EXPECT_TRUE(fails_at("  - 'failed(smtp) ^=< 1'\n", "'=<' is not an operator: write <="));
  // Not a string, not a list.
  EXPECT_TRUE(fails_at("  - ^{a: 1}\n", "expected a string, found a map"));
  EXPECT_EQ(error_of("name: m\nduration: 1h\nclient: {timeout: 5s}\nload: []\nexpect: p99(imap) < 1s\n"),
            "s.yaml:5:9: expect must be a list, not a scalar");
}

// A per-service metric without its service applies to every service (the form sweep's SLO
// terms had); a metric whose argument names something else still needs it.
TEST(Expectation, PerServiceMetricWithoutServiceMeansEveryService) {
  Scenario s = parse_scenario(kHead + "  - availability >= 99.9%\n  - p99<800ms\n  - lost_acknowledged_messages == 0\n",
                              "s.yaml");
  ASSERT_EQ(s.expectations.size(), 3u);
  EXPECT_TRUE(s.expectations[0].every_service());
  EXPECT_EQ(s.expectations[0].metric_text(), "availability");
  EXPECT_TRUE(s.expectations[1].every_service());
  EXPECT_DOUBLE_EQ(s.expectations[1].threshold, 0.8);
  EXPECT_FALSE(s.expectations[2].every_service());  // the run's total, as before
  EXPECT_FALSE(parse_scenario(kHead + "  - p99(imap) < 1s\n", "s.yaml").expectations[0].every_service());
}

// The command-line form (sweep and explore --slo): comma-separated, spaces ignored, errors
// at the column of the option's text.
TEST(Expectation, ListFromTheCommandLine) {
  auto l = parse_expectation_list("availability>=99%, p99(imap) <= 2s ,outage_max(smtp)<=5s", "--slo");
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0].text, "availability>=99%");
  EXPECT_EQ(l[1].text, "p99(imap) <= 2s");
  EXPECT_EQ(l[1].subject_mark.col, 24);
  EXPECT_EQ(l[2].metric_text(), "outage_max(smtp)");
  EXPECT_TRUE(parse_expectation_list("", "--slo").empty());
  auto error = [](const std::string& text) {
    try {
      parse_expectation_list(text, "--slo");
    } catch (const core::InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error("p99<=2s,p99(imap) < 800"), "--slo:1:21: '800' is not a duration: a unit is required (us, ms, s, m, h, d)");
  EXPECT_EQ(error("p99<=2s,,p99>1ms"), "--slo:1:9: an empty expectation: write METRIC OP VALUE between the commas, e.g. p99 < 800ms");
  EXPECT_EQ(error("imap.availability>=99%"), "--slo:1:1: 'imap.availability' is not an expectation's metric: write availability(imap)");
  EXPECT_EQ(error("latency<=1s").rfind("--slo:1:1: unknown metric 'latency'", 0), 0u) << error("latency<=1s");
}
