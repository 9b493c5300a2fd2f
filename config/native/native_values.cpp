#include "config/native/native_values.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>

namespace mailsim::config::native {

namespace {

[[noreturn]] void bad(const Directive& d, const std::string& why) {
  throw core::InputError(d.mark, fmt::format("{}: {}", d.keyword, why));
}

// The number at the start of `value` and what follows it.
double leading_number(const Directive& d, const std::string& value, std::string* rest) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || ptr == value.data() || !std::isfinite(v) || v < 0)
    bad(d, fmt::format("'{}' is not a non-negative number", value));
  *rest = std::string(ptr, value.data() + value.size());
  return v;
}

core::Duration checked(const Directive& d, const std::string& value, double s) {
  if (!(s <= core::kMaxDurationS)) bad(d, fmt::format("'{}' is longer than 100 years", value));
  return {s};
}

}  // namespace

const std::string& single_arg(const Directive& d) {
  if (d.args.size() != 1) bad(d, fmt::format("expected one value, found {}", d.args.size()));
  return d.args[0];
}

core::Duration haproxy_time(const Directive& d, const std::string& value) {
  std::string unit;
  const double v = leading_number(d, value, &unit);
  double f = 0;
  if (unit.empty() || unit == "ms") f = 1e-3;
  else if (unit == "us") f = 1e-6;
  else if (unit == "s") f = 1;
  else if (unit == "m") f = 60;
  else if (unit == "h") f = 3600;
  else if (unit == "d") f = 86400;
  else bad(d, fmt::format("'{}' is not a haproxy time (a number with us, ms, s, m, h or d; ms without a unit)", value));
  return checked(d, value, v * f);
}

core::Duration postfix_time(const Directive& d, char default_unit) {
  const std::string& value = single_arg(d);
  std::string unit;
  const double v = leading_number(d, value, &unit);
  const char u = unit.empty() ? default_unit : unit.size() == 1 ? unit[0] : '?';
  double f = 0;
  switch (u) {
    case 's': f = 1; break;
    case 'm': f = 60; break;
    case 'h': f = 3600; break;
    case 'd': f = 86400; break;
    case 'w': f = 7 * 86400; break;
    default: bad(d, fmt::format("'{}' is not a Postfix time value (a number with s, m, h, d or w)", value));
  }
  return checked(d, value, v * f);
}

core::Duration seconds(const Directive& d, const std::string& value) {
  std::string rest;
  const double v = leading_number(d, value, &rest);
  if (!rest.empty()) bad(d, fmt::format("'{}' is not a number of seconds", value));
  return checked(d, value, v);
}

core::Duration milliseconds(const Directive& d, const std::string& value) {
  return {static_cast<double>(integer(d, value, 0, static_cast<long long>(core::kMaxDurationS) * 1000)) / 1000};
}

core::Duration deciseconds(const Directive& d, const std::string& value) {
  return {static_cast<double>(integer(d, value, 0, static_cast<long long>(core::kMaxDurationS) * 10)) / 10};
}

bool boolean(const Directive& d, const std::string& value) {
  std::string v;
  for (char c : value) v += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v == "true" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "no" || v == "off") return false;
  bad(d, fmt::format("'{}' is not a boolean (true/false, yes/no, on/off)", value));
}

long long integer(const Directive& d, const std::string& value, long long lo, long long hi) {
  long long v = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || ptr != value.data() + value.size()) bad(d, fmt::format("'{}' is not a whole number", value));
  if (v < lo || v > hi) bad(d, fmt::format("{} is outside [{}, {}]", v, lo, hi));
  return v;
}

}  // namespace mailsim::config::native
