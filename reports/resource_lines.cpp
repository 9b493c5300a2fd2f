#include "reports/resource_lines.hpp"

#include <fmt/format.h>

namespace mailsim::reports {

namespace {
// A sustained utilisation at or above this is painted red, above the bottleneck threshold yellow.
constexpr double kSaturated = 0.9;
constexpr double kBottleneckSustained = 0.5;  // engine::Resources::kBottleneckSustained, as the schema states
}  // namespace

double sustained_of(const nlohmann::json& r) {
  // Results written before sustained_utilisation existed ranked by the peak.
  return r.value("sustained_utilisation", r.value("peak_utilisation", 0.0));
}

std::string resource_lines(const nlohmann::json& run, const TableStyle& style) {
  if (!run.contains("resources")) return "";
  std::string out;
  size_t shown = 0;
  for (const auto& r : run.at("resources")) {
    if (shown == kTopResources || r.at("peak_utilisation").get<double>() == 0) break;  // sorted: the rest are idle
    if (out.empty()) out = "top resources (utilisation sustained / peak / mean, mean queue, mean wait):\n";
    const double sustained = sustained_of(r);
    const std::string sustained_text = fmt::format("{:>6.1f}%", 100 * sustained);
    out += fmt::format("  {:<28} {:<8} {} / {:>5.1f}% / {:>5.1f}%  queue {:>8.2f}  wait {:>9.3f} ms\n",
                       r.at("name").get<std::string>(), r.at("kind").get<std::string>(),
                       sustained >= kSaturated             ? style.paint(kRed, sustained_text)
                       : sustained >= kBottleneckSustained ? style.paint(kYellow, sustained_text)
                                                           : sustained_text,
                       100 * r.at("peak_utilisation").get<double>(), 100 * r.at("utilisation").get<double>(),
                       r.at("mean_queue").get<double>(), 1000 * r.at("mean_wait_s").get<double>());
    ++shown;
  }
  const auto& b = run.value("bottleneck", nlohmann::json());
  if (b.is_null())
    out += fmt::format("bottleneck: none (no resource reached {:.0f}% sustained utilisation)\n",
                       100 * kBottleneckSustained);
  else
    out += fmt::format("bottleneck: {} ({}) at {:.1f}% sustained ({:.1f}% peak), {:.1f}% mean utilisation\n",
                       b.at("name").get<std::string>(), b.at("kind").get<std::string>(), 100 * sustained_of(b),
                       100 * b.at("peak_utilisation").get<double>(), 100 * b.at("utilisation").get<double>());
  return out;
}

}  // namespace mailsim::reports
