#pragma once
// A non-negative random quantity of time, e.g. a CPU demand: "5ms" (constant),
// "exponential 5ms" (mean 5 ms), "lognormal 5ms 0.8" (mean 5 ms, sigma 0.8 of the
// underlying normal).
#include <string>
#include <string_view>

#include "core/rng.hpp"
#include "core/units.hpp"

namespace mailsim::core {

struct Distribution {
  enum class Kind { kConstant, kExponential, kLognormal };
  Kind kind = Kind::kConstant;
  double mean = 0;   // seconds
  double sigma = 0;  // lognormal only

  double sample(RngStream& rng) const {
    switch (kind) {
      case Kind::kConstant: return mean;
      case Kind::kExponential: return rng.exponential(mean);
      case Kind::kLognormal: return rng.lognormal_with_mean(mean, sigma);
    }
    return mean;
  }
  std::string to_string() const;
};

Distribution parse_distribution(std::string_view text);  // throws UnitError

}  // namespace mailsim::core
