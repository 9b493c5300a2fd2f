#pragma once
// A run result as one self-contained HTML page (docs/reports.md#html-report): inline SVG
// and CSS, no script, no external URL, so it opens offline and can be attached to a CI
// job. Success and error rates per service over time with fault windows shaded (as
// Jepsen's perf plots), latency over time, a timeline of who held each role (VIP holder,
// leaders), and the summary, expectations, failovers, outages, faults and manifest tables.
// The page is well-formed XML (every element closed, attributes quoted), which the tests
// check, and depends only on the run result: the same result gives the same bytes.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

std::string html_report(const nlohmann::json& run);

}  // namespace mailsim::reports
