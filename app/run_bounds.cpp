#include "app/run_bounds.hpp"

#include <fmt/format.h>

namespace mailsim::app {

namespace {
std::string wall_text(double requests) {
  const double s = requests / kRequestsPerWallSecond;
  if (s < 120) return fmt::format("{:.0f} s", s);
  if (s < 7200) return fmt::format("{:.0f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}
}  // namespace

std::string long_run_warning(const config::Scenario& s) {
  const double n = s.expected_requests();
  if (n <= kLongRunRequests) return "";
  return fmt::format(
      "warning: scenario '{}' simulates about {:.3g} client requests ({:g} s of simulated time), about {} of wall "
      "time at {:.0f} requests/s; bound it with --max-requests N or --time-limit SECONDS",
      s.name, n, s.duration.seconds, wall_text(n), kRequestsPerWallSecond);
}

void check_bounds(const config::Scenario& s, const RunBounds& b) {
  const double n = s.expected_requests();
  if (b.max_requests > 0 && n > static_cast<double>(b.max_requests))
    throw core::InputError({s.file, 1, 1}, fmt::format("scenario '{}' would simulate about {:.3g} client requests, "
                                                       "more than --max-requests {}",
                                                       s.name, n, b.max_requests));
}

}  // namespace mailsim::app
