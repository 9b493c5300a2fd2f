#pragma once
// Quantities with units, as written in YAML: durations "250ms", sizes "64KiB",
// bandwidth "1Gbps", rates "200/s", CPU speed "2Gf", fractions "5%".
// Each is stored in SI base units (seconds, bytes, bytes/s, 1/s, flop/s, ratio).
#include <optional>
#include <string>
#include <string_view>

namespace mailsim::core {

struct Duration {
  double seconds = 0;
  auto operator<=>(const Duration&) const = default;
};
struct Bytes {
  double bytes = 0;
  auto operator<=>(const Bytes&) const = default;
};
struct Bandwidth {
  double bytes_per_s = 0;
  auto operator<=>(const Bandwidth&) const = default;
};
struct Rate {
  double per_s = 0;
  auto operator<=>(const Rate&) const = default;
};
struct Speed {
  double flops = 0;
  auto operator<=>(const Speed&) const = default;
};
struct Fraction {
  double value = 0;  // 0..1
  auto operator<=>(const Fraction&) const = default;
};

// The largest value of each kind a parser accepts, after its unit is applied.
inline constexpr double kMaxDurationS = 36525.0 * 86400;       // 100 years
inline constexpr double kMaxBytes = 1125899906842624.0;        // 1 PiB
inline constexpr double kMaxBandwidth = 10e12 / 8;             // 10 Tbps
inline constexpr double kMaxRate = 1e9;                        // 1e9 per second
inline constexpr double kMaxSpeed = 1e15;                      // 1000 Tf

// Each parser returns nullopt-free results or throws UnitError with a message that names
// the accepted forms; the config layer adds file:line:col. Values must be finite, not
// negative and at most the kind's limit above once the unit is applied (1e308d is refused,
// not turned into infinity).
struct UnitError {
  std::string message;
};

Duration parse_duration(std::string_view text);    // us ms s m h d; bare numbers rejected
Bytes parse_bytes(std::string_view text);          // B KB MB GB TB KiB MiB GiB TiB PiB
Bandwidth parse_bandwidth(std::string_view text);  // bps Kbps Mbps Gbps, B/s KB/s MB/s GB/s
Rate parse_rate(std::string_view text);            // N/s N/m N/h N/d
Speed parse_speed(std::string_view text);          // f kf Mf Gf Tf (SimGrid's notation)
Fraction parse_fraction(std::string_view text);    // "5%" or a number in [0,1]

std::string format_duration(Duration d);  // shortest exact-looking form: 1.5s, 250ms, 2m

}  // namespace mailsim::core
