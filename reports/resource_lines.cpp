#include "reports/resource_lines.hpp"

#include <fmt/format.h>

namespace mailsim::reports {

namespace {
// A peak at or above this is painted red, above the bottleneck threshold yellow.
constexpr double kSaturatedPeak = 0.9;
constexpr double kBottleneckPeak = 0.5;  // engine::Resources::kBottleneckPeak, as the schema states
}  // namespace

std::string resource_lines(const nlohmann::json& run, const TableStyle& style) {
  if (!run.contains("resources")) return "";
  std::string out;
  size_t shown = 0;
  for (const auto& r : run.at("resources")) {
    if (shown == kTopResources || r.at("peak_utilisation").get<double>() == 0) break;  // sorted: the rest are idle
    if (out.empty()) out = "top resources (utilisation peak / mean, mean queue, mean wait):\n";
    const double peak = r.at("peak_utilisation").get<double>();
    const std::string peak_text = fmt::format("{:>6.1f}%", 100 * peak);
    out += fmt::format("  {:<28} {:<8} {} / {:>5.1f}%  queue {:>8.2f}  wait {:>9.3f} ms\n", r.at("name").get<std::string>(),
                       r.at("kind").get<std::string>(),
                       peak >= kSaturatedPeak ? style.paint(kRed, peak_text)
                       : peak >= kBottleneckPeak ? style.paint(kYellow, peak_text)
                                                 : peak_text,
                       100 * r.at("utilisation").get<double>(), r.at("mean_queue").get<double>(),
                       1000 * r.at("mean_wait_s").get<double>());
    ++shown;
  }
  const auto& b = run.value("bottleneck", nlohmann::json());
  if (b.is_null())
    out += fmt::format("bottleneck: none (no resource reached {:.0f}% peak utilisation)\n", 100 * kBottleneckPeak);
  else
    out += fmt::format("bottleneck: {} ({}) at {:.1f}% peak, {:.1f}% mean utilisation\n", b.at("name").get<std::string>(),
                       b.at("kind").get<std::string>(), 100 * b.at("peak_utilisation").get<double>(),
                       100 * b.at("utilisation").get<double>());
  return out;
}

}  // namespace mailsim::reports
