#pragma once
// Domains: the values a number of an input may take (docs/robustness.md, "Domains"). Every
// number a user writes (a model param, a scenario's rate, a topology's latency) is read by
// the reader of its kind, then checked against its domain after its unit is applied, with
// file:line:col and the valid range in the message.
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "config/yaml_reader.hpp"
#include "core/distribution.hpp"

namespace mailsim::config {

// The values a number may take, checked after its unit is applied, at load time. Bounds are
// written as in YAML, in the value's own unit ("1s", "64KiB", "3"), and parsed by the reader
// of that kind when the domain is built (parse_domain). `zero`, when set, is what 0 means in the real
// software (e.g. "disabled"): 0 is then accepted even below `min`. Any other zero period is
// refused: a timer of 0 s would fire forever at one instant.
struct Domain {
  std::string min, max;
  bool min_excluded = false;  // "more than min"
  std::string zero;           // non-empty: 0 is valid and means this
  std::string why;            // the source of the bounds when they are not mailsim's own choice

  Domain& zero_means(std::string meaning) {
    zero = std::move(meaning);
    return *this;
  }
  Domain& because(std::string source) {
    why = std::move(source);
    return *this;
  }
  std::string text() const {
    std::string t = min_excluded ? fmt::format("more than {}, at most {}", min, max) : fmt::format("{} to {}", min, max);
    if (!zero.empty()) t = fmt::format("0 ({}), or {}", zero, t);
    return why.empty() ? t : fmt::format("{} ({})", t, why);
  }
};

// [min, max]; (min, max] for above().
inline Domain range(std::string min, std::string max) { return {std::move(min), std::move(max), false, {}, {}}; }
inline Domain above(std::string min, std::string max) { return {std::move(min), std::move(max), true, {}, {}}; }

// Readers for each kind of value an input may hold.
inline void read_value(core::Duration& v, const YAML::Node& n, const YamlReader& r) { v = r.as_duration(n); }
inline void read_value(core::Bytes& v, const YAML::Node& n, const YamlReader& r) { v = r.as_bytes(n); }
inline void read_value(core::Fraction& v, const YAML::Node& n, const YamlReader& r) { v = r.as_fraction(n); }
inline void read_value(core::Rate& v, const YAML::Node& n, const YamlReader& r) { v = r.as_rate(n); }
inline void read_value(core::Bandwidth& v, const YAML::Node& n, const YamlReader& r) { v = r.as_bandwidth(n); }
inline void read_value(core::Speed& v, const YAML::Node& n, const YamlReader& r) { v = r.as_speed(n); }
inline void read_value(int& v, const YAML::Node& n, const YamlReader& r) { v = static_cast<int>(r.as_int(n, 0, 1'000'000'000)); }
inline void read_value(double& v, const YAML::Node& n, const YamlReader& r) { v = r.as_number(n, 0, 1e300); }
inline void read_value(bool& v, const YAML::Node& n, const YamlReader& r) { v = r.as_bool(n); }
inline void read_value(std::string& v, const YAML::Node& n, const YamlReader& r) { v = r.as_name(n); }
inline void read_value(std::vector<int>& v, const YAML::Node& n, const YamlReader& r) {
  v.clear();
  if (n.IsScalar()) {
    v.push_back(static_cast<int>(r.as_int(n, 0, 1'000'000'000)));
    return;
  }
  r.require_sequence(n, "this value");
  for (const auto& item : n) v.push_back(static_cast<int>(r.as_int(item, 0, 1'000'000'000)));
}

inline void read_value(std::vector<std::string>& v, const YAML::Node& n, const YamlReader& r) { v = r.as_name_list(n); }

inline void read_value(std::map<std::string, int>& v, const YAML::Node& n, const YamlReader& r) {
  v.clear();
  if (n.IsNull()) return;
  r.require_map(n, "this value");
  for (auto it = n.begin(); it != n.end(); ++it)
    v[r.as_name(it->first)] = static_cast<int>(r.as_int(it->second, 0, 1'000'000'000));
}

inline nlohmann::json show_value(const core::Duration& v) { return core::format_duration(v); }
inline nlohmann::json show_value(const core::Bytes& v) { return v.bytes; }
inline nlohmann::json show_value(const core::Fraction& v) { return v.value; }
inline nlohmann::json show_value(const core::Rate& v) { return v.per_s; }
inline nlohmann::json show_value(const core::Bandwidth& v) { return v.bytes_per_s; }
inline nlohmann::json show_value(const core::Speed& v) { return v.flops; }
template <class T>
nlohmann::json show_value(const T& v) { return v; }

// The number a domain compares: a quantity in SI units, or each integer of a list or map.
inline double magnitude(const core::Duration& v) { return v.seconds; }
inline double magnitude(const core::Bytes& v) { return v.bytes; }
inline double magnitude(const core::Fraction& v) { return v.value; }
inline double magnitude(const core::Rate& v) { return v.per_s; }
inline double magnitude(const core::Bandwidth& v) { return v.bytes_per_s; }
inline double magnitude(const core::Speed& v) { return v.flops; }
inline double magnitude(int v) { return v; }
inline double magnitude(double v) { return v; }

template <class T> struct ScalarOf { using type = T; };
template <> struct ScalarOf<std::vector<int>> { using type = int; };
template <> struct ScalarOf<std::map<std::string, int>> { using type = int; };

// Types that are numbers and so must have a domain.
template <class T>
inline constexpr bool kIsNumber = !std::is_same_v<T, bool> && !std::is_same_v<T, std::string> &&
                                  !std::is_same_v<T, std::vector<std::string>>;

// A domain with its bounds parsed; value() checks one number.
struct CheckedDomain {
  Domain domain;
  double lo = 0, hi = 0;
  bool contains(double v) const {
    if (v == 0 && !domain.zero.empty()) return true;
    return (domain.min_excluded ? v > lo : v >= lo) && v <= hi;
  }
  void value(double v, const std::string& shown, const std::string& what, const YAML::Node& at,
             const YamlReader& r) const {
    if (!contains(v)) r.fail(at, fmt::format("{} is {}; it must be {}", what, shown, domain.text()));
  }
};

template <class T>
CheckedDomain parse_domain(const Domain& d, const std::string& where) {
  using S = typename ScalarOf<T>::type;
  const YamlReader r("<domain of " + where + ">");
  S lo{}, hi{};
  read_value(lo, YAML::Node(d.min), r);
  read_value(hi, YAML::Node(d.max), r);
  return {d, magnitude(lo), magnitude(hi)};
}

template <class T>
void check_domain(const CheckedDomain& d, const T& v, const std::string& what, const YAML::Node& at, const YamlReader& r) {
  if constexpr (std::is_same_v<T, std::vector<int>>) {
    for (int x : v) d.value(x, std::to_string(x), what, at, r);
  } else if constexpr (std::is_same_v<T, std::map<std::string, int>>) {
    for (const auto& [k, x] : v) d.value(x, std::to_string(x), what + "." + k, at, r);
  } else {
    const nlohmann::json shown = show_value(v);  // as the user wrote it, when there is a text
    d.value(magnitude(v), at.IsScalar() ? at.Scalar() : shown.is_string() ? shown.get<std::string>() : shown.dump(),
            what, at, r);
  }
}

// Reads the number at `n` and checks it against `d`: "WHAT is VALUE; it must be RANGE".
template <class T>
T read_in(const YamlReader& r, const YAML::Node& n, const CheckedDomain& d, const std::string& what) {
  T v{};
  read_value(v, n, r);
  check_domain(d, v, what, n, r);
  return v;
}

// A distribution of time ("exponential 5ms"): its mean checked against `d`.
inline core::Distribution read_distribution(const YamlReader& r, const YAML::Node& n, const CheckedDomain& d,
                                            const std::string& what) {
  core::Distribution v;
  try {
    v = core::parse_distribution(r.as_string(n));
  } catch (const core::UnitError& e) {
    r.fail(n, e.message);
  }
  d.value(v.mean, core::format_duration({v.mean}), what, n, r);
  return v;
}

}  // namespace mailsim::config
