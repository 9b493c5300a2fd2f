// Distributions of time as written in a service step's `cpu`: the three forms, their
// errors, their text round trip and their sample means.
#include "core/distribution.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace mailsim::core;

namespace {

std::string distribution_error(const std::string& text) {
  try {
    parse_distribution(text);
  } catch (const UnitError& e) {
    return e.message;
  }
  return "";
}

double sample_mean(const Distribution& d, int n) {
  RngStream rng(7, "distribution_test");
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += d.sample(rng);
  return sum / n;
}

}  // namespace

TEST(Distribution, Constant) {
  auto d = parse_distribution("5ms");
  EXPECT_EQ(d.kind, Distribution::Kind::kConstant);
  EXPECT_DOUBLE_EQ(d.mean, 0.005);
  EXPECT_DOUBLE_EQ(d.sigma, 0);
  RngStream rng(1, "x");
  EXPECT_DOUBLE_EQ(d.sample(rng), 0.005);
  EXPECT_DOUBLE_EQ(d.sample(rng), 0.005);
}

TEST(Distribution, Exponential) {
  auto d = parse_distribution("exponential 4ms");
  EXPECT_EQ(d.kind, Distribution::Kind::kExponential);
  EXPECT_DOUBLE_EQ(d.mean, 0.004);
}

TEST(Distribution, Lognormal) {
  auto d = parse_distribution("lognormal 5ms 0.8");
  EXPECT_EQ(d.kind, Distribution::Kind::kLognormal);
  EXPECT_DOUBLE_EQ(d.mean, 0.005);
  EXPECT_DOUBLE_EQ(d.sigma, 0.8);
  EXPECT_DOUBLE_EQ(parse_distribution("lognormal 1s 0").sigma, 0);
  EXPECT_DOUBLE_EQ(parse_distribution("lognormal 1s 10").sigma, 10);
}

TEST(Distribution, ExtraSpacesAreIgnored) {
  auto d = parse_distribution("  exponential   4ms ");
  EXPECT_EQ(d.kind, Distribution::Kind::kExponential);
  EXPECT_DOUBLE_EQ(d.mean, 0.004);
}

TEST(Distribution, DefaultIsZeroConstant) {
  Distribution d;
  RngStream rng(1, "x");
  EXPECT_EQ(d.kind, Distribution::Kind::kConstant);
  EXPECT_DOUBLE_EQ(d.sample(rng), 0);
  EXPECT_EQ(d.to_string(), "0s");
}

TEST(Distribution, Errors) {
  const std::string usage = "write '5ms', 'exponential 5ms' or 'lognormal 5ms 0.8'";
  EXPECT_EQ(distribution_error(""), "'' is not a distribution: " + usage);
  EXPECT_EQ(distribution_error("gaussian 5ms"), "'gaussian 5ms' is not a distribution: " + usage);
  EXPECT_EQ(distribution_error("exponential"),
            "'exponential' is not a duration: expected a number followed by a unit");
  EXPECT_EQ(distribution_error("exponential 5ms 2"),
            "'exponential 5ms 2' is not a distribution: " + usage);
  EXPECT_EQ(distribution_error("lognormal 5ms"), "'lognormal 5ms' is not a distribution: " + usage);
  EXPECT_EQ(distribution_error("exponential 5"),
            "'5' is not a duration: a unit is required (us, ms, s, m, h, d)");
  EXPECT_EQ(distribution_error("5"),
            "'5' is not a duration: a unit is required (us, ms, s, m, h, d)");
  EXPECT_EQ(distribution_error("-5ms"),
            "'-5ms' is not a duration: must be finite and not negative");
  const std::string sigma = " is not a lognormal sigma: a number in [0, 10]";
  EXPECT_EQ(distribution_error("lognormal 5ms -1"), "'-1'" + sigma);
  EXPECT_EQ(distribution_error("lognormal 5ms 11"), "'11'" + sigma);
  EXPECT_EQ(distribution_error("lognormal 5ms x"), "'x'" + sigma);
  EXPECT_EQ(distribution_error("lognormal 5ms 0.8x"), "'0.8x'" + sigma);
  EXPECT_EQ(distribution_error("lognormal 5ms nan"), "'nan'" + sigma);
  EXPECT_EQ(distribution_error("lognormal 5ms inf"), "'inf'" + sigma);
  EXPECT_EQ(distribution_error("lognormal 5 0.8"),
            "'5' is not a duration: a unit is required (us, ms, s, m, h, d)");
}

TEST(Distribution, ToStringRoundTrips) {
  for (const char* text : {"5ms", "exponential 4ms", "lognormal 5ms 0.8", "1.5s", "exponential 2m",
                           "lognormal 100us 1.25"}) {
    auto d = parse_distribution(text);
    EXPECT_EQ(d.to_string(), text);
    auto again = parse_distribution(d.to_string());
    EXPECT_EQ(again.kind, d.kind);
    EXPECT_DOUBLE_EQ(again.mean, d.mean);
    EXPECT_DOUBLE_EQ(again.sigma, d.sigma);
  }
}

TEST(Distribution, SampleMeans) {
  const int n = 200'000;
  EXPECT_NEAR(sample_mean(parse_distribution("exponential 4ms"), n), 0.004, 0.004 * 0.02);
  // lognormal_with_mean keeps the mean whatever sigma is.
  EXPECT_NEAR(sample_mean(parse_distribution("lognormal 5ms 0.5"), n), 0.005, 0.005 * 0.02);
  EXPECT_NEAR(sample_mean(parse_distribution("lognormal 5ms 0"), 1000), 0.005, 1e-12);
}

TEST(Distribution, SamplesAreNonNegative) {
  RngStream rng(3, "nonneg");
  for (const char* text : {"exponential 1ms", "lognormal 1ms 3"}) {
    auto d = parse_distribution(text);
    for (int i = 0; i < 20'000; ++i) {
      double x = d.sample(rng);
      ASSERT_GE(x, 0) << text;
      ASSERT_TRUE(std::isfinite(x)) << text;
    }
  }
}
