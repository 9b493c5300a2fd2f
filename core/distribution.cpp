#include "core/distribution.hpp"

#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <vector>

namespace mailsim::core {

namespace {
std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}
}  // namespace

Distribution parse_distribution(std::string_view text) {
  const std::string usage = "write '5ms', 'exponential 5ms' or 'lognormal 5ms 0.8'";
  auto w = words(text);
  if (w.size() == 1) return {Distribution::Kind::kConstant, parse_duration(w[0]).seconds, 0};
  if (w.size() == 2 && w[0] == "exponential") return {Distribution::Kind::kExponential, parse_duration(w[1]).seconds, 0};
  if (w.size() == 3 && w[0] == "lognormal") {
    double sigma = 0;
    auto [p, ec] = std::from_chars(w[2].data(), w[2].data() + w[2].size(), sigma);
    if (ec != std::errc() || p != w[2].data() + w[2].size() || !std::isfinite(sigma) || sigma < 0 || sigma > 10)
      throw UnitError{fmt::format("'{}' is not a lognormal sigma: a number in [0, 10]", w[2])};
    return {Distribution::Kind::kLognormal, parse_duration(w[1]).seconds, sigma};
  }
  throw UnitError{fmt::format("'{}' is not a distribution: {}", text, usage)};
}

std::string Distribution::to_string() const {
  std::string m = format_duration({mean});
  switch (kind) {
    case Kind::kConstant: return m;
    case Kind::kExponential: return "exponential " + m;
    case Kind::kLognormal: return fmt::format("lognormal {} {}", m, sigma);
  }
  return m;
}

}  // namespace mailsim::core
