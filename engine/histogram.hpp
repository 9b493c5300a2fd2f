#pragma once
// A mergeable log-bucket latency histogram (DESIGN.md decision 7): bucket i holds values in
// [min * g^i, min * g^(i+1)) with g = 1.01, so any percentile it reports is within 1% of
// an exact one, and memory is fixed (about 20 KB) whatever the number of samples.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mailsim::engine {

class Histogram {
 public:
  static constexpr double kMin = 1e-6;      // 1 us: below this everything shares bucket 0
  static constexpr double kMax = 1e5;       // ~28 h: above this everything shares the last
  static constexpr double kGrowth = 1.01;   // relative width of one bucket

  Histogram();
  void add(double seconds);
  void merge(const Histogram& other);

  uint64_t count() const { return count_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0; }
  double max() const { return max_; }
  double min() const { return count_ ? min_ : 0; }
  // The q-quantile (0 <= q <= 1): the geometric middle of the bucket holding rank
  // ceil(q * count), clamped to the exact min and max seen.
  double quantile(double q) const;

 private:
  size_t bucket_of(double v) const;
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  double sum_ = 0;
  double min_ = 0;
  double max_ = 0;
};

}  // namespace mailsim::engine
