#include "reports/quantity_text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace mailsim::reports {

std::string si_text(double v) {
  const double a = std::fabs(v);
  if (a >= 1e9) return fmt::format("{:.3g}G", v / 1e9);
  if (a >= 1e6) return fmt::format("{:.3g}M", v / 1e6);
  if (a >= 1e3) return fmt::format("{:.3g}k", v / 1e3);
  return fmt::format("{:.3g}", v);
}

std::string mailboxes_text(double n) { return si_text(n) + " mailboxes"; }
std::string rps_text(double rps) { return si_text(rps) + " requests/s"; }

}  // namespace mailsim::reports
