#pragma once
// Counts and rates as a planner reads them: three significant digits with k/M/G, and the
// unit: "628k mailboxes", "9.42k requests/s" (capacity and sweep reports).
#include <string>

namespace mailsim::reports {

std::string si_text(double v);  // "628k", "1.2M", "950"
std::string mailboxes_text(double n);
std::string rps_text(double rps);

}  // namespace mailsim::reports
