#pragma once
// Seeded random streams. One stream per component instance (and per load generator),
// derived from the run seed and the stream's name, so adding a component does not shift
// the draws of the others (DESIGN.md decision 2). The generator (splitmix64 seeding a
// xoshiro256**) and the distributions are written here rather than taken from <random>,
// whose distributions are implementation-defined: the same seed must give the same
// draws with any standard library.
#include <cmath>
#include <cstdint>
#include <string_view>

namespace mailsim::core {

inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// FNV-1a, 64 bit: a stable hash of a stream name.
inline uint64_t stable_hash(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

class RngStream {
 public:
  RngStream() : RngStream(0, "") {}
  RngStream(uint64_t seed, std::string_view name) {
    uint64_t st = seed ^ stable_hash(name);
    for (auto& w : s_) w = splitmix64(st);
  }

  uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  bool bernoulli(double p) { return uniform() < p; }
  double exponential(double mean) { return -mean * std::log1p(-uniform()); }
  // Standard normal by Box-Muller (one of the pair is discarded to keep the stream simple).
  double normal() {
    double u1 = uniform(), u2 = uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Lognormal with the given mean and sigma of the underlying normal.
  double lognormal_with_mean(double mean, double sigma) {
    double mu = std::log(mean) - sigma * sigma / 2;
    return std::exp(mu + sigma * normal());
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace mailsim::core
