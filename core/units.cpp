#include "core/units.hpp"

#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <utility>
#include <vector>

namespace mailsim::core {

namespace {

struct Suffix {
  std::string_view text;
  double factor;
};

// The largest value of each kind mailsim accepts, after its unit is applied (docs/formats.md,
// "Units"): far beyond any real cluster, and small enough that sums and products of a few
// such values stay finite, so no input can overflow a timer, a size or a rate.
struct Limit {
  double max;
  std::string_view text;  // the limit as a user would write it
};

// Splits "12.5ms" into 12.5 and "ms"; the number must be finite and non-negative.
std::pair<double, std::string_view> split_number(std::string_view text, std::string_view what) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr == text.data())
    throw UnitError{fmt::format("'{}' is not a {}: expected a number followed by a unit", text, what)};
  if (!std::isfinite(value) || value < 0)
    throw UnitError{fmt::format("'{}' is not a {}: must be finite and not negative", text, what)};
  std::string_view unit(ptr, text.data() + text.size() - ptr);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  return {value, unit};
}

double within(double value, std::string_view text, std::string_view what, const Limit& limit) {
  if (!(value <= limit.max))  // also catches the infinity of an overflowing scale
    throw UnitError{fmt::format("'{}' is not a {}: must be at most {}", text, what, limit.text)};
  return value;
}

double with_suffix(std::string_view text, std::string_view what, const std::vector<Suffix>& suffixes,
                   const Limit& limit) {
  auto [value, unit] = split_number(text, what);
  for (const auto& s : suffixes)
    if (unit == s.text) return within(value * s.factor, text, what, limit);
  std::string accepted;
  for (const auto& s : suffixes) accepted += (accepted.empty() ? "" : ", ") + std::string(s.text);
  if (unit.empty())
    throw UnitError{fmt::format("'{}' is not a {}: a unit is required ({})", text, what, accepted)};
  throw UnitError{fmt::format("'{}' is not a {}: unknown unit '{}' (use {})", text, what, unit, accepted)};
}

}  // namespace

Duration parse_duration(std::string_view text) {
  static const std::vector<Suffix> units = {{"us", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}};
  return {with_suffix(text, "duration", units, {kMaxDurationS, "100 years (36525d)"})};
}

Bytes parse_bytes(std::string_view text) {
  static const std::vector<Suffix> units = {{"B", 1},        {"KB", 1e3},           {"MB", 1e6},
                                            {"GB", 1e9},     {"TB", 1e12},          {"KiB", 1024.0},
                                            {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0}, {"PiB", 1125899906842624.0}};
  return {with_suffix(text, "size", units, {kMaxBytes, "1PiB"})};
}

Bandwidth parse_bandwidth(std::string_view text) {
  static const std::vector<Suffix> units = {{"bps", 1 / 8.0},  {"Kbps", 1e3 / 8}, {"Mbps", 1e6 / 8},
                                            {"Gbps", 1e9 / 8}, {"B/s", 1},        {"KB/s", 1e3},
                                            {"MB/s", 1e6},     {"GB/s", 1e9}};
  return {with_suffix(text, "bandwidth", units, {kMaxBandwidth, "10Tbps"})};
}

Rate parse_rate(std::string_view text) {
  static const std::vector<Suffix> units = {{"/s", 1}, {"/m", 1 / 60.0}, {"/h", 1 / 3600.0}, {"/d", 1 / 86400.0}};
  return {with_suffix(text, "rate", units, {kMaxRate, "1e9/s"})};
}

Speed parse_speed(std::string_view text) {
  static const std::vector<Suffix> units = {{"f", 1}, {"kf", 1e3}, {"Mf", 1e6}, {"Gf", 1e9}, {"Tf", 1e12}};
  return {with_suffix(text, "CPU speed", units, {kMaxSpeed, "1000Tf"})};
}

Fraction parse_fraction(std::string_view text) {
  auto [value, unit] = split_number(text, "fraction");
  if (unit == "%") value /= 100;
  else if (!unit.empty())
    throw UnitError{fmt::format("'{}' is not a fraction: use a percentage like 5% or a number in [0, 1]", text)};
  if (value > 1) throw UnitError{fmt::format("'{}' is not a fraction: must be at most 100%", text)};
  return {value};
}

std::string format_duration(Duration d) {
  // 15 significant digits: every decimal a user can write survives the scaling (100us is
  // stored as 1e-4 s, and 1e-4 * 1e6 prints as 99.99999999999999 at full precision).
  double s = d.seconds;
  if (s == 0) return "0s";
  if (s >= 3600 && std::fmod(s, 3600) == 0) return fmt::format("{:.15g}h", s / 3600);
  if (s >= 60 && std::fmod(s, 60) == 0) return fmt::format("{:.15g}m", s / 60);
  if (s >= 1) return fmt::format("{:.15g}s", s);
  if (s >= 1e-3) return fmt::format("{:.15g}ms", s * 1e3);
  return fmt::format("{:.15g}us", s * 1e6);
}

}  // namespace mailsim::core
