#pragma once
// Renders a sweep result (schema mailsim.sweep/1, runset/sweep.hpp) as one
// self-contained HTML page (inline SVG and CSS, no script, nothing fetched): per service,
// p99 latency and availability against the knee axis (or, for a Latin hypercube without
// --knee, the first range axis).
//  - grid: one line (an SVG <path class="series ...">) per combination of the other axes'
//    values, failing points ringed red, the knee of each line circled and labelled;
//  - Latin hypercube: a scatter (one dot per point, coloured by the combination of the
//    --set axes, failing points red), the safe limit along the knee axis as a dashed
//    vertical line per combination.
// The same result gives the same bytes.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

std::string sweep_html(const nlohmann::json& sweep);

}  // namespace mailsim::reports
