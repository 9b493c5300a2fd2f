#include "reports/axis_ticks.hpp"

#include <cmath>
#include <initializer_list>

namespace mailsim::reports {

double nice_step(double range, int target) {
  if (range <= 0) return 1;
  double raw = range / target;
  double mag = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (raw <= m * mag) return m * mag;
  return 10 * mag;
}

}  // namespace mailsim::reports
