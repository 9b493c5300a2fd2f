#include "analysis/agreement.hpp"

#include <fmt/format.h>

namespace mailsim::analysis {

std::string crash_class(const TailFigures& run, const std::optional<TailFigures>& baseline) {
  if (run.tail_availability < 0.5) return "down";
  if (!baseline) return "none";
  if (run.tail_availability < baseline->tail_availability - 0.001) return "degraded";
  if (run.failed > baseline->failed) return "transient";
  return "none";
}

std::optional<double> window_availability(const nlohmann::json& service, double from, double to) {
  if (!service.contains("series")) return std::nullopt;
  const auto& s = service["series"];
  if (!s.contains("requests") || !s.contains("ok")) return std::nullopt;
  const double w = s.value("window_s", 1.0);
  double req = 0, ok = 0;
  for (size_t i = 0; i < s["requests"].size() && i < s["ok"].size(); ++i) {
    const double t = static_cast<double>(i) * w;
    if (t + 1e-9 < from || t >= to - 1e-9) continue;
    req += s["requests"][i].get<double>();
    ok += s["ok"][i].get<double>();
  }
  if (req <= 0) return std::nullopt;
  return ok / req;
}

const char* const kPartialOutageWhy =
    "a partial outage: analyze counts the service down when any share of its requests fails whatever the retries; "
    "the runs measured the share lost (degraded) and call down only below 50% tail availability";

std::string slow_failover_hint(double outage_s, double window_s) {
  if (outage_s < window_s) return "";
  return fmt::format("the outage lasted {:.1f} s, at least the {:.1f} s between the crash and the tail: a failover "
                     "slower than that is judged down; rerun with a longer --duration",
                     outage_s, window_s);
}

}  // namespace mailsim::analysis
