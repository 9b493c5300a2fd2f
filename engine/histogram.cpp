#include "engine/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace mailsim::engine {

namespace {
const double kLogGrowth = std::log(Histogram::kGrowth);
const size_t kBuckets = static_cast<size_t>(std::ceil(std::log(Histogram::kMax / Histogram::kMin) / kLogGrowth)) + 1;
}  // namespace

Histogram::Histogram() : buckets_(kBuckets, 0) {}

size_t Histogram::bucket_of(double v) const {
  if (v <= kMin) return 0;
  size_t i = static_cast<size_t>(std::log(v / kMin) / kLogGrowth);
  return std::min(i, kBuckets - 1);
}

void Histogram::add(double seconds) {
  if (!(seconds >= 0)) seconds = 0;  // NaN or negative cannot come from the clock; keep sane
  ++buckets_[bucket_of(seconds)];
  min_ = count_ == 0 ? seconds : std::min(min_, seconds);
  max_ = std::max(max_, seconds);
  sum_ += seconds;
  ++count_;
}

void Histogram::merge(const Histogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
  count_ += other.count_;
}

double Histogram::quantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      double mid = kMin * std::pow(kGrowth, static_cast<double>(i) + 0.5);
      if (i == 0) mid = min_;  // everything below 1 us: the exact minimum is there
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

}  // namespace mailsim::engine
