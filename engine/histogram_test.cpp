#include "engine/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/rng.hpp"

using mailsim::engine::Histogram;

namespace {
double exact_quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  size_t rank = std::max<size_t>(1, static_cast<size_t>(std::ceil(q * static_cast<double>(v.size()))));
  return v[rank - 1];
}
}  // namespace

TEST(Histogram, QuantilesWithinOnePercentOfExact) {
  mailsim::core::RngStream rng(42, "histogram");
  std::vector<double> samples;
  Histogram h;
  for (int i = 0; i < 100000; ++i) {
    double v = rng.lognormal_with_mean(0.01, 1.2);  // ~10 ms, heavy tail
    samples.push_back(v);
    h.add(v);
  }
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    double exact = exact_quantile(samples, q);
    EXPECT_NEAR(h.quantile(q), exact, exact * 0.01) << "q=" << q;
  }
  EXPECT_DOUBLE_EQ(h.max(), *std::max_element(samples.begin(), samples.end()));
  EXPECT_DOUBLE_EQ(h.min(), *std::min_element(samples.begin(), samples.end()));
  EXPECT_EQ(h.count(), 100000u);
}

TEST(Histogram, MergeEqualsAddingEverything) {
  mailsim::core::RngStream rng(7, "merge");
  Histogram a, b, all;
  for (int i = 0; i < 20000; ++i) {
    double v = rng.exponential(0.005);
    (i % 3 ? a : b).add(v);
    all.add(v);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  for (double q : {0.1, 0.5, 0.99}) EXPECT_DOUBLE_EQ(a.quantile(q), all.quantile(q));
  EXPECT_NEAR(a.mean(), all.mean(), 1e-12);
}

TEST(Histogram, EmptyAndExtremes) {
  Histogram h;
  EXPECT_EQ(h.quantile(0.5), 0);
  h.add(0);
  h.add(1e9);  // beyond the last bucket: clamped into it, max stays exact
  EXPECT_EQ(h.quantile(0.0), 0);
  EXPECT_EQ(h.max(), 1e9);
}
